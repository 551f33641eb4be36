package dev.haps.train.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.Configuration;
import dev.haps.data.CandidateSet;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.testing.SharedData;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OfflineEnvironmentTest {

  private static final ParameterSpace SPACE = ParameterSpace.of(
      FloatSpec.of("temperature", 0, 2, 0.7), IntSpec.of("max_tokens", 1, 100, 50),
      CategoricalSpec.of("style", "plain", "plain", "cot"));

  private static ParameterValues pv(double t, long m, String s) {
    return ParameterValues.of(Map.of("temperature", t, "max_tokens", m, "style", s));
  }

  /** Model "m" observed at temperatures 0, 0.5, 1.5 and max_tokens 10, 90; model "x" plain. */
  static OutcomeLog log() {
    CandidateSet set = CandidateSet.of("toy", List.of(
        CandidateModel.of("m", 1, 2, SPACE), CandidateModel.of("x", 1, 1, ParameterSpace.empty())));
    List<QueryRecord> recs = new ArrayList<>();
    recs.add(QueryRecord.of("q1", "t", Split.TRAIN, "first", List.of(
        Outcome.of("m", pv(0.0, 10, "plain"), 1.0, 0.10),
        Outcome.of("m", pv(0.5, 90, "cot"), 0.0, 0.30),
        Outcome.of("m", pv(1.5, 10, "plain"), 0.5, 0.20),
        Outcome.of("x", ParameterValues.empty(), 0.0, 0.01))));
    recs.add(QueryRecord.of("q2", "t", Split.TRAIN, "second", List.of(
        Outcome.of("m", pv(0.0, 10, "plain"), 0.0, 0.50),
        Outcome.of("x", ParameterValues.empty(), 1.0, 0.02))));
    recs.add(QueryRecord.of("q3", "t", Split.VALID, "third", List.of(
        Outcome.of("x", ParameterValues.empty(), 1.0, 0.02))));
    return OutcomeLog.of(set, recs);
  }

  @Test
  void snap_numbersGoToNearestObservedValue() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    assertThat(env.snap("m", pv(0.3, 40, "cot"))).isEqualTo(pv(0.5, 10, "cot"));
    assertThat(env.snap("m", pv(1.9, 60, "plain"))).isEqualTo(pv(1.5, 90, "plain"));
  }

  @Test
  void snap_tieGoesToTheSmallerValue() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    // 0.25 is as far from 0 as from 0.5; 50 as far from 10 as from 90.
    assertThat(env.snap("m", pv(0.25, 50, "plain"))).isEqualTo(pv(0.0, 10, "plain"));
  }

  @Test
  void snap_missingParametersTakeDefaultsThenSnap() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    // Defaults 0.7 / 50 / plain snap to 0.5 / 10 / plain.
    assertThat(env.snap("m", ParameterValues.empty())).isEqualTo(pv(0.5, 10, "plain"));
  }

  @Test
  void snap_propertySnappedValueIsObservedAndNearest() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    SplittableRandom r = new SplittableRandom(5);
    double[] observed = {0.0, 0.5, 1.5};
    for (int i = 0; i < 1000; i++) {
      double t = r.nextDouble() * 2;
      double s = env.snap("m", pv(t, 1 + r.nextInt(100), "plain")).getDouble("temperature");
      assertThat(observed).contains(s);
      for (double o : observed) {
        assertThat(Math.abs(s - t)).isLessThanOrEqualTo(Math.abs(o - t));
      }
    }
  }

  @Test
  void snap_undeclaredParameterIsAnError() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    assertThatThrownBy(() -> env.snap("x", ParameterValues.of(Map.of("temperature", 1.0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'temperature' is not declared for model 'x'");
    assertThatThrownBy(() -> env.snap("nope", ParameterValues.empty()))
        .hasMessageContaining("model 'nope' is not a candidate of toy");
  }

  @Test
  void outcome_exactMatchAfterSnapping() {
    OutcomeLog log = log();
    OfflineEnvironment env = OfflineEnvironment.of(log, false);
    QueryRecord q1 = log.records().get(0);
    Outcome o = env.outcome(q1, "m", pv(1.2, 15, "plain")).orElseThrow();
    assertThat(o.score()).isEqualTo(0.5);
    assertThat(o.costUsd()).isEqualTo(0.20);
  }

  @Test
  void outcome_fallsBackToClosestRecordedConfiguration() {
    OutcomeLog log = log();
    OfflineEnvironment env = OfflineEnvironment.of(log, false);
    QueryRecord q2 = log.records().get(1);
    // q2 only recorded m at (0, 10, plain): any m request lands there.
    assertThat(env.outcome(q2, "m", pv(2.0, 100, "cot")).orElseThrow().costUsd()).isEqualTo(0.5);
    // q3 has no outcome of m at all.
    assertThat(env.outcome(log.records().get(2), "m", ParameterValues.empty())).isEmpty();
  }

  @Test
  void reward_usesCostTradeoffAndOptionalFailureAugmentation() {
    OutcomeLog log = log();
    CostTradeoff t = CostTradeoff.withCostScale(0.2);
    OfflineEnvironment plain = OfflineEnvironment.of(log, t, false);
    OfflineEnvironment aug = OfflineEnvironment.of(log, t, true);
    QueryRecord q1 = log.records().get(0);
    double w = 0.5;
    double lambda = t.lambda(w);
    assertThat(plain.reward(q1, "m", pv(0.5, 90, "cot"), w).getAsDouble())
        .isCloseTo(0.0 - lambda * 0.30 / 0.2, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(aug.reward(q1, "m", pv(0.5, 90, "cot"), w).getAsDouble())
        .isCloseTo(-1.0 - lambda * 0.30 / 0.2, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(aug.reward(q1, "m", pv(0.0, 10, "plain"), 0).getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void configurations_areTheTrainSplitsDistinctSnappedConfigurations() {
    OfflineEnvironment env = OfflineEnvironment.of(log(), false);
    assertThat(env.configurations()).containsExactly(
        new Configuration("m", pv(0.0, 10, "plain")),
        new Configuration("m", pv(0.5, 90, "cot")),
        new Configuration("m", pv(1.5, 10, "plain")),
        new Configuration("x", ParameterValues.empty()));
  }

  @Test
  void costScale_isMeanCostOfMostExpensiveFixedConfigurationOnTrain() {
    // m(0,10,plain) costs 0.10 and 0.50 on train: mean 0.30, the most expensive.
    assertThat(OfflineEnvironment.costScale(log())).isCloseTo(0.30,
        org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void sharedData_everyOutcomeOfConciseCotIsFoundByItsOwnConfiguration() {
    OutcomeLog log = OutcomeLog.load(SharedData.benchmark("concise-cot").orElseThrow());
    OfflineEnvironment env = OfflineEnvironment.of(log, false);
    assertThat(env.configurations()).hasSize(8);
    for (QueryRecord q : log.records(Split.TRAIN).subList(0, 50)) {
      for (Outcome o : q.outcomes()) {
        assertThat(env.outcome(q, o.model(), o.params())).contains(o);
      }
    }
    assertThat(OfflineEnvironment.costScale(log)).isCloseTo(0.2121,
        org.assertj.core.data.Offset.offset(0.01));
  }
}
