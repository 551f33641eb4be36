package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's baselines on a hand-computed log: two models, one with two styles. */
class FixedConfigurationsTest {

  private static final ParameterValues SHORT = ParameterValues.of(Map.of("style", "short"));
  private static final ParameterValues LONG = ParameterValues.of(Map.of("style", "long"));

  /**
   * Train: big/short scores 1, 1 at cost 0.10; big/long 1, 1 at 0.30; small/short 1, 0 at 0.01.
   * The test record scores differently so that train-only choices are visible.
   */
  private static OutcomeLog log() {
    ParameterSpace space = ParameterSpace.of(CategoricalSpec.of("style", "short", "short",
        "long"));
    CandidateSet cands = CandidateSet.of("toy", List.of(CandidateModel.of("big", 1, 1, space),
        CandidateModel.of("small", 1, 1, space)));
    List<QueryRecord> records = new ArrayList<>();
    records.add(record("t1", Split.TRAIN, 1, 1, 1));
    records.add(record("t2", Split.TRAIN, 1, 1, 0));
    records.add(record("x1", Split.TEST, 0, 1, 1));
    return OutcomeLog.of(cands, records);
  }

  private static QueryRecord record(String id, Split split, double bigShort, double bigLong,
      double smallShort) {
    return QueryRecord.of(id, "task", split, "question " + id, List.of(
        Outcome.of("big", SHORT, bigShort, 0.10),
        Outcome.of("big", LONG, bigLong, 0.30),
        Outcome.of("small", SHORT, smallShort, 0.01)));
  }

  @Test
  void measure_averagesEachConfigurationOnTheSplitOnly() {
    FixedConfigurations train = FixedConfigurations.measure(log(), Split.TRAIN);

    assertThat(train.all()).hasSize(3);
    FixedConfigurations.Stats small = train.all().get(2);
    assertThat(small.label()).isEqualTo("small style=short");
    assertThat(small.meanScore()).isEqualTo(0.5);
    assertThat(small.meanCost()).isCloseTo(0.01, within(1e-12));
    assertThat(train.costScale()).isCloseTo(0.30, within(1e-12));
  }

  @Test
  void best_atCostWeightZero_isTheBestScoreTiesToTheCheaper() {
    FixedConfigurations train = FixedConfigurations.measure(log(), Split.TRAIN);
    CostTradeoff t = CostTradeoff.withCostScale(train.costScale());

    assertThat(train.best(t, 0).label()).isEqualTo("big style=short");
  }

  @Test
  void best_atCostWeightOne_isTheCheapWhenLambdaIsLarge() {
    FixedConfigurations train = FixedConfigurations.measure(log(), Split.TRAIN);
    CostTradeoff t = CostTradeoff.withCostScale(train.costScale());
    // lambda(1) = 10: big/short 1 - 10*0.1/0.3 = -2.33; small/short 0.5 - 10*0.01/0.3 = 0.17.

    assertThat(train.best(t, 1).label()).isEqualTo("small style=short");
    assertThat(train.cheapest().label()).isEqualTo("small style=short");
  }

  @Test
  void outcome_readsTheRecordedTestOutcome() {
    OutcomeLog log = log();
    FixedConfigurations train = FixedConfigurations.measure(log, Split.TRAIN);
    QueryRecord test = log.records(Split.TEST).get(0);

    assertThat(FixedConfigurations.outcome(test, train.all().get(0)).orElseThrow().score())
        .isZero();
  }

  @Test
  void spread_picksEvenlySpacedRecords() {
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(QueryRecord.of("q" + i, "task", Split.TEST, "text " + i, List.of()));
    }

    assertThat(DemoCommand.spread(all, 3)).extracting(QueryRecord::id)
        .containsExactly("q0", "q3", "q6");
  }
}
