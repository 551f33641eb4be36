package dev.haps.eval.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Configuration;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The best single and the cheapest configuration (the baselines' and the CLI demo's) on a
 * hand-computed log: two models, one with two styles.
 */
class FixedChoicesTest {

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

  private final OutcomeTable train = OutcomeTable.of(log(), Split.TRAIN);

  @Test
  void means_areOverTheTablesSplitOnly() {
    assertThat(train.configurations()).hasSize(3);
    assertThat(train.configurations().get(2)).isEqualTo(new Configuration("small", SHORT));
    assertThat(train.meanScore(2)).isEqualTo(0.5);
    assertThat(train.meanCost(2)).isCloseTo(0.01, within(1e-12));
    assertThat(train.maxMeanCost()).isCloseTo(0.30, within(1e-12));
  }

  @Test
  void bestConfiguration_atCostWeightZero_isTheBestScoreTiesToTheCheaper() {
    CostTradeoff t = CostTradeoff.withCostScale(train.maxMeanCost());

    assertThat(train.configurations().get(train.bestConfiguration(t, 0)))
        .isEqualTo(new Configuration("big", SHORT));
  }

  @Test
  void bestConfiguration_atCostWeightOne_isTheCheapWhenLambdaIsLarge() {
    CostTradeoff t = CostTradeoff.withCostScale(train.maxMeanCost());
    // lambda(1) = 10: big/short 1 - 10*0.1/0.3 = -2.33; small/short 0.5 - 10*0.01/0.3 = 0.17.

    assertThat(train.configurations().get(train.bestConfiguration(t, 1)))
        .isEqualTo(new Configuration("small", SHORT));
    assertThat(train.configurations().get(train.cheapestConfiguration()))
        .isEqualTo(new Configuration("small", SHORT));
  }
}
