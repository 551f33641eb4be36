package dev.haps.eval.baselines;

/**
 * Multi-output ridge regression on the query embedding, in closed form: with the inputs and
 * targets centred (so the intercept is the target mean and is not shrunk), the weights solve
 * {@code (XᵀX + αI) W = XᵀY}. The Gram matrix is formed once and factored per α, so trying a
 * grid of α costs one d×d Cholesky factorisation each (d = embedding size).
 */
final class Ridge {

  private final double[] inputMean;
  private final double[] targetMean;
  private final double[][] weights; // [d][m]

  private Ridge(double[] inputMean, double[] targetMean, double[][] weights) {
    this.inputMean = inputMean;
    this.targetMean = targetMean;
    this.weights = weights;
  }

  /** The centred sufficient statistics of one training set, reused for every α. */
  static final class Gram {
    final double[] inputMean;
    final double[] targetMean;
    final double[][] xtx; // [d][d]
    final double[][] xty; // [d][m]

    Gram(float[][] x, double[][] y) {
      if (x.length == 0 || x.length != y.length) {
        throw new IllegalArgumentException(
            "ridge needs as many target rows as input rows, at least one; got "
                + x.length + " and " + y.length);
      }
      int n = x.length;
      int d = x[0].length;
      int m = y[0].length;
      inputMean = new double[d];
      targetMean = new double[m];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          inputMean[j] += x[i][j];
        }
        for (int t = 0; t < m; t++) {
          targetMean[t] += y[i][t];
        }
      }
      for (int j = 0; j < d; j++) {
        inputMean[j] /= n;
      }
      for (int t = 0; t < m; t++) {
        targetMean[t] /= n;
      }
      xtx = new double[d][d];
      xty = new double[d][m];
      double[] xc = new double[d];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          xc[j] = x[i][j] - inputMean[j];
        }
        for (int a = 0; a < d; a++) {
          double va = xc[a];
          if (va == 0) {
            continue;
          }
          double[] row = xtx[a];
          for (int b = a; b < d; b++) {
            row[b] += va * xc[b];
          }
          double[] out = xty[a];
          for (int t = 0; t < m; t++) {
            out[t] += va * (y[i][t] - targetMean[t]);
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < a; b++) {
          xtx[a][b] = xtx[b][a];
        }
      }
    }

    /** The ridge solution at {@code alpha} (positive, so the system is positive definite). */
    Ridge solve(double alpha) {
      if (!(alpha > 0) || Double.isInfinite(alpha)) {
        throw new IllegalArgumentException("alpha must be positive and finite, got " + alpha);
      }
      int d = xtx.length;
      double[][] l = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j <= i; j++) {
          double s = xtx[i][j] + (i == j ? alpha : 0);
          for (int k = 0; k < j; k++) {
            s -= l[i][k] * l[j][k];
          }
          l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
        }
      }
      int m = targetMean.length;
      double[][] w = new double[d][m];
      double[] z = new double[d];
      for (int t = 0; t < m; t++) {
        for (int i = 0; i < d; i++) { // L z = b
          double s = xty[i][t];
          for (int k = 0; k < i; k++) {
            s -= l[i][k] * z[k];
          }
          z[i] = s / l[i][i];
        }
        for (int i = d - 1; i >= 0; i--) { // Lᵀ w = z
          double s = z[i];
          for (int k = i + 1; k < d; k++) {
            s -= l[k][i] * w[k][t];
          }
          w[i][t] = s / l[i][i];
        }
      }
      return new Ridge(inputMean, targetMean, w);
    }
  }

  /** Predicted targets for each row, {@code [rows][m]}. */
  double[][] predict(float[][] x) {
    int d = inputMean.length;
    int m = targetMean.length;
    double[][] out = new double[x.length][m];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + x[i].length + " inputs, the ridge model was fitted on " + d);
      }
      double[] o = out[i];
      System.arraycopy(targetMean, 0, o, 0, m);
      for (int j = 0; j < d; j++) {
        double v = x[i][j] - inputMean[j];
        if (v == 0) {
          continue;
        }
        double[] wj = weights[j];
        for (int t = 0; t < m; t++) {
          o[t] += v * wj[t];
        }
      }
    }
    return out;
  }
}
