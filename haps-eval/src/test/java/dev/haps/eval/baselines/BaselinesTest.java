package dev.haps.eval.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Outcome;
import dev.haps.data.QueryRecord;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.EvalRouter;
import dev.haps.eval.Fixtures;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private final OutcomeLog log = Fixtures.toyLog(60, 7);
  private final OutcomeTable train = OutcomeTable.of(log, Split.TRAIN);
  private final OutcomeTable valid = OutcomeTable.of(log, Split.VALID, train.configurations());
  private final OutcomeTable test = OutcomeTable.of(log, Split.TEST, train.configurations());
  private final CostTradeoff tradeoff = CostTradeoff.withCostScale(train.maxMeanCost());
  private final double[] grid = CostTradeoff.grid(21);
  private final TrainingData data = new TrainingData(train, Fixtures.toyEmbeddings(train, 1),
      valid, Fixtures.toyEmbeddings(valid, 2), tradeoff, grid, 42);
  private final float[][] testEmb = Fixtures.toyEmbeddings(test, 3);
  private final Yardstick yardstick = test.yardstick(grid, tradeoff);

  private double aiq(EvalRouter r) {
    List<TradeoffPoint> pts = new ArrayList<>();
    for (double w : grid) {
      int[] c = new int[test.size()];
      for (int q = 0; q < c.length; q++) {
        c[q] = test.snap(r.decide(q, w));
      }
      pts.add(test.point(c));
    }
    return yardstick.measure(pts).aiq();
  }

  @Test
  void cheapest_alwaysPicksTheLowestMeanTrainCost() {
    EvalRouter r = Baselines.cheapest(train);
    assertThat(r.decide(0, 0)).isEqualTo(Decision.of(train.configurations().get(0)));
    assertThat(r.decide(5, 1)).isEqualTo(r.decide(0, 0));
  }

  @Test
  void bestFixed_followsTheMeanTrainRewardAcrossWeights() {
    EvalRouter r = Baselines.bestFixed(train, tradeoff);
    // Cost weight 0: only the score counts, and big/b always scores 1.
    assertThat(r.decide(0, 0)).isEqualTo(new Decision("big", Fixtures.style("b")));
    // Cost weight 1 (λ = 10): the cheapest configuration wins.
    assertThat(r.decide(0, 1).model()).isEqualTo("small");
  }

  @Test
  void random_isDeterministicPerSeedQueryAndWeight() {
    EvalRouter a = Baselines.random(train.configurations(), 5);
    EvalRouter b = Baselines.random(train.configurations(), 5);
    Map<String, Integer> seen = new HashMap<>();
    for (int q = 0; q < 200; q++) {
      assertThat(a.decide(q, 0.3)).isEqualTo(b.decide(q, 0.3));
      seen.merge(a.decide(q, 0.3).model(), 1, Integer::sum);
    }
    assertThat(seen).containsOnlyKeys("small", "big");
  }

  @Test
  void oracle_matchesTheTablesOracle() {
    EvalRouter r = Baselines.oracle(test, tradeoff);
    int[] o = test.oracleChoices(0.5, tradeoff);
    for (int q = 0; q < test.size(); q++) {
      assertThat(test.snap(r.decide(q, 0.5))).isEqualTo(o[q]);
    }
  }

  @Test
  void knn_separableEmbeddings_beatsTheFixedHullAndTunesKOnValid() {
    EvalRouter r = Baselines.knn(data, testEmb);
    assertThat(r.name()).isEqualTo("knn");
    assertThat(r.description()).startsWith("k=").contains("valid AIQ");
    assertThat(aiq(r)).isGreaterThan(yardstick.aiqFixed());
    // Easy queries go to the cheap model once cost matters.
    for (int q = 0; q < test.size(); q++) {
      if (test.text(q).startsWith("easy")) {
        assertThat(r.decide(q, 0.5).model()).isEqualTo("small");
      }
    }
  }

  @Test
  void mlp_separableEmbeddings_beatsTheFixedHullAndIsDeterministic() {
    EvalRouter a = Baselines.mlp(data, testEmb);
    EvalRouter b = Baselines.mlp(data, testEmb);
    assertThat(aiq(a)).isGreaterThan(yardstick.aiqFixed());
    for (double w : grid) {
      for (int q = 0; q < test.size(); q++) {
        assertThat(a.decide(q, w)).isEqualTo(b.decide(q, w));
      }
    }
    assertThat(a.description()).contains("hidden=").contains("epochs=");
  }

  @Test
  void ridge_separableEmbeddings_beatsTheFixedHullTunesAlphaAndIsDeterministic() {
    EvalRouter a = Baselines.ridge(data, testEmb);
    EvalRouter b = Baselines.ridge(data, testEmb);
    assertThat(a.name()).isEqualTo("ridge");
    assertThat(a.description()).startsWith("alpha=").contains("valid AIQ");
    assertThat(aiq(a)).isGreaterThan(yardstick.aiqFixed());
    for (double w : grid) {
      for (int q = 0; q < test.size(); q++) {
        assertThat(a.decide(q, w)).isEqualTo(b.decide(q, w));
      }
    }
  }

  @Test
  void architectureOnly_routesOnlyToEachModelsDefaults() {
    Map<String, ParameterSpace> spaces = new HashMap<>();
    for (CandidateModel m : log.candidates().models()) {
      spaces.put(m.id(), m.parameters());
    }
    EvalRouter r = Baselines.architectureOnly(data, testEmb, spaces).orElseThrow();
    for (double w : grid) {
      for (int q = 0; q < test.size(); q++) {
        Decision d = r.decide(q, w);
        assertThat(d).isIn(new Decision("small", Fixtures.temp(0)),
            new Decision("big", Fixtures.style("a")));
      }
    }
  }

  @Test
  void architectureOnly_noParameters_isSkipped() {
    CandidateSet set = CandidateSet.of("plain", List.of(
        CandidateModel.of("m1", 1, 1, ParameterSpace.empty()),
        CandidateModel.of("m2", 5, 5, ParameterSpace.empty())));
    List<QueryRecord> recs = new ArrayList<>();
    for (Split s : Split.values()) {
      for (int i = 0; i < 6; i++) {
        recs.add(QueryRecord.of(s + "-" + i, "t", s, "q " + i, List.of(
            Outcome.of("m1", ParameterValues.empty(), i % 2, 0.001),
            Outcome.of("m2", ParameterValues.empty(), 1, 0.005))));
      }
    }
    OutcomeLog plain = OutcomeLog.of(set, recs);
    OutcomeTable tr = OutcomeTable.of(plain, Split.TRAIN);
    OutcomeTable va = OutcomeTable.of(plain, Split.VALID, tr.configurations());
    TrainingData d = new TrainingData(tr, new float[6][4], va, new float[6][4], tradeoff, grid, 1);
    Map<String, ParameterSpace> spaces = Map.of("m1", ParameterSpace.empty(), "m2",
        ParameterSpace.empty());
    assertThat(Baselines.architectureOnly(d, new float[6][4], spaces)).isEmpty();
  }
}
