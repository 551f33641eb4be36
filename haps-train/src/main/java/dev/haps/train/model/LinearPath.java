package dev.haps.train.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A frozen linear path from a query's base input (embedding and features, not the cost weight)
 * into every parameter generator's outputs: the part of each configuration's score logit and
 * log-cost that is linear in the embedding. A {@link HapsNetwork} with a linear path adds it to
 * its generators' outputs, so each generator reads {@code [trunk(x) ; x]}.
 *
 * <p>Fitted in closed form ({@link #fitter}): ridge regression on the raw 0/1 scores, linearised
 * into logit space ({@code A = β / (p̄(1 − p̄))}, {@code b = logit(p̄) − x̄·A}: one Newton step of
 * L2-logistic regression from the constant model), and ridge on the log-cost target with the
 * same α. Why: on sentence embeddings most of the routing signal is linear, and the amount of
 * shrinkage that makes the best decisions is several times stronger than the one the training
 * loss would pick (docs/training.md, "Linear path").
 *
 * <p>Immutable.
 *
 * @since 0.1.0
 */
public final class LinearPath {

  private static final double COST_EPS = 1e-3;

  private final int inDim;
  /** Per candidate, {@code inDim × width} input-major; null for a zero-width generator. */
  private final double[][] weights;
  private final double[][] bias;

  LinearPath(int inDim, double[][] weights, double[][] bias) {
    this.inDim = inDim;
    this.weights = weights;
    this.bias = bias;
  }

  /**
   * The input width it reads (the first columns of the network's input).
   *
   * @return the width
   */
  public int inDim() {
    return inDim;
  }

  /**
   * Candidate {@code c}'s weights, {@code inDim × width} input-major (a copy).
   *
   * @param c the candidate
   * @return the weights (empty for a generator without outputs)
   */
  public double[] weights(int c) {
    return weights[c] == null ? new double[0] : weights[c].clone();
  }

  /**
   * Candidate {@code c}'s bias, one per generator output (a copy).
   *
   * @param c the candidate
   * @return the bias
   */
  public double[] bias(int c) {
    return bias[c] == null ? new double[0] : bias[c].clone();
  }

  /** Adds the path's outputs for candidate c to {@code out} ({@code n × width}). */
  void addTo(double[] x, int n, int xDim, int c, double[] out) {
    double[] w = weights[c];
    if (w == null) {
      return;
    }
    double[] b = bias[c];
    int width = b.length;
    for (int i = 0; i < n; i++) {
      int o = i * width;
      for (int j = 0; j < width; j++) {
        out[o + j] += b[j];
      }
      int xo = i * xDim;
      for (int k = 0; k < inDim; k++) {
        double v = x[xo + k];
        if (v == 0) {
          continue;
        }
        int wo = k * width;
        for (int j = 0; j < width; j++) {
          out[o + j] += v * w[wo + j];
        }
      }
    }
  }

  /** A copy with every value rounded to float32, the precision the ONNX export stores. */
  LinearPath roundedToFloat() {
    double[][] w = new double[weights.length][];
    double[][] b = new double[bias.length][];
    for (int c = 0; c < weights.length; c++) {
      w[c] = round(weights[c]);
      b[c] = round(bias[c]);
    }
    return new LinearPath(inDim, w, b);
  }

  private static double[] round(double[] a) {
    if (a == null) {
      return null;
    }
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (float) a[i];
    }
    return r;
  }

  /**
   * Prepares the closed-form fit on some rows of a table: the Gram matrix and the cross-products
   * are computed once, after which {@link Fitter#path(double)} costs one Cholesky factorisation
   * per α.
   *
   * @param problem the problem (candidates and their configurations)
   * @param table the table whose rows to fit on
   * @param rows the rows
   * @param weights per-row sample weights (rescaled to mean 1), or an empty array for equal
   *     weights
   * @return the fitter
   * @throws IllegalArgumentException if no row is given
   */
  public static Fitter fitter(TrainingProblem problem, SplitTable table, int[] rows,
      double[] weights) {
    return new Fitter(problem, table, rows, weights);
  }

  /**
   * Prepares a closed-form fit in which each configuration is regressed on the rows that have
   * its outcome only, with its own Gram matrix: the fit for bandit feedback, where a row holds
   * the one action the logging policy took. ({@link #fitter} fills a missing outcome with the
   * configuration's mean, which on one-outcome rows shrinks every slope about G-fold.) A
   * configuration without any outcome gets a constant path at score ½ and log-cost 0.
   *
   * @param problem the problem (candidates and their configurations)
   * @param table the table whose rows to fit on
   * @param rows the rows
   * @param weights per-row sample weights (rescaled to mean 1 per configuration), or an empty
   *     array for equal weights
   * @return the fitter
   * @throws IllegalArgumentException if no row is given
   */
  public static PerConfigurationFitter perConfigurationFitter(TrainingProblem problem,
      SplitTable table, int[] rows, double[] weights) {
    return new PerConfigurationFitter(problem, table, rows, weights);
  }

  /**
   * The sufficient statistics of a per-configuration closed-form fit.
   *
   * @since 0.1.0
   */
  public static final class PerConfigurationFitter {
    private final TrainingProblem problem;
    private final int d;
    private final int g;
    /** Per configuration: row count, mean input, mean score and log-cost, Gram, X'y (d × 2). */
    private final int[] count;
    private final double[][] xbar;
    private final double[] ybar;
    private final double[] pbar;
    private final double[][] gram;
    private final double[][] xty;

    private PerConfigurationFitter(TrainingProblem problem, SplitTable t, int[] rows,
        double[] w) {
      this.problem = Objects.requireNonNull(problem, "problem");
      if (rows.length == 0) {
        throw new IllegalArgumentException("a linear path needs at least one row, got none");
      }
      this.d = t.baseDim();
      this.g = t.configurations();
      count = new int[g];
      xbar = new double[g][];
      ybar = new double[2 * g];
      pbar = new double[g];
      gram = new double[g][];
      xty = new double[g][];
      for (int c = 0; c < g; c++) {
        int[] own = new int[rows.length]; // positions in rows that logged c
        int n = 0;
        double total = 0;
        for (int i = 0; i < rows.length; i++) {
          int r = rows[i];
          if (t.exact()[r * g + c] && !Double.isNaN(t.score()[r * g + c])) {
            own[n++] = i;
            total += w.length == 0 ? 1.0 : w[i];
          }
        }
        count[c] = n;
        if (n == 0) {
          ybar[c] = 0.5;
          pbar[c] = 0.5;
          continue;
        }
        double[] sw = new double[n];
        double[] ys = new double[n];
        double[] yc = new double[n];
        double[] xb = new double[d];
        double ms = 0;
        double mc = 0;
        for (int j = 0; j < n; j++) {
          int i = own[j];
          int r = rows[i];
          sw[j] = (w.length == 0 ? 1.0 : w[i]) * n / total;
          ys[j] = t.score()[r * g + c];
          yc[j] = Math.log(t.cost()[r * g + c] + COST_EPS);
          ms += sw[j] * ys[j];
          mc += sw[j] * yc[j];
          for (int k = 0; k < d; k++) {
            xb[k] += sw[j] * t.x()[r * d + k];
          }
        }
        ms /= n;
        mc /= n;
        for (int k = 0; k < d; k++) {
          xb[k] /= n;
        }
        xbar[c] = xb;
        ybar[c] = ms;
        ybar[g + c] = mc;
        pbar[c] = Math.max(0.02, Math.min(0.98, ms));
        double[] gm = new double[d * d];
        double[] xy = new double[d * 2];
        double[] xc = new double[d];
        for (int j = 0; j < n; j++) {
          int r = rows[own[j]];
          double q = Math.sqrt(sw[j]);
          for (int k = 0; k < d; k++) {
            xc[k] = q * (t.x()[r * d + k] - xb[k]);
          }
          double s0 = q * (ys[j] - ms);
          double s1 = q * (yc[j] - mc);
          for (int a = 0; a < d; a++) {
            double va = xc[a];
            if (va == 0) {
              continue;
            }
            int ga = a * d;
            for (int b = a; b < d; b++) {
              gm[ga + b] += va * xc[b];
            }
            xy[a * 2] += va * s0;
            xy[a * 2 + 1] += va * s1;
          }
        }
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < a; b++) {
            gm[a * d + b] = gm[b * d + a];
          }
        }
        gram[c] = gm;
        xty[c] = xy;
      }
    }

    /**
     * How many rows had configuration {@code c}'s outcome.
     *
     * @param c the configuration
     * @return the count
     */
    public int rows(int c) {
      return count[c];
    }

    /**
     * The linear path at ridge penalty α (on each configuration's sum of squared errors).
     *
     * @param alpha the penalty, positive
     * @return the path
     * @throws IllegalArgumentException if α is not positive and finite
     */
    public LinearPath path(double alpha) {
      return path(alpha, 0);
    }

    /**
     * The linear path with the score slopes pooled across configurations: configuration c's
     * score-logit slope is {@code u + v_c}, with penalty {@code sharedAlpha·|u|²} on the slope
     * they share and {@code alpha·p̄_c(1 − p̄_c)·|v_c|²} on each one's own part (the own-only
     * fit's penalty in logit units), fitted jointly in closed form as one weighted Newton step
     * of logistic regression (each configuration's own part eliminated, then one system for
     * {@code u}). A configuration with few rows keeps close to what the others say about a
     * query; one with many can leave it. The log-cost is not pooled: each configuration's own
     * fit at {@code alpha} ({@link #path(double, double, double)} gives it its own penalty).
     * {@code sharedAlpha} 0 pools nothing.
     *
     * @param alpha the penalty on each configuration's own slope, positive
     * @param sharedAlpha the penalty on the shared slope, positive, or 0 for none
     * @return the path
     * @throws IllegalArgumentException if a penalty is out of range
     */
    public LinearPath path(double alpha, double sharedAlpha) {
      return path(alpha, sharedAlpha, alpha);
    }

    /**
     * {@link #path(double, double)} with the log-cost fitted at its own penalty. Why a second
     * one: a call's cost follows its length and the model's price, a steadier signal than its
     * 0/1 score, so on a few hundred one-outcome rows per configuration the cost wants less
     * shrinkage than the score (docs/learning-loop.md, section 3).
     *
     * @param alpha the penalty on each configuration's own score slope, positive
     * @param sharedAlpha the penalty on the shared score slope, positive, or 0 for none
     * @param costAlpha the penalty on each configuration's log-cost slope, positive
     * @return the path
     * @throws IllegalArgumentException if a penalty is out of range
     */
    public LinearPath path(double alpha, double sharedAlpha, double costAlpha) {
      if (!(alpha > 0) || !Double.isFinite(alpha)) {
        throw new IllegalArgumentException("ridge alpha must be positive and finite, got "
            + alpha);
      }
      if (!(costAlpha > 0) || !Double.isFinite(costAlpha)) {
        throw new IllegalArgumentException("cost ridge alpha must be positive and finite, got "
            + costAlpha);
      }
      if (!(sharedAlpha >= 0) || !Double.isFinite(sharedAlpha)) {
        throw new IllegalArgumentException("shared ridge alpha must be at least 0 and finite,"
            + " got " + sharedAlpha);
      }
      double[][] beta = new double[g][];
      // Per configuration: M_c = G_c + αI factored; w_c = M_c⁻¹ r_c (score, log-cost) and, when
      // pooling, Z_c = M_c⁻¹ G_c; the log-cost column again at its own penalty if it differs.
      double[][] zc = new double[g][];
      for (int c = 0; c < g; c++) {
        if (gram[c] == null) {
          continue;
        }
        double[] l = gram[c].clone();
        for (int k = 0; k < d; k++) {
          l[k * d + k] += alpha;
        }
        Fitter.cholesky(l, d);
        beta[c] = xty[c].clone();
        Fitter.solve(l, d, beta[c], 2);
        if (sharedAlpha > 0) {
          zc[c] = gram[c].clone();
          Fitter.solve(l, d, zc[c], d);
        }
        if (costAlpha != alpha) {
          double[] lc = gram[c].clone();
          for (int k = 0; k < d; k++) {
            lc[k * d + k] += costAlpha;
          }
          Fitter.cholesky(lc, d);
          double[] rc = new double[d];
          for (int a = 0; a < d; a++) {
            rc[a] = xty[c][a * 2 + 1];
          }
          Fitter.solve(lc, d, rc, 1);
          for (int a = 0; a < d; a++) {
            beta[c][a * 2 + 1] = rc[a];
          }
        }
      }
      // Each configuration's own-only fit, the score slope in logit units (÷ p̄(1 − p̄)).
      double[][] scoreSlope = new double[g][];
      double[][] costSlope = new double[g][];
      double[] scoreAt = new double[g];
      double[] costAt = new double[g];
      for (int c = 0; c < g; c++) {
        scoreAt[c] = Math.log(pbar[c] / (1 - pbar[c]));
        costAt[c] = ybar[g + c];
        if (beta[c] == null) {
          continue; // never logged: constant at score ½ (pbar ½) and the cost mean 0
        }
        double v = pbar[c] * (1 - pbar[c]);
        scoreSlope[c] = new double[d];
        costSlope[c] = new double[d];
        for (int a = 0; a < d; a++) {
          scoreSlope[c][a] = beta[c][a * 2] / v;
          costSlope[c][a] = beta[c][a * 2 + 1];
        }
      }
      if (sharedAlpha > 0) {
        pool(scoreSlope, zc, alpha, sharedAlpha);
      }
      return layout(problem, d, scoreSlope, costSlope, scoreAt, costAt, xbar);
    }

    /**
     * Pools the own-only logit slopes {@code w_c} in place. Pooled slopes are fitted in logit
     * space, as one weighted Newton step of logistic regression from each configuration's mean
     * (weight v_c = p̄_c(1 − p̄_c)): there the own part's penalty is α·v_c (the own-only fit when
     * nothing is pooled) and the slope every configuration shares carries the same meaning for
     * all of them. With those weights, [σI + Σ α v_c Z_c] u = Σ α v_c w_c, and configuration
     * c's logit slope becomes u + w_c − Z_c u.
     */
    private void pool(double[][] slope, double[][] zc, double alpha, double sharedAlpha) {
      double[] a = new double[d * d];
      double[] u = new double[d];
      for (int k = 0; k < d; k++) {
        a[k * d + k] = sharedAlpha;
      }
      for (int c = 0; c < g; c++) {
        if (zc[c] == null) {
          continue;
        }
        double v = pbar[c] * (1 - pbar[c]);
        double wt = alpha * v;
        for (int i = 0; i < d * d; i++) {
          a[i] += wt * zc[c][i];
        }
        for (int k = 0; k < d; k++) {
          u[k] += wt * slope[c][k];
        }
      }
      // Σ v_c Z_c is symmetric in exact arithmetic (G_c and M_c commute); symmetrise rounding.
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < i; j++) {
          double m = (a[i * d + j] + a[j * d + i]) / 2;
          a[i * d + j] = m;
          a[j * d + i] = m;
        }
      }
      Fitter.cholesky(a, d);
      Fitter.solve(a, d, u, 1);
      for (int c = 0; c < g; c++) {
        if (zc[c] == null) {
          continue;
        }
        double[] own = slope[c];
        double[] pooled = new double[d];
        for (int i = 0; i < d; i++) {
          double zu = 0;
          for (int j = 0; j < d; j++) {
            zu += zc[c][i * d + j] * u[j];
          }
          pooled[i] = u[i] + own[i] - zu;
        }
        slope[c] = pooled;
      }
    }
  }

  /**
   * The sufficient statistics of one closed-form fit.
   *
   * @since 0.1.0
   */
  public static final class Fitter {
    private final TrainingProblem problem;
    private final int d;
    private final int g;
    private final double[] xbar;
    private final double[] ybar;
    private final double[] pbar;
    private final double[] gram;
    private final double[] xty;

    private Fitter(TrainingProblem problem, SplitTable t, int[] rows, double[] w) {
      this.problem = Objects.requireNonNull(problem, "problem");
      if (rows.length == 0) {
        throw new IllegalArgumentException("a linear path needs at least one row, got none");
      }
      int n = rows.length;
      this.d = t.baseDim();
      this.g = t.configurations();
      int m = 2 * g;
      double[] sw = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        sw[i] = w.length == 0 ? 1.0 : w[i];
        total += sw[i];
      }
      for (int i = 0; i < n; i++) {
        sw[i] *= n / total;
      }
      // Targets: the score and the log-cost target per configuration; rows without an exact
      // outcome get the configuration's mean (they pull nothing away from it).
      double[] y = new double[n * m];
      boolean[] has = new boolean[n * g];
      double[] sum = new double[m];
      double[] cnt = new double[g];
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        for (int c = 0; c < g; c++) {
          if (t.exact()[r * g + c] && !Double.isNaN(t.score()[r * g + c])) {
            has[i * g + c] = true;
            y[i * m + c] = t.score()[r * g + c];
            y[i * m + g + c] = Math.log(t.cost()[r * g + c] + COST_EPS);
            sum[c] += sw[i] * y[i * m + c];
            sum[g + c] += sw[i] * y[i * m + g + c];
            cnt[c] += sw[i];
          }
        }
      }
      ybar = new double[m];
      pbar = new double[g];
      for (int c = 0; c < g; c++) {
        ybar[c] = cnt[c] > 0 ? sum[c] / cnt[c] : 0.5;
        ybar[g + c] = cnt[c] > 0 ? sum[g + c] / cnt[c] : 0;
        pbar[c] = Math.max(0.02, Math.min(0.98, ybar[c]));
      }
      xbar = new double[d];
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        for (int k = 0; k < d; k++) {
          xbar[k] += sw[i] * t.x()[r * d + k];
        }
      }
      for (int k = 0; k < d; k++) {
        xbar[k] /= n;
      }
      double[] xc = new double[n * d];
      double[] yc = new double[n * m];
      for (int i = 0; i < n; i++) {
        int r = rows[i];
        double s = Math.sqrt(sw[i]);
        for (int k = 0; k < d; k++) {
          xc[i * d + k] = s * (t.x()[r * d + k] - xbar[k]);
        }
        for (int c = 0; c < g; c++) {
          if (has[i * g + c]) {
            yc[i * m + c] = s * (y[i * m + c] - ybar[c]);
            yc[i * m + g + c] = s * (y[i * m + g + c] - ybar[g + c]);
          }
        }
      }
      gram = new double[d * d];
      xty = new double[d * m];
      for (int i = 0; i < n; i++) {
        int o = i * d;
        for (int a = 0; a < d; a++) {
          double va = xc[o + a];
          if (va == 0) {
            continue;
          }
          int ga = a * d;
          for (int b = a; b < d; b++) {
            gram[ga + b] += va * xc[o + b];
          }
          int ya = a * m;
          int yo = i * m;
          for (int j = 0; j < m; j++) {
            xty[ya + j] += va * yc[yo + j];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < a; b++) {
          gram[a * d + b] = gram[b * d + a];
        }
      }
    }

    /**
     * The linear path at ridge penalty α (on the sum of squared errors over the rows).
     *
     * @param alpha the penalty, positive
     * @return the path
     * @throws IllegalArgumentException if α is not positive and finite
     */
    public LinearPath path(double alpha) {
      return pathOfRank(alpha, 0);
    }

    /**
     * The linear path at ridge penalty α with every configuration's score slope restricted to
     * {@code rank} directions they share (reduced-rank ridge): the ridge slopes {@code B} are
     * projected onto the top {@code rank} right singular vectors {@code V} of the fitted,
     * centred scores {@code X B}, {@code B V Vᵀ}. Why: when many models answer the same
     * queries, whether a query is hard is one signal for all of them (as in item response
     * theory); estimating it once from every configuration's outcomes is less noisy than
     * estimating it per configuration. The log-cost keeps its full-rank fit. (Not an overload
     * of {@code path}: {@link PerConfigurationFitter#path(double, double)}'s second argument is
     * a penalty.)
     *
     * @param alpha the penalty, positive
     * @param rank the number of shared directions, at least 1, or 0 for the full-rank fit (the
     *     same as {@link #path(double)}); a rank at or above the configuration count is full
     * @return the path
     * @throws IllegalArgumentException if α is not positive and finite or the rank is negative
     */
    public LinearPath pathOfRank(double alpha, int rank) {
      if (!(alpha > 0) || !Double.isFinite(alpha)) {
        throw new IllegalArgumentException("ridge alpha must be positive and finite, got "
            + alpha);
      }
      if (rank < 0) {
        throw new IllegalArgumentException("the linear path's rank must be at least 0 (0: full),"
            + " got " + rank);
      }
      int m = 2 * g;
      double[] l = gram.clone();
      for (int k = 0; k < d; k++) {
        l[k * d + k] += alpha;
      }
      cholesky(l, d);
      double[] beta = xty.clone();
      solve(l, d, beta, m);
      if (rank > 0 && rank < g) {
        reduceScoreRank(beta, m, rank);
      }
      double[][] scoreSlope = new double[g][d];
      double[][] costSlope = new double[g][d];
      double[] scoreAt = new double[g];
      double[][] mean = new double[g][];
      for (int c = 0; c < g; c++) {
        double v = pbar[c] * (1 - pbar[c]);
        for (int a = 0; a < d; a++) {
          scoreSlope[c][a] = beta[a * m + c] / v;
          costSlope[c][a] = beta[a * m + g + c];
        }
        scoreAt[c] = Math.log(pbar[c] / (1 - pbar[c]));
        mean[c] = xbar;
      }
      return layout(problem, d, scoreSlope, costSlope, scoreAt,
          Arrays.copyOfRange(ybar, g, 2 * g), mean);
    }

    /**
     * Replaces the score columns {@code B} (d × g) of {@code beta} (d × m) by {@code B V Vᵀ},
     * V the top eigenvectors of {@code Bᵀ G B} (G the centred, weighted Gram matrix): the right
     * singular vectors of the fitted scores {@code X_c B}.
     */
    private void reduceScoreRank(double[] beta, int m, int rank) {
      double[] gb = new double[d * g];
      for (int a = 0; a < d; a++) {
        for (int k = 0; k < d; k++) {
          double gak = gram[a * d + k];
          if (gak == 0) {
            continue;
          }
          for (int c = 0; c < g; c++) {
            gb[a * g + c] += gak * beta[k * m + c];
          }
        }
      }
      double[] btgb = new double[g * g];
      for (int a = 0; a < d; a++) {
        for (int c1 = 0; c1 < g; c1++) {
          double b1 = beta[a * m + c1];
          for (int c2 = 0; c2 < g; c2++) {
            btgb[c1 * g + c2] += b1 * gb[a * g + c2];
          }
        }
      }
      for (int c1 = 0; c1 < g; c1++) { // symmetric up to rounding: make it exactly so
        for (int c2 = c1 + 1; c2 < g; c2++) {
          double s = 0.5 * (btgb[c1 * g + c2] + btgb[c2 * g + c1]);
          btgb[c1 * g + c2] = s;
          btgb[c2 * g + c1] = s;
        }
      }
      double[] v = SymmetricEigen.top(btgb, g, rank);
      double[] proj = new double[g * g]; // V Vᵀ
      for (int c1 = 0; c1 < g; c1++) {
        for (int c2 = 0; c2 < g; c2++) {
          double s = 0;
          for (int j = 0; j < rank; j++) {
            s += v[c1 * rank + j] * v[c2 * rank + j];
          }
          proj[c1 * g + c2] = s;
        }
      }
      double[] row = new double[g];
      for (int a = 0; a < d; a++) {
        for (int c2 = 0; c2 < g; c2++) {
          double s = 0;
          for (int c1 = 0; c1 < g; c1++) {
            s += beta[a * m + c1] * proj[c1 * g + c2];
          }
          row[c2] = s;
        }
        System.arraycopy(row, 0, beta, a * m, g);
      }
    }

    /** In-place lower Cholesky factor of a symmetric positive definite d × d matrix. */
    private static void cholesky(double[] a, int d) {
      for (int j = 0; j < d; j++) {
        double s = a[j * d + j];
        for (int k = 0; k < j; k++) {
          s -= a[j * d + k] * a[j * d + k];
        }
        if (!(s > 0)) {
          throw new IllegalStateException("ridge system is not positive definite at column " + j);
        }
        double l = Math.sqrt(s);
        a[j * d + j] = l;
        for (int i = j + 1; i < d; i++) {
          double t = a[i * d + j];
          for (int k = 0; k < j; k++) {
            t -= a[i * d + k] * a[j * d + k];
          }
          a[i * d + j] = t / l;
        }
      }
    }

    /** Solves L Lᵀ X = B in place for B ({@code d × m}, row-major). */
    private static void solve(double[] l, int d, double[] bm, int m) {
      for (int i = 0; i < d; i++) {
        for (int k = 0; k < i; k++) {
          double f = l[i * d + k];
          if (f == 0) {
            continue;
          }
          for (int j = 0; j < m; j++) {
            bm[i * m + j] -= f * bm[k * m + j];
          }
        }
        double inv = 1 / l[i * d + i];
        for (int j = 0; j < m; j++) {
          bm[i * m + j] *= inv;
        }
      }
      for (int i = d - 1; i >= 0; i--) {
        for (int k = i + 1; k < d; k++) {
          double f = l[k * d + i];
          if (f == 0) {
            continue;
          }
          for (int j = 0; j < m; j++) {
            bm[i * m + j] -= f * bm[k * m + j];
          }
        }
        double inv = 1 / l[i * d + i];
        for (int j = 0; j < m; j++) {
          bm[i * m + j] *= inv;
        }
      }
    }
  }

  /**
   * Lays per-configuration slopes out per candidate generator, each with the intercept that
   * gives the configuration's value {@code at} its mean input: {@code b = at − x̄·slope}.
   *
   * @param scoreSlope per configuration, the score-logit slope ({@code d}); null for a constant
   * @param costSlope per configuration, the log-cost slope; null with a null score slope
   * @param scoreAt per configuration, the score logit at the mean input
   * @param costAt per configuration, the log-cost at the mean input
   * @param xbar per configuration, its mean input
   */
  private static LinearPath layout(TrainingProblem problem, int d, double[][] scoreSlope,
      double[][] costSlope, double[] scoreAt, double[] costAt, double[][] xbar) {
    int k = problem.candidateCount();
    double[][] w = new double[k][];
    double[][] b = new double[k][];
    for (int c = 0; c < k; c++) {
      int[] own = problem.configurationsOf(c);
      int cc = own.length;
      if (cc == 0) {
        continue;
      }
      int width = 2 * cc;
      w[c] = new double[d * width];
      b[c] = new double[width];
      for (int j = 0; j < cc; j++) {
        int gi = own[j];
        double dotS = 0;
        double dotC = 0;
        if (scoreSlope[gi] != null) {
          for (int a = 0; a < d; a++) {
            double as = scoreSlope[gi][a];
            double ac = costSlope[gi][a];
            w[c][a * width + j] = as;
            w[c][a * width + cc + j] = ac;
            dotS += xbar[gi][a] * as;
            dotC += xbar[gi][a] * ac;
          }
        }
        b[c][j] = scoreAt[gi] - dotS;
        b[c][cc + j] = costAt[gi] - dotC;
      }
    }
    return new LinearPath(d, w, b);
  }

  @Override
  public String toString() {
    return "LinearPath{inDim=" + inDim + ", candidates=" + weights.length + ", widths="
        + Arrays.stream(bias).mapToInt(b -> b == null ? 0 : b.length).boxed().toList() + "}";
  }
}
