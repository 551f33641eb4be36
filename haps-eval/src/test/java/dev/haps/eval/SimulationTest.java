package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.Exploration;
import dev.haps.data.FeedbackLog;
import dev.haps.data.OutcomeLog;
import dev.haps.train.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop end to end on a slice of concise-cot (60 train, 30 valid, 40 test queries),
 * small networks: cold start, 360 calls, retrainings after 30, 60, then every 120 calls, the guard, the deliberately
 * worse candidate, the learning curve and the final test decisions. The long runs are behind
 * {@code haps simulate} (docs/learning-loop.md).
 */
class SimulationTest {

  @TempDir static Path out;
  static SimulationReport report;

  @BeforeAll
  static void runOnce() {
    OutcomeLog log = Fixtures.subset(OutcomeLog.load(Fixtures.sharedData()
        .resolve("concise-cot")), 60, 30, 40);
    report = Simulation.builder()
        .data(log)
        .calls(360)
        .retrainEvery(120)
        .warmup(0)
        .seed(3)
        .exploration(Exploration.epsilonGreedy(0.2))
        .trainOptions(TrainOptions.builder().hiddenSizes(16).epochs(4).build())
        .out(out)
        .build()
        .run();
  }

  @Test
  void everyCallIsLoggedWithItsPropensity_andEveryRetrainingIsAPoint() {
    assertThat(report.points()).extracting(SimulationReport.Point::calls)
        .containsExactly(30, 60, 120, 240, 360);
    FeedbackLog.Joined j = FeedbackLog.load(out.resolve("feedback"),
        FeedbackLog.JoinPolicy.defaults(), Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(j.calls()).isEqualTo(360);
    assertThat(j.scored()).isEqualTo(360);
    assertThat(j.log().records()).allSatisfy(r -> assertThat(r.outcomes().get(0).logged()
        .orElseThrow().propensity()).isBetween(0.0, 1.0));
    // Cold start: the first 30 calls explore uniformly over the 8 configurations.
    assertThat(j.log().records().subList(0, 30)).allSatisfy(r -> assertThat(r.outcomes()
        .get(0).logged().orElseThrow().propensity()).isEqualTo(1.0 / 8));
  }

  @Test
  void warmup_byDefaultThePool_exploresUniformlyUntilTheFirstRetraining(@TempDir Path dir)
      throws Exception {
    OutcomeLog log = Fixtures.subset(OutcomeLog.load(Fixtures.sharedData()
        .resolve("concise-cot")), 60, 30, 40);
    // No warmup given: a cold start explores uniformly over the pool's 90 queries' worth.
    SimulationReport r = Simulation.builder().data(log).calls(200).retrainEvery(80)
        .seed(4).trainOptions(TrainOptions.builder().hiddenSizes(16).epochs(4).build())
        .checkWorse(false).out(dir).build().run();
    assertThat(new ObjectMapper().readTree(dir.resolve("learning-curve.json").toFile())
        .path("warmup").asInt()).isEqualTo(90);
    assertThat(r.points()).extracting(SimulationReport.Point::calls)
        .containsExactly(90, 160, 200);
    FeedbackLog.Joined j = FeedbackLog.load(dir.resolve("feedback"),
        FeedbackLog.JoinPolicy.defaults(), Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(j.log().records().subList(0, 90)).allSatisfy(q -> assertThat(q.outcomes()
        .get(0).logged().orElseThrow().policy()).isEqualTo(Promoter.UNIFORM));
    assertThatThrownBy(() -> Simulation.builder().warmup(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmup");
  }

  @Test
  void theGuardLogsEveryDecision_andNeverPromotesTheWorseCandidate() throws Exception {
    List<String> decisions = Files.readAllLines(out.resolve("serving/promotions.jsonl"));
    assertThat(decisions).isNotEmpty();
    JsonNode first = new ObjectMapper().readTree(decisions.get(0));
    assertThat(first.has("candidate_dr_low")).isTrue();
    assertThat(first.has("serving_observed")).isTrue();
    assertThat(report.worseCandidatesChecked()).isEqualTo(1);
    assertThat(report.worseCandidatesPromoted()).isZero();
  }

  @Test
  void theLearningCurveIsWritten() throws Exception {
    JsonNode j = new ObjectMapper().readTree(out.resolve("learning-curve.json").toFile());
    assertThat(j.path("points")).hasSize(5);
    assertThat(j.path("points").get(0).has("served_reward")).isTrue();
    assertThat(j.path("points").get(0).has("best_fixed_reward")).isTrue();
    byte[] png = Files.readAllBytes(out.resolve("learning-curve.png"));
    assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    if (report.promotions() > 0) {
      assertThat(out.resolve("final-eval/decisions.jsonl")).exists();
      assertThat(report.finalTestGapClosed()).isFinite();
    }
  }

  @Test
  void frontierAfter_narrowsTheWarmupPerCostWeight_eachNarrowingItsOwnPolicy(
      @TempDir Path dir) {
    OutcomeLog log = Fixtures.subset(OutcomeLog.load(Fixtures.sharedData()
        .resolve("concise-cot")), 60, 30, 40);
    Simulation.builder().data(log).calls(240).retrainEvery(240).warmup(240).frontierAfter(8)
        .seed(5).checkWorse(false).evaluateTest(false).out(dir).build().run();
    FeedbackLog.Joined j = FeedbackLog.load(dir.resolve("feedback"),
        FeedbackLog.JoinPolicy.defaults(), Instant.parse("2030-01-01T00:00:00Z"));
    java.util.regex.Pattern id = java.util.regex.Pattern.compile(
        "frontier-(\\d\\.\\d\\d)-(\\d+)-of-8");
    java.util.Map<String, java.util.Set<String>> configsByPolicy = new java.util.LinkedHashMap<>();
    boolean narrowed = false;
    for (var r : j.log().records()) {
      var o = r.outcomes().get(0);
      var a = o.logged().orElseThrow();
      int k = 8;
      if (!a.policy().equals(Promoter.UNIFORM)) {
        java.util.regex.Matcher m = id.matcher(a.policy());
        assertThat(m.matches()).as(a.policy()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("the call's own cost weight")
            .isCloseTo(a.costWeight(), org.assertj.core.data.Offset.offset(0.005));
        k = Integer.parseInt(m.group(2));
        narrowed = true;
      }
      assertThat(a.propensity()).isEqualTo(1.0 / k);
      configsByPolicy.computeIfAbsent(a.policy(), p -> new java.util.HashSet<>())
          .add(o.model() + o.params());
    }
    assertThat(narrowed).as("at least one narrowing in this run").isTrue();
    assertThat(configsByPolicy.keySet()).first().isEqualTo(Promoter.UNIFORM);
    configsByPolicy.forEach((policy, seen) -> {
      java.util.regex.Matcher m = id.matcher(policy);
      if (m.matches()) {
        assertThat(seen.size()).as(policy).isLessThanOrEqualTo(Integer.parseInt(m.group(2)));
      }
    });
    assertThatThrownBy(() -> Simulation.builder().frontierAfter(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 0");
  }
}
