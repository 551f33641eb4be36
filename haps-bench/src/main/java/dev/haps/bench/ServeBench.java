package dev.haps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.MicroBatching;
import dev.haps.runtime.RouterBundle;
import dev.haps.serve.HapsServer;
import dev.haps.serve.ServeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 23's speed targets, each as ratios from one run:
 *
 * <ol>
 *   <li><b>Micro-batching</b>: uncached {@code route()} throughput of 16 concurrent callers,
 *       with and without {@link MicroBatching}, against one caller (target: ≥ 3×), and the 16
 *       callers' p99/p50 routing latency (target: ≤ 3). The single caller runs before and after
 *       the others; its mean is the reference.
 *   <li><b>Server overhead</b>: p50 of a chat completion through {@code haps serve} (routing,
 *       decision-cache hit, plus the proxy hop) minus p50 of the same call made directly to the
 *       loopback upstream (target: ≤ 1 ms); the two calls alternate, so drift hits both.
 * </ol>
 *
 * <p>Usage: {@code java -cp haps-bench/target/benchmarks.jar dev.haps.bench.ServeBench
 * [out.json] [seconds per throughput phase] [overhead pairs]} (defaults 15 s and 2,000).
 *
 * @since 0.1.0
 */
public final class ServeBench {

  private static final String KEY = "sk-bench-0123456789";

  private ServeBench() {}

  /**
   * Runs both measurements and prints a Markdown summary.
   *
   * @param args optional output JSON path, seconds per throughput phase, overhead pairs
   * @throws Exception if a phase fails
   */
  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : null;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("loadBefore", loadAverage());
    List<String> texts = QuerySet.load();
    RouterBundle bundle = BenchSetup.bundle();

    // 1. Micro-batching.
    Phase one1;
    Phase plain;
    Phase batched;
    Phase one2;
    try (HapsRouter router = BenchSetup.router(bundle, CacheSettings.disabled())) {
      throughput(router, texts, 1, 3); // warm-up
      one1 = throughput(router, texts, 1, seconds);
      plain = throughput(router, texts, 16, seconds);
    }
    try (HapsRouter router = HapsRouter.builder().bundle(bundle).cache(CacheSettings.disabled())
        .executionProvider(BenchSetup.provider())
        .microBatching(MicroBatching.of(16, Duration.ofMillis(1))).build()) {
      throughput(router, texts, 16, 3);
      batched = throughput(router, texts, 16, seconds);
    }
    try (HapsRouter router = BenchSetup.router(bundle, CacheSettings.disabled())) {
      throughput(router, texts, 1, 3);
      one2 = throughput(router, texts, 1, seconds);
    }
    double single = (one1.perSecond() + one2.perSecond()) / 2;
    ObjectNode b = json.putObject("batching");
    b.put("oneCallerPerSecond", single).put("oneCallerRuns",
        one1.perSecond() + " / " + one2.perSecond());
    put(b.putObject("sixteenCallers"), plain, single);
    put(b.putObject("sixteenCallersMicroBatched"), batched, single);

    // 2. Server overhead.
    ObjectNode o = json.putObject("serverOverhead");
    overhead(o, bundle, texts, pairs);
    json.put("loadAfter", loadAverage());

    System.out.println(markdown(json));
    if (out != null) {
      Files.writeString(out, json.toPrettyString());
    }
  }

  private static void put(ObjectNode n, Phase p, double single) {
    n.put("perSecond", p.perSecond());
    n.put("throughputRatioToOneCaller", p.perSecond() / single);
    n.put("p50Ms", p.p50Ms());
    n.put("p99Ms", p.p99Ms());
    n.put("p99OverP50", p.p99Ms() / p.p50Ms());
  }

  /** One throughput phase: callers route distinct queries, uncached, for the given time. */
  record Phase(int callers, long routed, double seconds, double p50Ms, double p99Ms) {
    double perSecond() {
      return routed / seconds;
    }
  }

  static Phase throughput(HapsRouter router, List<String> texts, int callers, int seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    List<long[]> latencies = new ArrayList<>();
    int[] counts = new int[callers];
    CountDownLatch done = new CountDownLatch(callers);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      long[] lat = new long[200_000];
      latencies.add(lat);
      int me = c;
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) {
            int i = next.getAndIncrement();
            RouteRequest r = RouteRequest.of(texts.get(i % texts.size()), 0.05 * (i % 20));
            long t0 = System.nanoTime();
            router.route(r);
            if (counts[me] < lat.length) {
              lat[counts[me]] = System.nanoTime() - t0;
            }
            counts[me]++;
          }
        } finally {
          done.countDown();
        }
      }, "bench-caller-" + c);
      threads.add(t);
    }
    long t0 = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long total = 0;
    List<Long> all = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      total += counts[c];
      for (int i = 0; i < Math.min(counts[c], latencies.get(c).length); i++) {
        all.add(latencies.get(c)[i]);
      }
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Phase(callers, total, elapsed, pct(sorted, 0.5) / 1e6, pct(sorted, 0.99) / 1e6);
  }

  private static void overhead(ObjectNode o, RouterBundle bundle, List<String> texts, int pairs)
      throws Exception {
    String answer = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
        + "\"completion_tokens\":1,\"total_tokens\":6}}";
    Path dir = Files.createTempDirectory("haps-serve-bench");
    try (JettyUpstream upstream = JettyUpstream.start(answer);
        HapsRouter router = HapsRouter.builder().bundle(bundle)
            .executionProvider(BenchSetup.provider()).build()) {
      String config = "{\"providers\":{\"up\":{\"type\":\"openai\",\"baseUrl\":\""
          + upstream.url("/v1") + "\"}},\"candidates\":{\"*\":{\"provider\":\"up\"}},"
          + "\"server\":{\"port\":0,\"accessLog\":false,\"rateLimit\":{\"requestsPerSecond\":0}}}";
      try (HapsServer server = HapsServer.start(ServeConfig.parse(config, dir,
          Map.of("HAPS_SERVE_API_KEYS", KEY)::get), router)) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int n = 20; // distinct queries: the decision cache answers after the first round
        HttpRequest[] direct = new HttpRequest[n];
        HttpRequest[] viaServer = new HttpRequest[n];
        for (int i = 0; i < n; i++) {
          String q = texts.get(i).replace("\\", "\\\\").replace("\"", "\\\"")
              .replace("\n", "\\n").replace("\r", "").replace("\t", " ");
          String body = "{\"model\":\"MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"" + q
              + "\"}]}";
          direct[i] = HttpRequest.newBuilder(URI.create(upstream.url("/v1/chat/completions")))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.replace("MODEL", "gpt-4"))).build();
          viaServer[i] = HttpRequest.newBuilder(URI.create(server.url() + "/v1/chat/completions"))
              .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
              .POST(HttpRequest.BodyPublishers.ofString(body.replace("MODEL", "haps"))).build();
        }
        int warm = Math.max(200, pairs / 5);
        long[] d = new long[pairs];
        long[] s = new long[pairs];
        long[] diff = new long[pairs];
        for (int i = -warm; i < pairs; i++) {
          int q = Math.floorMod(i, n);
          boolean directFirst = (i & 1) == 0;
          long a = directFirst ? call(http, direct[q]) : call(http, viaServer[q]);
          long c = directFirst ? call(http, viaServer[q]) : call(http, direct[q]);
          if (i >= 0) {
            d[i] = directFirst ? a : c;
            s[i] = directFirst ? c : a;
            diff[i] = s[i] - d[i];
          }
        }
        Arrays.sort(d);
        Arrays.sort(s);
        Arrays.sort(diff);
        o.put("pairs", pairs);
        o.put("directP50Ms", pct(d, 0.5) / 1e6).put("directP99Ms", pct(d, 0.99) / 1e6);
        o.put("serverP50Ms", pct(s, 0.5) / 1e6).put("serverP99Ms", pct(s, 0.99) / 1e6);
        o.put("overheadP50Ms", (pct(s, 0.5) - pct(d, 0.5)) / 1e6);
        o.put("pairedDifferenceP50Ms", pct(diff, 0.5) / 1e6);
        o.put("routingCacheHitRate", router.cacheStats().hitRate());
      }
    }
  }

  /**
   * The upstream: a minimal OpenAI-compatible endpoint on Jetty, answering every request with a
   * fixed completion. Not the JDK's {@code HttpServer} ({@code LoopbackServer}): it writes
   * headers and body in two segments, and Nagle's algorithm against the client's delayed ACK
   * then adds ~40 ms to every call, which would drown the overhead being measured.
   */
  static final class JettyUpstream implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private JettyUpstream(Server server, ServerConnector connector) {
      this.server = server;
      this.connector = connector;
    }

    static JettyUpstream start(String answer) throws Exception {
      Server server = new Server();
      ServerConnector c = new ServerConnector(server);
      c.setHost("127.0.0.1");
      c.setPort(0);
      server.addConnector(c);
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.NON_BLOCKING) {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request,
            org.eclipse.jetty.server.Response response, org.eclipse.jetty.util.Callback cb) {
          // Read the whole request first: unread content would make Jetty close the
          // connection after the answer, and the client's next call on it would fail.
          Content.Source.consumeAll(request, org.eclipse.jetty.util.Callback.from(() -> {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(body), cb);
          }, cb::failed));
          return true;
        }
      });
      server.start();
      return new JettyUpstream(server, c);
    }

    String url(String path) {
      return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    @Override
    public void close() {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("stopping the upstream failed", e);
      }
    }
  }

  private static long call(HttpClient http, HttpRequest r) throws IOException,
      InterruptedException {
    long t0 = System.nanoTime();
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    long t = System.nanoTime() - t0;
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
    }
    return t;
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static String markdown(ObjectNode j) {
    ObjectNode b = (ObjectNode) j.path("batching");
    ObjectNode o = (ObjectNode) j.path("serverOverhead");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "cores %d, load before %s, after %s%n%n",
        j.path("cores").asInt(), j.path("loadBefore").asText(), j.path("loadAfter").asText()));
    sb.append("| routing, uncached | queries/s | × one caller | p50 ms | p99 ms | p99/p50 |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    sb.append(String.format(Locale.ROOT, "| 1 caller (mean of 2 runs: %s) | %.1f | 1.00 | | | |%n",
        b.path("oneCallerRuns").asText(), b.path("oneCallerPerSecond").asDouble()));
    for (String k : List.of("sixteenCallers", "sixteenCallersMicroBatched")) {
      ObjectNode p = (ObjectNode) b.path(k);
      sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.1f | %.2f |%n", k,
          p.path("perSecond").asDouble(), p.path("throughputRatioToOneCaller").asDouble(),
          p.path("p50Ms").asDouble(), p.path("p99Ms").asDouble(),
          p.path("p99OverP50").asDouble()));
    }
    sb.append(String.format(Locale.ROOT, "%n| chat completion, %d pairs | p50 ms | p99 ms |%n"
        + "|---|---:|---:|%n| direct to the loopback upstream | %.3f | %.3f |%n"
        + "| through haps serve (cache hit) | %.3f | %.3f |%n"
        + "| overhead (p50 difference; paired median) | %.3f (%.3f) | |%n",
        o.path("pairs").asInt(), o.path("directP50Ms").asDouble(),
        o.path("directP99Ms").asDouble(), o.path("serverP50Ms").asDouble(),
        o.path("serverP99Ms").asDouble(), o.path("overheadP50Ms").asDouble(),
        o.path("pairedDifferenceP50Ms").asDouble()));
    return sb.toString();
  }
}
