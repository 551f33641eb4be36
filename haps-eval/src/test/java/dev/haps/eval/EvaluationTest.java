package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.data.OutcomeLog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a slice of concise-cot (60 train, 30 valid, 40 test queries) with the
 * real encoder (embeddings come from the shared disk cache after the first run).
 */
class EvaluationTest {

  @TempDir static Path out;
  static OutcomeLog log;
  static EvalReport report;
  static final List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void runOnce() {
    log = Fixtures.subset(OutcomeLog.load(Fixtures.sharedData().resolve("concise-cot")), 60, 30,
        40);
    report = Evaluation.builder()
        .data(log)
        .seed(7)
        .report(out)
        .progress((stage, done, total) -> progress.add(stage + " " + done + "/" + total))
        .build()
        .run();
  }

  @Test
  void run_allBaselines_areSweptInReportOrder() {
    assertThat(report.routers()).extracting(RouterResult::name).containsExactly(
        "best-fixed", "knn", "mlp", "ridge", "arch-only-knn", "cheapest", "random", "oracle");
    assertThat(report.routers()).allSatisfy(r -> assertThat(r.points()).hasSize(21));
    assertThat(report.router("oracle").orElseThrow().metrics().gapClosed())
        .isCloseTo(1, within(1e-12));
    assertThat(report.router("best-fixed").orElseThrow().metrics().gapClosed())
        .isLessThanOrEqualTo(1e-12);
  }

  @Test
  void reportJson_hasTheAgreedShape() throws Exception {
    JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(j.path("benchmark").asText()).isEqualTo("concise-cot");
    assertThat(j.path("split").asText()).isEqualTo("test");
    assertThat(j.path("cost_weights")).hasSize(21);
    assertThat(j.path("cost_weights").get(20).asDouble()).isEqualTo(1.0);
    JsonNode r = j.path("routers").get(0);
    for (String k : List.of("name", "aiq", "gap_closed", "score_at_best_single_cost",
        "cost_to_match_best_single", "points", "per_task", "share_per_model")) {
      assertThat(r.has(k)).as(k).isTrue();
    }
    JsonNode p = r.path("points").get(0);
    for (String k : List.of("cost_weight", "mean_cost", "mean_score")) {
      assertThat(p.has(k)).as(k).isTrue();
    }
    long tasks = log.records(dev.haps.data.Split.TEST).stream()
        .map(dev.haps.data.QueryRecord::task).distinct().count();
    assertThat(tasks).isGreaterThan(5);
    assertThat(r.path("per_task").size()).isEqualTo((int) tasks);
  }

  @Test
  void decisionsFile_hasOneLinePerRouterWeightAndQuery() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("decisions.jsonl"));
    assertThat(lines).hasSize(Evaluation.BASELINES.size() * 21 * 40);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.fieldNames()).toIterable()
        .containsExactly("router", "cost_weight", "id", "model", "params");
  }

  @Test
  void recompute_everyNumberMatchesTheDecisionsAndTheLog() {
    assertThat(Recompute.check(out, log)).isEmpty();
  }

  @Test
  void recompute_tamperedBootstrapInterval_isReported() throws Exception {
    Path copy = Files.createTempDirectory(out, "tampered-interval");
    Files.copy(out.resolve("decisions.jsonl"), copy.resolve("decisions.jsonl"));
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new ObjectMapper().readTree(out.resolve("report.json").toFile());
    com.fasterxml.jackson.databind.node.ArrayNode iv =
        (com.fasterxml.jackson.databind.node.ArrayNode)
            json.path("routers").path(1).path("gap_closed_95");
    iv.set(1, iv.get(1).asDouble() + 0.01);
    new ObjectMapper().writeValue(copy.resolve("report.json").toFile(), json);
    String name = json.path("routers").path(1).path("name").asText();
    List<String> problems = Recompute.check(copy, log);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith(name + " gap_closed_95 high: report says " + iv.get(1) + ", recomputed ");
  }

  @Test
  void recompute_tamperedDecision_isReported() throws Exception {
    Path copy = Files.createTempDirectory(out, "tampered");
    Files.copy(out.resolve("report.json"), copy.resolve("report.json"));
    List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve("decisions.jsonl")));
    // Send one knn decision to another configuration.
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.contains("\"router\":\"knn\"") && l.contains("\"model\":\"gpt-35-turbo\"")) {
        lines.set(i, l.replace("\"model\":\"gpt-35-turbo\"", "\"model\":\"gpt-4\""));
        break;
      }
    }
    Files.write(copy.resolve("decisions.jsonl"), lines);
    assertThat(Recompute.check(copy, log)).isNotEmpty()
        .anySatisfy(s -> assertThat(s).startsWith("knn"));
  }

  @Test
  void ranked_isSortedByAiq() {
    List<RouterResult> ranked = report.ranked();
    for (int i = 1; i < ranked.size(); i++) {
      assertThat(ranked.get(i).metrics().aiq())
          .isLessThanOrEqualTo(ranked.get(i - 1).metrics().aiq());
    }
    List<String> names = ranked.stream().map(RouterResult::name).toList();
    assertThat(names.indexOf("oracle")).isLessThan(names.indexOf("random"));
    assertThat(report.bootstrapResamples()).isEqualTo(Bootstrap.RESAMPLES);
  }

  @Test
  void plotAndHtml_areSelfContainedAndReadable() throws Exception {
    BufferedImage img = ImageIO.read(out.resolve("cost-quality.png").toFile());
    assertThat(img.getWidth()).isEqualTo(1500);
    assertThat(img.getHeight()).isEqualTo(950);
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("data:image/png;base64,").contains("<table")
        .contains("Run settings").contains("knn");
    assertThat(html).doesNotContain("src=\"http").doesNotContain("<script");
  }

  @Test
  void progress_drawsABarWithCarriageReturns() {
    assertThat(progress).contains("sweep knn 21/21");
  }

  @Test
  void run_sameSeed_givesTheSameNumbers() {
    EvalReport again = Evaluation.builder().data(log).seed(7).build().run();
    for (RouterResult r : report.routers()) {
      RouterResult a = again.router(r.name()).orElseThrow();
      assertThat(a.metrics()).isEqualTo(r.metrics());
      assertThat(a.points()).isEqualTo(r.points());
    }
  }

  @Test
  void builder_secondMainBundle_isRejectedNamingTheFirst() {
    assertThatThrownBy(() -> Evaluation.builder().bundle(Path.of("a")).bundle(Path.of("b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bundle 'haps' was already set to a");
  }

  @Test
  void builder_unknownBaseline_isRejectedListingTheKnownOnes() {
    assertThatThrownBy(() -> Evaluation.builder().baselines("knn", "svm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'svm'")
        .hasMessageContaining("best-fixed");
  }

  @Test
  void builder_noData_isRejectedSayingWhatToPass() {
    assertThatThrownBy(() -> Evaluation.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("data(Path)");
  }
}
