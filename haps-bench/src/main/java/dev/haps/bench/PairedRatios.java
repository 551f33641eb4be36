package dev.haps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.TextNormalizer;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.runtime.encoder.Tokenized;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The suite's key ratios measured <em>paired</em>: for every query, {@code encoderOnly}, {@code
 * route}, {@code routeAllCores} and {@code peerEmbed} run back to back (in an order that rotates
 * per query), so a slowdown of the machine hits all four alike; likewise every 32 consecutive
 * queries are routed once as one {@code route(List)} and once one by one.
 *
 * <p>Back to back, each model's weights are partly evicted from the CPU caches by the others
 * (four ~23 MB int8 sessions against a 32 MB L3 here), unlike in a JMH loop that runs one model
 * alone: these are cold-cache figures, the JMH ones hot-cache.
 *
 * <p>Why: on a shared 2-core machine JMH runs one benchmark after another, minutes apart, and
 * the host's speed drifts by 20–30% over that time, which lands in the ratios of benchmarks that
 * ran at different moments (one JMH run reported {@code route}/{@code encoderOnly} = 1.29 while
 * the route path adds well under a millisecond to the encoder). The JMH table stays the record;
 * this probe says how much of a ratio is drift.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.haps.bench.PairedRatios [out.json] [passes]}
 * (default 4 passes over the benchmark queries, after one warm-up pass).
 *
 * @since 0.1.0
 */
public final class PairedRatios {

  private static final String[] NAMES = {"encoderOnly", "route", "routeAllCores", "peerEmbed"};

  private static final int BATCH = 32;

  private PairedRatios() {}

  /**
   * Runs the probe and prints a Markdown table.
   *
   * @param args optional output JSON path, optional number of measured passes
   * @throws IOException if the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = args.length > 0 ? Path.of(args[0]) : null;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    List<String> texts = QuerySet.load();
    RouterBundle bundle = BenchSetup.bundle();
    int cores = Runtime.getRuntime().availableProcessors();
    long[][] nanos = new long[NAMES.length][texts.size() * passes];
    long batchNanos = 0;
    long singleNanos = 0;
    try (OnnxQueryEncoder encoder = BenchSetup.encoder(bundle);
        HapsRouter route = BenchSetup.router(bundle, CacheSettings.disabled());
        HapsRouter allCores = BenchSetup.router(bundle, CacheSettings.disabled(), cores)) {
      AllMiniLmL6V2QuantizedEmbeddingModel peer = new AllMiniLmL6V2QuantizedEmbeddingModel();
      Tokenized[] tokens = new Tokenized[texts.size()];
      RouteRequest[] requests = new RouteRequest[texts.size()];
      for (int i = 0; i < texts.size(); i++) {
        tokens[i] = encoder.tokenize(TextNormalizer.normalize(texts.get(i)));
        requests[i] = RouteRequest.of(texts.get(i), RouterBench.COST_WEIGHTS[
            i % RouterBench.COST_WEIGHTS.length]);
      }
      Runnable[][] work = new Runnable[texts.size()][];
      for (int i = 0; i < texts.size(); i++) {
        int q = i;
        work[i] = new Runnable[] {
          () -> encoder.encodeTokenized(tokens[q]),
          () -> route.route(requests[q]),
          () -> allCores.route(requests[q]),
          () -> peer.embed(texts.get(q))
        };
      }
      for (int pass = -1; pass < passes; pass++) {
        for (int i = 0; i < texts.size(); i++) {
          for (int s = 0; s < NAMES.length; s++) {
            int b = (s + i + Math.max(pass, 0)) % NAMES.length; // rotate who goes first
            long t0 = System.nanoTime();
            work[i][b].run();
            long t = System.nanoTime() - t0;
            if (pass >= 0) {
              nanos[b][pass * texts.size() + i] = t;
            }
          }
        }
      }
      // routeBatch32 against the same 32 queries routed one by one, alternating which goes first.
      for (int pass = -1; pass < passes; pass++) {
        for (int start = 0, b = 0; start + BATCH <= texts.size(); start += BATCH, b++) {
          List<RouteRequest> batch = Arrays.asList(requests).subList(start, start + BATCH);
          boolean batchFirst = (b + pass) % 2 == 0;
          long single = 0;
          long batched = 0;
          for (int order = 0; order < 2; order++) {
            long t0 = System.nanoTime();
            if ((order == 0) == batchFirst) {
              route.route(batch);
              batched = System.nanoTime() - t0;
            } else {
              for (RouteRequest r : batch) {
                route.route(r);
              }
              single = System.nanoTime() - t0;
            }
          }
          if (pass >= 0) {
            batchNanos += batched;
            singleNanos += single;
          }
        }
      }
    }
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("queries", texts.size()).put("passes", passes).put("cores", cores)
        .put("bundle", bundle.info().toString());
    StringBuilder md = new StringBuilder("| paired ratio | sum of times | median of per-query"
        + " ratios |\n|---|---:|---:|\n");
    String[][] pairs = {{"route", "encoderOnly"}, {"route", "peerEmbed"},
        {"routeAllCores", "peerEmbed"}, {"routeAllCores", "route"}};
    for (String[] p : pairs) {
      long[] a = nanos[index(p[0])];
      long[] b = nanos[index(p[1])];
      double sum = (double) Arrays.stream(a).sum() / Arrays.stream(b).sum();
      double[] per = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        per[i] = (double) a[i] / b[i];
      }
      Arrays.sort(per);
      double median = per[per.length / 2];
      String key = p[0] + "/" + p[1];
      json.putObject(key).put("sumRatio", sum).put("medianRatio", median);
      md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", key, sum, median));
    }
    double batchRatio = (double) batchNanos / singleNanos;
    json.putObject("routeBatch32/route").put("sumRatio", batchRatio);
    md.append(String.format(Locale.ROOT, "| routeBatch32/route (per query, same 32 queries) |"
        + " %.3f | – |%n", batchRatio));
    for (int s = 0; s < NAMES.length; s++) {
      long[] t = nanos[s].clone();
      Arrays.sort(t);
      json.put(NAMES[s] + "MedianUs", t[t.length / 2] / 1000.0);
    }
    System.out.print(md);
    if (out != null) {
      Files.writeString(out, json.toPrettyString());
    }
  }

  private static int index(String name) {
    return Arrays.asList(NAMES).indexOf(name);
  }
}
