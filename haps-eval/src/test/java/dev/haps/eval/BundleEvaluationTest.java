package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.data.OutcomeLog;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAPS bundles in the evaluation: two tiny bundles trained by the project's trainer on a slice
 * of concise-cot, routed through the runtime's {@code HapsRouter} at every cost weight.
 */
class BundleEvaluationTest {

  @TempDir static Path dir;
  static OutcomeLog log;
  static EvalReport report;

  @BeforeAll
  static void trainAndEvaluate() {
    log = Fixtures.subset(OutcomeLog.load(Fixtures.sharedData().resolve("concise-cot")), 60, 30,
        40);
    Trainer.builder().log(log).output(dir.resolve("haps")).options(TrainOptions.builder()
        .seed(1).epochs(2).rlSteps(0).ensemble(1).hiddenSizes(16).features(false).build())
        .build().train();
    Trainer.builder().log(log).output(dir.resolve("nosharing")).options(TrainOptions.builder()
        .seed(1).epochs(2).rlSteps(0).ensemble(1).hiddenSizes(16).features(false)
        .parameterSharing(false).build()).build().train();
    report = Evaluation.builder()
        .data(log)
        .bundle(dir.resolve("haps"))
        .bundle("no-sharing", dir.resolve("nosharing"))
        .baselines("best-fixed", "oracle")
        .report(dir.resolve("report"))
        .build()
        .run();
  }

  @Test
  void run_bundles_areSweptFirstAsKindHaps() {
    assertThat(report.routers()).extracting(RouterResult::name)
        .containsExactly("haps", "no-sharing", "best-fixed", "oracle");
    assertThat(report.routers().subList(0, 2))
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo("haps"));
    assertThat(report.router("haps").orElseThrow().points()).hasSize(21);
  }

  @Test
  void run_bootstrap_intervalsForEveryRouterAndTheMainBundleAgainstEachOther() throws Exception {
    for (RouterResult r : report.routers()) {
      assertThat(r.gapClosed95().low()).isLessThanOrEqualTo(r.gapClosed95().high());
    }
    assertThat(report.router("oracle").orElseThrow().gapClosed95())
        .isEqualTo(new GapInterval(1, 1));
    assertThat(report.comparisons()).extracting(PairedGap::versus)
        .containsExactly("no-sharing", "best-fixed", "oracle");
    assertThat(report.comparisons()).allSatisfy(c -> {
      assertThat(c.router()).isEqualTo("haps");
      assertThat(c.shareAhead()).isBetween(0.0, 1.0);
    });
    JsonNode json = new ObjectMapper().readTree(dir.resolve("report/report.json").toFile());
    assertThat(json.path("routers").path(0).path("gap_closed_95")).hasSize(2);
    assertThat(json.path("bootstrap").path("resamples").asInt()).isEqualTo(Bootstrap.RESAMPLES);
    assertThat(json.path("bootstrap").path("comparisons")).hasSize(3);
    assertThat(Files.readString(dir.resolve("report/report.html")))
        .contains("bundle ahead in");
  }

  @Test
  void run_costScaleAndLambdas_comeFromTheMainBundlesManifest() throws Exception {
    JsonNode m = new ObjectMapper().readTree(dir.resolve("haps/manifest.json").toFile());
    assertThat(report.settings().get("cost_scale")).isEqualTo(m.path("costScale").asDouble());
    assertThat((String) report.settings().get("cost_scale_source")).contains("'haps'");
    assertThat((String) report.settings().get("encoder")).contains("truncation "
        + m.path("encoder").path("truncation").asText());
  }

  @Test
  void recompute_bundleDecisionsMatchTheLog() throws Exception {
    assertThat(Recompute.check(dir.resolve("report"), log)).isEmpty();
    List<String> lines = Files.readAllLines(dir.resolve("report/decisions.jsonl"));
    assertThat(lines).hasSize(4 * 21 * 40);
    assertThat(lines.get(0)).startsWith("{\"router\":\"haps\",\"cost_weight\":0.0,");
  }

  @Test
  void run_bundleFromAnotherBenchmark_isRejectedNamingTheModel() {
    OutcomeLog other = Fixtures.toyLog(5, 1);
    assertThatThrownBy(() -> Evaluation.builder().data(other).bundle(dir.resolve("haps"))
            .baselines().build().run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("which the outcome log of 'toy' does not record")
        .hasMessageContaining("[small, big]");
  }
}
