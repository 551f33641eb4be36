package dev.haps.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.data.LoggedAction;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.Truncation;
import dev.haps.testing.SharedData;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training on bandit feedback: a concise-cot slice where each query keeps one uniformly drawn
 * outcome, logged with propensity 1/8 (the 8 configurations), mixed with a few
 * full-information queries.
 */
class BanditTrainingTest {

  @TempDir static Path cache;
  static OutcomeLog bandit;
  static OnnxQueryEncoder encoder;

  @BeforeAll
  static void setUp() {
    OutcomeLog full = OutcomeLog.load(SharedData.benchmark("concise-cot").orElseThrow());
    Random rng = new Random(5);
    List<QueryRecord> recs = new ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (Split s : new Split[] {Split.TRAIN, Split.VALID}) {
      List<QueryRecord> some = full.records(s).subList(0, s == Split.TRAIN ? 150 : 60);
      for (int i = 0; i < some.size(); i++) {
        QueryRecord q = some.get(i);
        if (i < 10) {
          recs.add(q); // full information
          continue;
        }
        Outcome o = q.outcomes().get(rng.nextInt(q.outcomes().size()));
        LoggedAction a = new LoggedAction(1.0 / q.outcomes().size(), "uniform",
            rng.nextInt(11) / 10.0, t, Optional.of(t.plusSeconds(1)), false);
        recs.add(new QueryRecord(q.id(), q.task(), s, q.query(), q.answer(), List.of(
            new Outcome(o.model(), o.params(), o.score(), o.costUsd(), o.inputTokens(),
                o.outputTokens(), Optional.of(a)))));
      }
    }
    bandit = OutcomeLog.of(full.candidates(), recs);
    encoder = OnnxQueryEncoder.builder().defaultModel().maxTokens(64)
        .truncation(Truncation.TAIL).build();
  }

  @AfterAll
  static void tearDown() {
    encoder.close();
  }

  @ParameterizedTest
  @EnumSource(BanditTargets.class)
  void everyTargetKind_trainsAFiniteRouterWithoutPolicyGradient(BanditTargets targets,
      @TempDir Path out) throws Exception {
    TrainResult r = Trainer.builder().log(bandit).encoder(encoder).cacheDir(cache)
        .options(TrainOptions.builder().hiddenSizes(16).epochs(3).rlSteps(50).validateEvery(5)
            .banditTargets(targets).build())
        .output(out).createdAt(Instant.parse("2026-01-01T00:00:00Z")).build().train();
    // One outcome per query: no oracle, so no gap closed; the reward is estimated instead.
    assertThat(r.validGapClosed()).isNaN();
    assertThat(r.validMeanReward()).isFinite().isBetween(-2.0, 1.0);
    assertThat(r.members()).allSatisfy(m -> assertThat(m.rlSteps()).isZero());
    String manifest = java.nio.file.Files.readString(out.resolve("manifest.json"));
    assertThat(manifest).contains("\"snipsMeanReward\"")
        .contains("\"banditTargets\" : \"" + targets.name().toLowerCase(java.util.Locale.ROOT));
    // The direct method fits linear values, and the bundle says with which penalties; the
    // networks of the other targets have none to record.
    com.fasterxml.jackson.databind.JsonNode lin = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(manifest).path("training").path("banditLinear");
    if (targets == BanditTargets.DIRECT) {
      assertThat(r.banditLinear()).contains(new BanditPenalties(BanditLinearRecipe.DEFAULT_ALPHA,
          BanditLinearRecipe.SHARED_ALPHA, BanditLinearRecipe.COST_ALPHA,
          r.banditLinear().orElseThrow().leastRows()));
      assertThat(r.banditLinear().orElseThrow().leastRows()).isPositive();
      assertThat(lin.path("scoreAlpha").asDouble()).isEqualTo(30.0);
      assertThat(lin.path("sharedAlpha").asDouble()).isEqualTo(2.0);
      assertThat(lin.path("costAlpha").asDouble()).isEqualTo(3.0);
      assertThat(lin.path("leastRows").asInt()).isEqualTo(r.banditLinear().get().leastRows());
    } else {
      assertThat(r.banditLinear()).isEmpty();
      assertThat(lin.isMissingNode()).isTrue();
    }
  }

  @Test
  void fineTuning_onBanditFeedback_isRefusedBeforeAnyWork() {
    // Fine-tuned checkpoints are judged against every configuration's outcome on valid, which
    // bandit rows lack; the refusal comes before the engine is looked up or anything embedded.
    assertThatThrownBy(() -> Trainer.builder().log(bandit).cacheDir(cache)
        .options(TrainOptions.builder().ensemble(1).fineTune(FineTuneOptions.layers(1)).build())
        .build().train())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bandit feedback rows")
        .hasMessageContaining("without --fine-tune-layers");
  }

  @Test
  void fineTuning_withAGivenEncoder_isRefusedAtBuild() {
    // The engine fine-tunes the default encoder's layers; a given encoder would embed the
    // warm-up with another model than the one being trained.
    assertThatThrownBy(() -> Trainer.builder().log(bandit).encoder(encoder).cacheDir(cache)
        .options(TrainOptions.builder().ensemble(1).fineTune(FineTuneOptions.layers(1)).build())
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be combined with encoder(...)");
  }
}
