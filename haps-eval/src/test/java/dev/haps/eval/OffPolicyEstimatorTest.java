package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffPolicyEstimatorTest {

  private static final CostTradeoff T = CostTradeoff.withCostScale(1.0);

  /**
   * Two actions; the logging policy takes "a" with probability 0.8; rows come in two kinds of
   * context where "a" or "b" is better; the target always takes "b". Truth: the mean score of
   * "b" over contexts.
   */
  private static double[] simulate(long seed, int n, boolean perfectModel, List<LoggedRow> rows,
      List<BundlePolicy.Row> target) {
    SplittableRandom rng = new SplittableRandom(seed);
    double truth = 0;
    for (int i = 0; i < n; i++) {
      boolean easy = rng.nextDouble() < 0.5;
      double pa = easy ? 0.9 : 0.2;
      double pb = easy ? 0.6 : 0.7;
      truth += pb;
      boolean takeA = rng.nextDouble() < 0.8;
      String model = takeA ? "a" : "b";
      double s = rng.nextDouble() < (takeA ? pa : pb) ? 1 : 0;
      rows.add(new LoggedRow("r" + i, Split.VALID, "q", model, ParameterValues.empty(), s, 0,
          takeA ? 0.8 : 0.2, 0.0, "log"));
      List<RankedCandidate> ranking = List.of(
          new RankedCandidate(Candidate.of("p", "b"), 0.6, ParameterValues.empty(), 0),
          new RankedCandidate(Candidate.of("p", "a"), 0.4, ParameterValues.empty(), 0));
      double[] dm = perfectModel ? new double[] {pb, pa} : new double[] {0.5, 0.5};
      target.add(new BundlePolicy.Row(ranking, new double[] {1, 0}, dm.clone(), dm.clone(),
          new double[] {0, 0}));
    }
    return new double[] {truth / n};
  }

  @Test
  void ipsSnipsAndDr_estimateTheTargetWithoutBias_andDrIsTighterWithAGoodModel() {
    List<LoggedRow> rows = new ArrayList<>();
    List<BundlePolicy.Row> target = new ArrayList<>();
    double truth = simulate(1, 20_000, true, rows, target)[0];
    OffPolicyReport r = OffPolicyEstimator.estimate("b-always", rows,
        target.toArray(BundlePolicy.Row[]::new), T, true, 200, 3);
    assertThat(r.estimates().get("ips").score().value()).isCloseTo(truth, within(0.03));
    assertThat(r.estimates().get("snips").score().value()).isCloseTo(truth, within(0.03));
    assertThat(r.dr().score().value()).isCloseTo(truth, within(0.01));
    OffPolicyReport.Interval ips = r.estimates().get("ips").reward();
    OffPolicyReport.Interval dr = r.dr().reward();
    assertThat(dr.high() - dr.low()).isLessThan(ips.high() - ips.low());
    assertThat(r.effectiveSampleSize()).isCloseTo(0.2 * 20_000, within(400.0));
    assertThat(r.logged().score().value()).isCloseTo(0.8 * 0.55 + 0.2 * 0.65, within(0.02));
  }

  @Test
  void drIntervals_coverTheTruthAtAbout95Percent() {
    int covered = 0;
    int runs = 40;
    for (int s = 0; s < runs; s++) {
      List<LoggedRow> rows = new ArrayList<>();
      List<BundlePolicy.Row> target = new ArrayList<>();
      double truth = simulate(100 + s, 1000, false, rows, target)[0];
      OffPolicyReport r = OffPolicyEstimator.estimate("b", rows,
          target.toArray(BundlePolicy.Row[]::new), T, true, 300, s);
      if (r.dr().reward().covers(truth)) {
        covered++;
      }
    }
    assertThat(covered).isGreaterThanOrEqualTo(34);
  }

  @Test
  void aCandidateTheLogNeverSupports_isWarnedAbout() {
    List<LoggedRow> rows = new ArrayList<>();
    List<BundlePolicy.Row> target = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(new LoggedRow("r" + i, Split.VALID, "q", "a", ParameterValues.empty(), 1, 0, 1.0,
          0.0, "log"));
      target.add(new BundlePolicy.Row(List.of(
          new RankedCandidate(Candidate.of("p", "b"), 0.9, ParameterValues.empty(), 0),
          new RankedCandidate(Candidate.of("p", "a"), 0.1, ParameterValues.empty(), 0)),
          new double[] {1, 0}, new double[2], new double[2], new double[2]));
    }
    OffPolicyReport r = OffPolicyEstimator.estimate("b", rows,
        target.toArray(BundlePolicy.Row[]::new), T, true, 50, 1);
    assertThat(r.effectiveSampleSize()).isZero();
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("effective sample size"));
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
        .contains("greedy choice is b on 100 of 100 rows, but the log took it only 0 times"));
  }
}
