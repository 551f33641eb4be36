package dev.haps.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sample-mode result shaped as JMH 1.37 writes it; the histogram has one iteration. */
  private static String sample(String name, double median, String unit, String histogram,
      double bytesPerOp) {
    return """
        {"benchmark": "dev.haps.bench.RouterBench.%s", "mode": "sample", "threads": 1,
         "primaryMetric": {"score": %s, "scoreError": 1.5, "scoreUnit": "%s",
           "scorePercentiles": {"50.0": %s, "90.0": %s},
           "rawDataHistogram": [[[%s]]]},
         "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreError": "NaN",
           "scoreUnit": "B/op"}}}
        """.formatted(name, median, unit, median, median * 2, histogram, bytesPerOp);
  }

  private static String throughput(String name, int threads, double opsPerSecond) {
    return """
        {"benchmark": "dev.haps.bench.RouterBench.%s", "mode": "thrpt", "threads": %d,
         "primaryMetric": {"score": %s, "scoreError": 2.0, "scoreUnit": "ops/s"},
         "secondaryMetrics": {}}
        """.formatted(name, threads, opsPerSecond);
  }

  private static List<Report.Row> rows() throws Exception {
    JsonNode root = JSON.readTree("[" + String.join(",",
        sample("encoderOnly", 4.0, "ms/op", "[3.0, 2], [4.0, 1], [5.0, 2]", 900),
        sample("route", 4200.0, "us/op", "[4200.0, 3]", 1500),
        sample("headsOnly", 30.0, "us/op", "[30.0, 3]", 480),
        sample("routeCached", 25.0, "us/op", "[25.0, 3]", 200),
        sample("routeBatch32", 2600.0, "us/op", "[2600.0, 3]", 1000),
        sample("peerEmbed", 5000.0, "us/op", "[5000.0, 3]", 40000),
        throughput("routeThreads1", 1, 240.0),
        throughput("routeThreads2", 2, 400.0)) + "]");
    return Report.parse(root);
  }

  @Test
  void parse_convertsUnitsAndThroughputToMicrosecondsPerQuery() throws Exception {
    Map<String, Report.Row> byName = new LinkedHashMap<>();
    rows().forEach(r -> byName.put(r.name(), r));

    assertThat(byName.get("encoderOnly").medianUs()).isEqualTo(4000.0);
    assertThat(byName.get("encoderOnly").iterMinUs()).isEqualTo(4000.0);
    assertThat(byName.get("encoderOnly").samples()).isEqualTo(5);
    assertThat(byName.get("route").bytesPerOp()).isEqualTo(1500.0);
    assertThat(byName.get("routeThreads2").medianUs()).isCloseTo(2500.0, within(1e-9));
    assertThat(byName.get("routeThreads2").throughput()).isEqualTo(400.0);
  }

  @Test
  void targets_judgeEachRuleOnMedians() throws Exception {
    Map<String, Report.Row> byName = new LinkedHashMap<>();
    rows().forEach(r -> byName.put(r.name(), r));

    Map<String, String> verdicts = new LinkedHashMap<>();
    Report.targets(byName).forEach(t -> verdicts.put(t.name(), t.verdict()));

    assertThat(verdicts).containsEntry("route / encoderOnly", "yes") // 1.05
        .containsEntry("route / peerEmbed", "yes") // 0.84
        .containsEntry("headsOnly", "yes")
        .containsEntry("routeCached", "**no**") // 25 > 20
        .containsEntry("routeBatch32 per query / route", "yes") // 0.62
        .containsEntry("routeThreads 2 / 1 thread", "yes") // 1.67
        .containsEntry("headsOnly allocation", "see analysis");
  }

  @Test
  void histogramMedian_takesTheMeanOfTheMiddlePairForEvenCounts() throws Exception {
    JsonNode even = JSON.readTree("[[1.0, 1], [2.0, 1], [10.0, 1], [20.0, 1]]");
    JsonNode odd = JSON.readTree("[[5.0, 2], [1.0, 1], [9.0, 2]]");

    assertThat(Report.histogramMedian(even)).isEqualTo(6.0);
    assertThat(Report.histogramMedian(odd)).isEqualTo(5.0);
  }

  @Test
  void render_printsEveryBenchmarkWithItsRatioToTheFloor() throws Exception {
    String text = Report.render(rows(), null, "x.json");

    assertThat(text).contains("| route | 4,200.0 |").contains("| 1.050 |")
        .contains("| routeThreads2 (2 thr) | 2,500.0 (400.0 ± 2.0 q/s)");
  }
}
