package dev.haps.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.haps.data.Configuration;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.train.model.ConfigurationValues;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.LinearPath;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The closed-form linear path (ridge linearised into logit space), its place in the network, and
 * the cross-validation's selection rules.
 */
class LinearPathTest {

  private static TrainingProblem problem(GradientCheckTest.Problem p) {
    List<Configuration> configs = new ArrayList<>();
    for (int gi = 0; gi < p.cfgCand.length; gi++) {
      configs.add(new Configuration(p.cands.get(p.cfgCand[gi]).model(), p.params.get(gi)));
    }
    return TrainingProblem.builder().train(p.train).valid(p.valid).candidates(p.cands)
        .configurations(configs).resolver((k, v) -> 0)
        .tradeoff(CostTradeoff.withCostScale(0.5)).embeddingDim(4).build();
  }

  /** A table whose scores are exactly linear in x: ridge with a tiny α recovers the slope. */
  @Test
  void fitter_recoversAnExactlyLinearScoreAndItsLogitLinearisation() {
    GradientCheckTest.Problem p = new GradientCheckTest.Problem(3, false);
    TrainingProblem base = problem(p);
    int n = 200;
    int d = 5;
    int g = 6;
    Rng r = new Rng(11);
    double[] w = {0.05, -0.03, 0.02, 0.0, 0.01};
    double[] x = new double[n * d];
    double[] s = new double[n * g];
    double[] c = new double[n * g];
    boolean[] e = new boolean[n * g];
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int k = 0; k < d; k++) {
        x[i * d + k] = r.gaussian();
        dot += w[k] * x[i * d + k];
      }
      for (int j = 0; j < g; j++) {
        s[i * g + j] = 0.4 + dot;
        c[i * g + j] = Math.exp(0.1 * dot) - 1e-3;
        e[i * g + j] = true;
      }
    }
    SplitTable t = new SplitTable(n, d, x, s, c, e, g);
    TrainingProblem prob = ConfigurationValues.withTables(base, t, p.valid);
    int[] rows = IntStream.range(0, n).toArray();
    LinearPath lp = LinearPath.fitter(prob, t, rows, new double[0]).path(1e-9);
    double[] z = ConfigurationValues.of(lp, prob, t, rows);
    double v = 0.4 * 0.6;
    for (int i = 0; i < n; i += 17) {
      double dot = 0;
      for (int k = 0; k < d; k++) {
        dot += w[k] * x[i * d + k];
      }
      for (int j = 0; j < g; j++) {
        // score logit = logit(mean) + (s − mean) / (mean(1 − mean)); mean is 0.4 up to noise
        assertThat(z[i * 2 * g + j]).isCloseTo(Math.log(0.4 / 0.6) + dot / v, within(0.02));
        assertThat(z[i * 2 * g + g + j]).isCloseTo(0.1 * dot, within(1e-6));
      }
    }
    // A huge penalty leaves the means alone.
    LinearPath flat = LinearPath.fitter(prob, t, rows, new double[0]).path(1e12);
    double[] zf = ConfigurationValues.of(flat, prob, t, rows);
    assertThat(zf[0]).isCloseTo(zf[5 * 2 * g], within(1e-6));
  }

  /**
   * Scores driven by two query factors shared by six configurations: the rank-2 path recovers
   * the full-rank fit, the rank-1 path gives every configuration a slope along one shared
   * direction, and a rank at or above the configuration count is the full-rank path.
   */
  @Test
  void fitter_reducedRank_sharesTheScoreSlopesDirections() {
    GradientCheckTest.Problem p = new GradientCheckTest.Problem(3, false);
    TrainingProblem base = problem(p);
    int n = 300;
    int d = 5;
    int g = 6;
    Rng r = new Rng(5);
    double[] u = {0.05, -0.03, 0.02, 0.0, 0.01};
    double[] w = {0.0, 0.02, 0.0, -0.04, 0.03};
    double[] x = new double[n * d];
    double[] s = new double[n * g];
    double[] c = new double[n * g];
    boolean[] e = new boolean[n * g];
    for (int i = 0; i < n; i++) {
      double f1 = 0;
      double f2 = 0;
      for (int k = 0; k < d; k++) {
        x[i * d + k] = r.gaussian();
        f1 += u[k] * x[i * d + k];
        f2 += w[k] * x[i * d + k];
      }
      for (int j = 0; j < g; j++) {
        s[i * g + j] = 0.5 + (1 + j) * f1 + (j % 3 - 1) * f2;
        c[i * g + j] = 0.1;
        e[i * g + j] = true;
      }
    }
    SplitTable t = new SplitTable(n, d, x, s, c, e, g);
    TrainingProblem prob = ConfigurationValues.withTables(base, t, p.valid);
    int[] rows = IntStream.range(0, n).toArray();
    LinearPath.Fitter fit = LinearPath.fitter(prob, t, rows, new double[0]);
    double[] full = ConfigurationValues.of(fit.path(1e-9), prob, t, rows);
    double[] rank2 = ConfigurationValues.of(fit.pathOfRank(1e-9, 2), prob, t, rows);
    double[] rank1 = ConfigurationValues.of(fit.pathOfRank(1e-9, 1), prob, t, rows);
    for (int i = 0; i < full.length; i++) {
      assertThat(rank2[i]).isCloseTo(full[i], within(1e-9));
    }
    assertThat(ConfigurationValues.of(fit.pathOfRank(3, g), prob, t, rows))
        .containsExactly(ConfigurationValues.of(fit.path(3), prob, t, rows));
    assertThat(ConfigurationValues.of(fit.pathOfRank(3, 0), prob, t, rows))
        .containsExactly(ConfigurationValues.of(fit.path(3), prob, t, rows));
    // Rank 1: each configuration's centred score logit is a multiple of one shared factor.
    for (int j = 1; j < g; j++) {
      assertThat(Math.abs(centredCosine(rank1, n, 2 * g, 0, j))).isCloseTo(1.0, within(1e-9));
    }
    // The full-rank fit's columns are not all parallel: the second factor is real.
    assertThat(Math.abs(centredCosine(full, n, 2 * g, 0, 2))).isLessThan(0.99);
    assertThatThrownBy(() -> fit.pathOfRank(3, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank");
  }

  /** The cosine between columns a and b of an n-row table (row stride {@code stride}), centred. */
  private static double centredCosine(double[] z, int n, int stride, int a, int b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += z[i * stride + a] / n;
      mb += z[i * stride + b] / n;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < n; i++) {
      double x = z[i * stride + a] - ma;
      double y = z[i * stride + b] - mb;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  }

  /**
   * One outcome per row (bandit feedback): each configuration has its own exactly linear score
   * on the rows that logged it. The per-configuration fit recovers every slope; the shared
   * fitter, which fills missing outcomes with the mean, shrinks them about G-fold.
   */
  @Test
  void perConfigurationFitter_recoversEachConfigurationsSlopeFromItsOwnRows() {
    GradientCheckTest.Problem p = new GradientCheckTest.Problem(3, false);
    TrainingProblem base = problem(p);
    int n = 600;
    int d = 5;
    int g = 6;
    Rng r = new Rng(12);
    double[] x = new double[n * d];
    double[] s = new double[n * g];
    double[] c = new double[n * g];
    boolean[] e = new boolean[n * g];
    java.util.Arrays.fill(s, Double.NaN);
    java.util.Arrays.fill(c, Double.NaN);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = r.gaussian();
      }
      int j = i % (g - 1); // the last configuration is never logged
      s[i * g + j] = 0.5 + 0.04 * (j + 1) * x[i * d + (j % d)];
      c[i * g + j] = Math.exp(0.1 * x[i * d]) - 1e-3;
      e[i * g + j] = true;
    }
    SplitTable t = new SplitTable(n, d, x, s, c, e, g);
    TrainingProblem prob = ConfigurationValues.withTables(base, t, p.valid);
    int[] rows = IntStream.range(0, n).toArray();
    LinearPath.PerConfigurationFitter fit =
        LinearPath.perConfigurationFitter(prob, t, rows, new double[0]);
    assertThat(fit.rows(0)).isEqualTo(n / (g - 1));
    assertThat(fit.rows(g - 1)).isZero();
    double[] z = ConfigurationValues.of(fit.path(1e-9), prob, t, rows);
    double[] shared = ConfigurationValues.of(LinearPath.fitter(prob, t, rows, new double[0])
        .path(1e-9), prob, t, rows);
    for (int j = 0; j < g - 1; j++) {
      // Slope of the score logit along x_(j mod d): 0.04 (j + 1) / (0.5 · 0.5).
      double slope = 0.04 * (j + 1) / 0.25;
      int k = j % d;
      double dz = z[7 * 2 * g + j] - z[3 * 2 * g + j];
      double dx = x[7 * d + k] - x[3 * d + k];
      assertThat(dz / dx).isCloseTo(slope, within(0.03 * slope));
      double dzShared = shared[7 * 2 * g + j] - shared[3 * 2 * g + j];
      assertThat(Math.abs(dzShared / dx)).isLessThan(0.5 * slope);
      // The log-cost: 0.1 · x_0 on every configuration's own rows.
      assertThat(z[7 * 2 * g + g + j] - z[3 * 2 * g + g + j])
          .isCloseTo(0.1 * (x[7 * d] - x[3 * d]), within(1e-6));
    }
    // A configuration no row logged: score ½ (logit 0) everywhere.
    assertThat(z[5 * 2 * g + g - 1]).isZero();

    // Pooling: 0 pools nothing; a huge penalty on the own parts leaves one slope shared by
    // every configuration (the same logit change between two rows, every mean score being ½).
    assertThat(ConfigurationValues.of(fit.path(1e-9, 0), prob, t, rows)).containsExactly(z);
    double[] pooled = ConfigurationValues.of(fit.path(1e9, 1e-9), prob, t, rows);
    double change0 = pooled[7 * 2 * g] - pooled[3 * 2 * g];
    assertThat(Math.abs(change0)).isGreaterThan(0.01);
    for (int j = 1; j < g - 1; j++) {
      assertThat(pooled[7 * 2 * g + j] - pooled[3 * 2 * g + j])
          .isCloseTo(change0, within(0.1 * Math.abs(change0)));
    }
    // The log-cost keeps the per-configuration fit.
    double[] pooledAtAlpha = ConfigurationValues.of(fit.path(30, 10), prob, t, rows);
    double[] own = ConfigurationValues.of(fit.path(30), prob, t, rows);
    for (int j = 0; j < g; j++) {
      assertThat(pooledAtAlpha[7 * 2 * g + g + j]).isEqualTo(own[7 * 2 * g + g + j]);
    }

    // The log-cost at its own penalty: the same penalty gives the same path; another one
    // changes the log-cost only, and a huge one flattens it to each configuration's mean.
    assertThat(ConfigurationValues.of(fit.path(30, 10, 30), prob, t, rows))
        .containsExactly(pooledAtAlpha);
    double[] lightCost = ConfigurationValues.of(fit.path(30, 10, 1e-9), prob, t, rows);
    double[] flatCost = ConfigurationValues.of(fit.path(30, 10, 1e12), prob, t, rows);
    for (int j = 0; j < g - 1; j++) {
      for (int row : new int[] {3, 7}) {
        assertThat(lightCost[row * 2 * g + j]).isEqualTo(pooledAtAlpha[row * 2 * g + j]);
        assertThat(flatCost[row * 2 * g + j]).isEqualTo(pooledAtAlpha[row * 2 * g + j]);
      }
      assertThat(lightCost[7 * 2 * g + g + j] - lightCost[3 * 2 * g + g + j])
          .isCloseTo(0.1 * (x[7 * d] - x[3 * d]), within(1e-6));
      assertThat(flatCost[7 * 2 * g + g + j] - flatCost[3 * 2 * g + g + j])
          .isCloseTo(0, within(1e-6));
    }
    assertThatThrownBy(() -> fit.path(30, 10, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cost ridge alpha must be positive");
  }

  @Test
  void network_addsItsLinearPath_andGammaZeroLeavesTheLinearPathAlone() {
    GradientCheckTest.Problem p = new GradientCheckTest.Problem(5, true);
    TrainingProblem prob = problem(p);
    int[] rows = IntStream.range(0, p.train.n()).toArray();
    LinearPath lp = LinearPath.fitter(prob, p.train, rows, new double[0]).path(3);
    TrainOptions o = TrainOptions.builder().hiddenSizes(7).build();
    var spec = o.objective().network(prob, new int[] {7}, 0, true, false);
    HapsNetwork plain = new HapsNetwork(spec, new Rng(1));
    HapsNetwork withPath = new HapsNetwork(spec, new Rng(1));
    withPath.linearPath(lp);
    double[] a = ConfigurationValues.of(plain, prob, p.train, rows, 0.5);
    double[] b = ConfigurationValues.of(withPath, prob, p.train, rows, 0.5);
    double[] l = ConfigurationValues.of(lp, prob, p.train, rows);
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isCloseTo(a[i] + l[i], within(1e-12));
    }
    withPath.scaleGenerators(0);
    double[] only = ConfigurationValues.of(withPath, prob, p.train, rows, 0.5);
    for (int i = 0; i < a.length; i++) {
      assertThat(only[i]).isCloseTo(l[i], within(1e-12));
    }
    assertThat(new HapsNetwork(withPath).linearPath()).containsSame(lp);
  }

  @Test
  void alphaRule_keepsTheDefaultUnlessAnotherIsBetterByMoreThanOneStandardError() {
    // Columns: alpha 10, 30, 100; the default is column 1.
    double[][] close = {{0.21, 0.20, 0.19}, {0.19, 0.21, 0.18}, {0.22, 0.20, 0.19}};
    assertThat(CrossValidation.ruleDefault(close, 1)).isEqualTo(1);
    double[][] clear = {{0.25, 0.20, 0.19}, {0.26, 0.21, 0.18}, {0.24, 0.20, 0.19}};
    assertThat(CrossValidation.ruleDefault(clear, 1)).isZero();
  }

  @Test
  void gammaRule_takesTheSmallestWithinOneStandardErrorOfTheBest() {
    double[] gammas = {0, 0.25, 0.5, 1};
    double[][] flat = {{0.20, 0.20, 0.21, 0.19}, {0.20, 0.21, 0.22, 0.18},
        {0.21, 0.20, 0.20, 0.19}};
    assertThat(CrossValidation.rule1seSmallest(flat, gammas)).isZero();
    double[][] residualHelps = {{0.20, 0.24, 0.26, 0.25}, {0.19, 0.23, 0.25, 0.24},
        {0.21, 0.25, 0.27, 0.26}};
    assertThat(CrossValidation.rule1seSmallest(residualHelps, gammas)).isEqualTo(2);
  }
}
