package dev.haps.eval.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class RidgeTest {

  /** Random inputs and exactly linear targets y = x·W + b. */
  private record Problem(float[][] x, double[][] y, double[][] w, double[] b) {
    static Problem random(long seed, int n, int d, int m) {
      SplittableRandom r = new SplittableRandom(seed);
      float[][] x = new float[n][d];
      for (float[] row : x) {
        for (int j = 0; j < d; j++) {
          row[j] = (float) r.nextGaussian();
        }
      }
      double[][] w = new double[d][m];
      double[] b = new double[m];
      for (int t = 0; t < m; t++) {
        b[t] = r.nextGaussian();
        for (int j = 0; j < d; j++) {
          w[j][t] = r.nextGaussian();
        }
      }
      double[][] y = new double[n][m];
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < m; t++) {
          double s = b[t];
          for (int j = 0; j < d; j++) {
            s += x[i][j] * w[j][t];
          }
          y[i][t] = s;
        }
      }
      return new Problem(x, y, w, b);
    }
  }

  @RepeatedTest(20)
  void tinyAlpha_recoversAnExactLinearMap(RepetitionInfo info) {
    int d = 1 + info.getCurrentRepetition() % 7;
    Problem p = Problem.random(info.getCurrentRepetition(), 40 + 5 * d, d, 3);
    Ridge model = new Ridge.Gram(p.x(), p.y()).solve(1e-9);
    float[][] probe = Problem.random(1000 + info.getCurrentRepetition(), 10, d, 3).x();
    double[][] got = model.predict(probe);
    for (int i = 0; i < probe.length; i++) {
      for (int t = 0; t < 3; t++) {
        double want = p.b()[t];
        for (int j = 0; j < d; j++) {
          want += probe[i][j] * p.w()[j][t];
        }
        assertThat(got[i][t]).isCloseTo(want, within(1e-5));
      }
    }
  }

  @RepeatedTest(10)
  void hugeAlpha_predictsTheTargetMean(RepetitionInfo info) {
    Problem p = Problem.random(50 + info.getCurrentRepetition(), 30, 4, 2);
    double[][] got = new Ridge.Gram(p.x(), p.y()).solve(1e12).predict(p.x());
    for (int t = 0; t < 2; t++) {
      double mean = 0;
      for (double[] row : p.y()) {
        mean += row[t] / p.y().length;
      }
      for (double[] row : got) {
        assertThat(row[t]).isCloseTo(mean, within(1e-6));
      }
    }
  }

  @Test
  void largerAlpha_shrinksPredictionsTowardTheMean() {
    Problem p = Problem.random(9, 25, 6, 1);
    Ridge.Gram g = new Ridge.Gram(p.x(), p.y());
    double previous = Double.POSITIVE_INFINITY;
    for (double alpha : new double[] {0.01, 0.1, 1, 10, 100, 1000}) {
      double[][] pred = g.solve(alpha).predict(p.x());
      double mean = 0;
      for (double[] row : pred) {
        mean += row[0] / pred.length;
      }
      double spread = 0;
      for (double[] row : pred) {
        spread += (row[0] - mean) * (row[0] - mean);
      }
      assertThat(spread).isLessThan(previous);
      previous = spread;
    }
  }

  @Test
  void moreInputsThanRows_isStillSolvable() {
    Problem p = Problem.random(3, 5, 40, 2);
    double[][] got = new Ridge.Gram(p.x(), p.y()).solve(1).predict(p.x());
    assertThat(got.length).isEqualTo(5);
    for (double[] row : got) {
      for (double v : row) {
        assertThat(v).isFinite();
      }
    }
  }

  @Test
  void badInput_isRefusedWithAMessage() {
    Problem p = Problem.random(4, 10, 3, 1);
    Ridge.Gram g = new Ridge.Gram(p.x(), p.y());
    assertThatThrownBy(() -> g.solve(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha must be positive and finite, got 0.0");
    assertThatThrownBy(() -> new Ridge.Gram(p.x(), new double[3][1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ridge needs as many target rows as input rows, at least one; got 10 and 3");
    assertThatThrownBy(() -> g.solve(1).predict(new float[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 0 has 2 inputs, the ridge model was fitted on 3");
  }
}
