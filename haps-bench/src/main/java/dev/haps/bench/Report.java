package dev.haps.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a JMH JSON result of {@link RouterBench} (and optionally a {@link MemoryProbe} result)
 * into the performance table: each benchmark's per-query median, its error bars, its ratio to
 * {@code encoderOnly}, bytes allocated per query when JMH ran with {@code -prof gc}, and each
 * target of the performance issue, met or missed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.haps.bench.Report results.json [memory.json]
 * [--markdown out.md]}.
 *
 * @since 0.1.0
 */
public final class Report {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** One benchmark's figures, per query, in microseconds where a time. */
  record Row(String name, String mode, int threads, double medianUs, double meanUs,
      double meanErrorUs, double iterMinUs, double iterMaxUs, double p90Us, double throughput,
      double throughputError, double bytesPerOp, long samples) {

    boolean isThroughput() {
      return "thrpt".equals(mode);
    }
  }

  /** A target of the performance issue, evaluated: verdict yes, no, or judged by hand. */
  record Target(String name, String rule, String measured, String verdict) {
    Target(String name, String rule, String measured, boolean met) {
      this(name, rule, measured, met ? "yes" : "**no**");
    }
  }

  /**
   * Prints the report.
   *
   * @param args JMH JSON path, optional memory JSON path, optional {@code --markdown path}
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Path results = null;
    Path memory = null;
    Path markdown = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--markdown") && i + 1 < args.length) {
        markdown = Path.of(args[++i]);
      } else if (results == null) {
        results = Path.of(args[i]);
      } else {
        memory = Path.of(args[i]);
      }
    }
    if (results == null) {
      System.err.println("usage: Report <jmh-results.json> [memory.json] [--markdown out.md]");
      System.exit(2);
    }
    List<Row> rows = parse(JSON.readTree(results.toFile()));
    JsonNode mem = memory != null && Files.isRegularFile(memory)
        ? JSON.readTree(memory.toFile()) : null;
    String text = render(rows, mem, results.getFileName().toString());
    System.out.println(text);
    if (markdown != null) {
      Files.writeString(markdown, text);
    }
  }

  /** Reads the rows of a JMH JSON result (an array of benchmark results). */
  static List<Row> parse(JsonNode root) {
    List<Row> rows = new ArrayList<>();
    for (JsonNode b : root) {
      String full = b.path("benchmark").asText();
      String name = full.substring(full.lastIndexOf('.') + 1);
      String mode = b.path("mode").asText();
      int threads = b.path("threads").asInt(1);
      JsonNode pm = b.path("primaryMetric");
      String unit = pm.path("scoreUnit").asText();
      double score = pm.path("score").asDouble();
      double error = finiteOr(pm.path("scoreError").asDouble(Double.NaN), Double.NaN);
      double bytes = b.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score")
          .asDouble(Double.NaN);
      if ("thrpt".equals(mode)) {
        double perSecond = score * perSecondFactor(unit);
        double perSecondError = error * perSecondFactor(unit);
        double us = 1e6 / perSecond;
        rows.add(new Row(name, mode, threads, us, us, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, perSecond, perSecondError, bytes, 0));
        continue;
      }
      double toUs = microsFactor(unit);
      double median = pm.path("scorePercentiles").path("50.0").asDouble(Double.NaN) * toUs;
      double p90 = pm.path("scorePercentiles").path("90.0").asDouble(Double.NaN) * toUs;
      double iterMin = Double.NaN;
      double iterMax = Double.NaN;
      long samples = 0;
      for (JsonNode fork : pm.path("rawDataHistogram")) {
        for (JsonNode iteration : fork) {
          double m = histogramMedian(iteration) * toUs;
          samples += histogramCount(iteration);
          iterMin = Double.isNaN(iterMin) ? m : Math.min(iterMin, m);
          iterMax = Double.isNaN(iterMax) ? m : Math.max(iterMax, m);
        }
      }
      if (!"sample".equals(mode)) {
        median = score * toUs; // average time: the mean is the only central figure there is
      }
      rows.add(new Row(name, mode, threads, median, score * toUs, error * toUs, iterMin,
          iterMax, p90, Double.NaN, Double.NaN, bytes, samples));
    }
    return rows;
  }

  /** The median of one iteration's histogram, a list of [value, count] pairs. */
  static double histogramMedian(JsonNode iteration) {
    List<double[]> bins = new ArrayList<>();
    long total = 0;
    for (JsonNode pair : iteration) {
      double v = pair.get(0).asDouble();
      long c = pair.get(1).asLong();
      bins.add(new double[] {v, c});
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    bins.sort(Comparator.comparingDouble(a -> a[0]));
    // As JMH's percentiles: the middle value, or the mean of the two middle values.
    return (valueAt(bins, (total - 1) / 2) + valueAt(bins, total / 2)) / 2;
  }

  // The value of the 0-based rank-th smallest sample.
  private static double valueAt(List<double[]> sortedBins, long rank) {
    long seen = 0;
    for (double[] bin : sortedBins) {
      seen += (long) bin[1];
      if (seen > rank) {
        return bin[0];
      }
    }
    return sortedBins.get(sortedBins.size() - 1)[0];
  }

  private static long histogramCount(JsonNode iteration) {
    long total = 0;
    for (JsonNode pair : iteration) {
      total += pair.get(1).asLong();
    }
    return total;
  }

  /** The report as Markdown (readable as plain text too). */
  static String render(List<Row> rows, JsonNode memory, String source) {
    Map<String, Row> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r.name(), r));
    Optional<Row> floor = Optional.ofNullable(byName.get("encoderOnly"));
    StringBuilder sb = new StringBuilder();
    sb.append("Results: ").append(source).append("\n\n");
    sb.append("| benchmark | median µs/query | mean ± 99.9% CI (µs) | iteration medians (µs) "
        + "| p90 (µs) | ratio to encoderOnly | B/op (-prof gc) |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      String ratio = floor.map(f -> fmt(r.medianUs() / f.medianUs(), 3)).orElse("n/a");
      if (r.isThroughput()) {
        sb.append(String.format(Locale.ROOT, "| %s (%d thr) | %s (%s ± %s q/s) | | | | %s | %s |%n",
            r.name(), r.threads(), fmt(r.medianUs(), 1), fmt(r.throughput(), 1),
            fmt(r.throughputError(), 1), ratio, bytes(r.bytesPerOp())));
      } else {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s – %s | %s | %s | %s |%n",
            r.name(), fmt(r.medianUs(), 1), fmt(r.meanUs(), 1), fmt(r.meanErrorUs(), 1),
            fmt(r.iterMinUs(), 1), fmt(r.iterMaxUs(), 1), fmt(r.p90Us(), 1), ratio,
            bytes(r.bytesPerOp())));
      }
    }
    sb.append("\nThroughput rows: µs/query = 1e6 / (queries per second over all caller threads).\n");

    List<Target> targets = targets(byName);
    if (!targets.isEmpty()) {
      sb.append("\n| target | rule | measured | met |\n|---|---|---|---|\n");
      for (Target t : targets) {
        sb.append("| ").append(t.name()).append(" | ").append(t.rule()).append(" | ")
            .append(t.measured()).append(" | ").append(t.verdict())
            .append(" |\n");
      }
    }
    if (memory != null) {
      sb.append("\nMemory (MemoryProbe): ").append(memory.path("routes").asLong())
          .append(" routes (").append(memory.path("callerThreads").asInt(1))
          .append(" caller threads) over ").append(memory.path("distinctQueries").asLong())
          .append(" distinct queries, bundle ").append(memory.path("bundle").asText())
          .append('\n');
      sb.append(String.format(Locale.ROOT,
          "- VmRSS %s MiB (peak VmHWM %s MiB); before the router %s MiB, after loading it %s MiB%n",
          mib(memory.path("rssKiB").asLong()), mib(memory.path("peakRssKiB").asLong()),
          mib(memory.path("rssBeforeRouterKiB").asLong()),
          mib(memory.path("rssAfterLoadKiB").asLong())));
      sb.append(String.format(Locale.ROOT,
          "- Java heap used %s MiB of %s MiB committed; non-heap %s MiB; JVM args: %s%n",
          fmt(memory.path("heapUsedBytes").asDouble() / (1 << 20), 0),
          fmt(memory.path("heapCommittedBytes").asDouble() / (1 << 20), 0),
          fmt(memory.path("nonHeapUsedBytes").asDouble() / (1 << 20), 0),
          memory.path("jvmArgs").asText().isEmpty() ? "(none)" : memory.path("jvmArgs").asText()));
      sb.append(String.format(Locale.ROOT,
          "- load %s s, %d routes %s s, cache hit rate %s%n",
          fmt(memory.path("loadSeconds").asDouble(), 1), memory.path("routes").asLong(),
          fmt(memory.path("routeSeconds").asDouble(), 1),
          fmt(memory.path("cacheHitRate").asDouble(), 3)));
    }
    return sb.toString();
  }

  /** The targets of the performance issue that the rows allow to evaluate. */
  static List<Target> targets(Map<String, Row> r) {
    List<Target> t = new ArrayList<>();
    ratio(t, r, "route / encoderOnly", "route", "encoderOnly", 1.10);
    ratio(t, r, "route / peerEmbed", "route", "peerEmbed", 1.0);
    ratio(t, r, "routeAllCores / peerEmbed (same threads per query)", "routeAllCores",
        "peerEmbed", 1.0);
    ratio(t, r, "shortRoute / shortPeerEmbed (≤ 128 tokens: same work)", "shortRoute",
        "shortPeerEmbed", 1.0);
    ratio(t, r, "shortRouteAllCores / shortPeerEmbed (same work, same threads)",
        "shortRouteAllCores", "shortPeerEmbed", 1.0);
    Row heads = r.get("headsOnly");
    if (heads != null) {
      t.add(new Target("headsOnly", "median ≤ 50 µs", fmt(heads.medianUs(), 1) + " µs",
          heads.medianUs() <= 50));
    }
    Row cached = r.get("routeCached");
    if (cached != null) {
      t.add(new Target("routeCached", "median ≤ 20 µs", fmt(cached.medianUs(), 1) + " µs",
          cached.medianUs() <= 20));
    }
    ratio(t, r, "routeBatch32 per query / route", "routeBatch32", "route", 0.70);
    Row t1 = r.get("routeThreads1");
    Row t2 = r.get("routeThreads2");
    Row t4 = r.get("routeThreads4");
    if (t1 != null && t2 != null) {
      double x = t2.throughput() / t1.throughput();
      t.add(new Target("routeThreads 2 / 1 thread", "≥ 1.60 (throughput)", fmt(x, 3)
          + (t4 != null ? "; 4 / 1: " + fmt(t4.throughput() / t1.throughput(), 3) : ""),
          x >= 1.6));
    }
    if (heads != null && !Double.isNaN(heads.bytesPerOp())) {
      t.add(new Target("headsOnly allocation", "no avoidable allocation (-prof gc)",
          bytes(heads.bytesPerOp()) + " B/op", "see analysis"));
    }
    if (cached != null && !Double.isNaN(cached.bytesPerOp())) {
      t.add(new Target("routeCached allocation", "reported (-prof gc)",
          bytes(cached.bytesPerOp()) + " B/op", "see analysis"));
    }
    return t;
  }

  /** A "median of a / median of b ≤ limit" target, when both rows were measured. */
  private static void ratio(List<Target> t, Map<String, Row> r, String label, String a, String b,
      double limit) {
    Row x = r.get(a);
    Row y = r.get(b);
    if (x == null || y == null) {
      return;
    }
    double median = x.medianUs() / y.medianUs();
    t.add(new Target(label, "≤ " + fmt(limit, 2) + " (medians)",
        fmt(median, 3) + " (means " + fmt(x.meanUs() / y.meanUs(), 3) + ")", median <= limit));
  }

  private static double microsFactor(String unit) {
    return switch (unit) {
      case "ns/op" -> 1e-3;
      case "us/op" -> 1;
      case "ms/op" -> 1e3;
      case "s/op" -> 1e6;
      default -> throw new IllegalArgumentException("unexpected JMH unit '" + unit
          + "'; expected ns/op, us/op, ms/op or s/op");
    };
  }

  private static double perSecondFactor(String unit) {
    return switch (unit) {
      case "ops/s" -> 1;
      case "ops/ms" -> 1e3;
      case "ops/us" -> 1e6;
      case "ops/min" -> 1.0 / 60;
      default -> throw new IllegalArgumentException("unexpected JMH unit '" + unit
          + "'; expected ops/s, ops/ms, ops/us or ops/min");
    };
  }

  private static double finiteOr(double v, double fallback) {
    return Double.isFinite(v) ? v : fallback;
  }

  private static String fmt(double v, int digits) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,." + digits + "f", v);
  }

  private static String bytes(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f", kib / 1024.0);
  }
}
