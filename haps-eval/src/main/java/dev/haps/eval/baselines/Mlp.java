package dev.haps.eval.baselines;

import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron that predicts, for every configuration, the score (sigmoid output,
 * binary cross-entropy) and the cost (the log of the cost in units of the configuration's mean
 * training cost, squared error; exponentiated to predict, so a prediction is never 0 or negative). Inputs are standardised with the training mean and spread.
 * Trained with AdamW on mini-batches; single-threaded and seeded, so the same data and seed give
 * the same weights.
 */
final class Mlp {

  private final int in;
  private final int hidden;
  private final int configs;
  private final int out;
  private final double[] w1;
  private final double[] b1;
  private final double[] w2;
  private final double[] b2;
  private final double[] mean;
  private final double[] invStd;
  private final double[] costUnit;

  Mlp(int in, int hidden, int configs, double[] mean, double[] invStd, double[] costUnit,
      long seed) {
    this.in = in;
    this.hidden = hidden;
    this.configs = configs;
    this.out = 2 * configs;
    this.w1 = new double[hidden * in];
    this.b1 = new double[hidden];
    this.w2 = new double[out * hidden];
    this.b2 = new double[out];
    this.mean = mean;
    this.invStd = invStd;
    this.costUnit = costUnit;
    SplittableRandom r = new SplittableRandom(seed);
    double s1 = Math.sqrt(2.0 / in);
    for (int i = 0; i < w1.length; i++) {
      w1[i] = gaussian(r) * s1;
    }
    double s2 = Math.sqrt(1.0 / hidden);
    for (int i = 0; i < w2.length; i++) {
      w2[i] = gaussian(r) * s2;
    }
    // Cost outputs start at the configuration's mean cost: log(1) = 0, the biases' initial value.
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Snapshot of the weights, to keep the best epoch. */
  double[][] weights() {
    return new double[][] {w1.clone(), b1.clone(), w2.clone(), b2.clone()};
  }

  void restore(double[][] w) {
    System.arraycopy(w[0], 0, w1, 0, w1.length);
    System.arraycopy(w[1], 0, b1, 0, b1.length);
    System.arraycopy(w[2], 0, w2, 0, w2.length);
    System.arraycopy(w[3], 0, b2, 0, b2.length);
  }

  private void standardise(float[] x, double[] dst) {
    for (int j = 0; j < in; j++) {
      dst[j] = (x[j] - mean[j]) * invStd[j];
    }
  }

  private void forward(double[] x, double[] h, double[] z) {
    for (int i = 0; i < hidden; i++) {
      double s = b1[i];
      int base = i * in;
      for (int j = 0; j < in; j++) {
        s += w1[base + j] * x[j];
      }
      h[i] = s > 0 ? s : 0;
    }
    for (int o = 0; o < out; o++) {
      double s = b2[o];
      int base = o * hidden;
      for (int i = 0; i < hidden; i++) {
        s += w2[base + i] * h[i];
      }
      z[o] = s;
    }
  }

  /** Predicted scores and costs (USD) for each row: result[0] scores, result[1] costs. */
  double[][][] predict(float[][] x) {
    double[][] score = new double[x.length][configs];
    double[][] cost = new double[x.length][configs];
    double[] xs = new double[in];
    double[] h = new double[hidden];
    double[] z = new double[out];
    for (int q = 0; q < x.length; q++) {
      standardise(x[q], xs);
      forward(xs, h, z);
      for (int c = 0; c < configs; c++) {
        score[q][c] = 1 / (1 + Math.exp(-z[c]));
        cost[q][c] = Math.exp(z[configs + c]) * costUnit[c];
      }
    }
    return new double[][][] {score, cost};
  }

  /** An AdamW optimiser over this network's parameters. */
  final class Trainer {
    private final double lr;
    private final double weightDecay;
    private final double[][] params = {w1, b1, w2, b2};
    private final double[][] grads;
    private final double[][] m;
    private final double[][] v;
    private int step;

    Trainer(double lr, double weightDecay) {
      this.lr = lr;
      this.weightDecay = weightDecay;
      grads = new double[4][];
      m = new double[4][];
      v = new double[4][];
      for (int i = 0; i < 4; i++) {
        grads[i] = new double[params[i].length];
        m[i] = new double[params[i].length];
        v[i] = new double[params[i].length];
      }
    }

    /**
     * One pass over the data in a seeded random order.
     *
     * @param x inputs
     * @param score target scores [row][config]
     * @param cost target log-costs in cost units [row][config]
     */
    void epoch(float[][] x, double[][] score, double[][] cost, int batch, SplittableRandom r) {
      int n = x.length;
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double[] xs = new double[in];
      double[] h = new double[hidden];
      double[] z = new double[out];
      double[] dz = new double[out];
      double[] dh = new double[hidden];
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        for (double[] g : grads) {
          java.util.Arrays.fill(g, 0);
        }
        double scale = 1.0 / (to - from);
        for (int b = from; b < to; b++) {
          int q = order[b];
          standardise(x[q], xs);
          forward(xs, h, z);
          for (int c = 0; c < configs; c++) {
            dz[c] = (1 / (1 + Math.exp(-z[c])) - score[q][c]) * scale;
            dz[configs + c] = 2 * (z[configs + c] - cost[q][c]) * scale;
          }
          java.util.Arrays.fill(dh, 0);
          for (int o = 0; o < out; o++) {
            double g = dz[o];
            grads[3][o] += g;
            int base = o * hidden;
            for (int i = 0; i < hidden; i++) {
              grads[2][base + i] += g * h[i];
              dh[i] += g * w2[base + i];
            }
          }
          for (int i = 0; i < hidden; i++) {
            if (h[i] <= 0) {
              continue;
            }
            double g = dh[i];
            grads[1][i] += g;
            int base = i * in;
            for (int j = 0; j < in; j++) {
              grads[0][base + j] += g * xs[j];
            }
          }
        }
        update();
      }
    }

    private void update() {
      step++;
      double b1c = 1 - Math.pow(0.9, step);
      double b2c = 1 - Math.pow(0.999, step);
      for (int p = 0; p < params.length; p++) {
        double[] w = params[p];
        double[] g = grads[p];
        double[] mm = m[p];
        double[] vv = v[p];
        boolean decay = p == 0 || p == 2; // weights decay, biases do not
        for (int i = 0; i < w.length; i++) {
          mm[i] = 0.9 * mm[i] + 0.1 * g[i];
          vv[i] = 0.999 * vv[i] + 0.001 * g[i] * g[i];
          double upd = (mm[i] / b1c) / (Math.sqrt(vv[i] / b2c) + 1e-8);
          if (decay) {
            upd += weightDecay * w[i];
          }
          w[i] -= lr * upd;
        }
      }
    }
  }
}
