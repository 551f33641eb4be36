package dev.haps.eval.baselines;

import dev.haps.train.nn.Dense;
import dev.haps.train.nn.Mlp;
import dev.haps.train.nn.ParameterLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The perceptron baseline's model: the trainer's {@link Mlp} (one ReLU layer) and a linear
 * {@link Dense} output predicting, for every configuration, the score (sigmoid output, binary
 * cross-entropy) and the cost (the log of the cost in units of the configuration's mean training
 * cost, squared error; exponentiated to predict, so a prediction is never 0 or negative). Inputs
 * are the embeddings as they are, as the HAPS trunk reads them: standardising each of the 384
 * unit-norm dimensions (sd about 0.05) multiplied the inputs by about 20, which made the
 * initial score logits random (sd about 1) and the first layer overfit within an epoch or two
 * (issue 19). Initialised like the HAPS value heads: output weights scaled by 0.1, score biases
 * at the logit of each configuration's mean training score. Trained with AdamW on mini-batches;
 * single-threaded and seeded, so the same data and seed give the same weights.
 */
final class MlpRewardModel {

  private final int in;
  private final int configs;
  private final int out;
  private final Mlp hiddenLayer;
  private final Dense output;
  private final double[] p;
  private final boolean[] decay;
  private final double[] costUnit;

  MlpRewardModel(int in, int hidden, int configs, double[] meanScore, double[] costUnit,
      long seed) {
    this.in = in;
    this.configs = configs;
    this.out = 2 * configs;
    ParameterLayout layout = new ParameterLayout();
    this.hiddenLayer = new Mlp(in, new int[] {hidden}, layout);
    this.output = new Dense(hidden, out, layout);
    this.p = new double[layout.size()];
    this.decay = layout.decayMask();
    this.costUnit = costUnit;
    SplittableRandom r = new SplittableRandom(seed);
    Dense first = hiddenLayer.layers()[0];
    double s1 = Math.sqrt(2.0 / in);
    for (int i = 0; i < hidden; i++) {
      for (int j = 0; j < in; j++) {
        p[first.weightOffset() + j * hidden + i] = gaussian(r) * s1;
      }
    }
    double s2 = 0.1 * Math.sqrt(1.0 / hidden);
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < hidden; i++) {
        p[output.weightOffset() + i * out + o] = gaussian(r) * s2;
      }
    }
    // Score biases at the mean score's logit; cost biases at 0, the log of the cost unit.
    for (int c = 0; c < configs; c++) {
      double m = Math.max(0.02, Math.min(0.98, meanScore[c]));
      p[output.biasOffset() + c] = Math.log(m / (1 - m));
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Snapshot of the weights, to keep the best epoch. */
  double[] weights() {
    return p.clone();
  }

  void restore(double[] w) {
    System.arraycopy(w, 0, p, 0, p.length);
  }

  /** The input rows, in the given order. */
  private double[] inputs(float[][] x, int[] rows, int from, int to) {
    double[] xs = new double[(to - from) * in];
    for (int b = from; b < to; b++) {
      float[] row = x[rows == null ? b : rows[b]];
      int o = (b - from) * in;
      for (int j = 0; j < in; j++) {
        xs[o + j] = row[j];
      }
    }
    return xs;
  }

  /**
   * The mean training loss on other rows: score cross-entropy plus log-cost squared error per
   * configuration, the loss {@link Trainer#epoch} minimises.
   */
  double loss(float[][] x, double[][] score, double[][] cost) {
    int n = x.length;
    double[][] acts = hiddenLayer.forward(p, inputs(x, null, 0, n), n);
    double[] z = new double[n * out];
    output.forward(p, acts[1], n, z);
    double sum = 0;
    for (int q = 0; q < n; q++) {
      int zo = q * out;
      for (int c = 0; c < configs; c++) {
        double zs = z[zo + c];
        double sp = Math.max(zs, 0) + Math.log1p(Math.exp(-Math.abs(zs)));
        double dc = z[zo + configs + c] - cost[q][c];
        sum += sp - score[q][c] * zs + dc * dc;
      }
    }
    return sum / n;
  }

  /** Predicted scores and costs (USD) for each row: result[0] scores, result[1] costs. */
  double[][][] predict(float[][] x) {
    int n = x.length;
    double[][] score = new double[n][configs];
    double[][] cost = new double[n][configs];
    double[][] acts = hiddenLayer.forward(p, inputs(x, null, 0, n), n);
    double[] z = new double[n * out];
    output.forward(p, acts[1], n, z);
    for (int q = 0; q < n; q++) {
      int zo = q * out;
      for (int c = 0; c < configs; c++) {
        score[q][c] = 1 / (1 + Math.exp(-z[zo + c]));
        cost[q][c] = Math.exp(z[zo + configs + c]) * costUnit[c];
      }
    }
    return new double[][][] {score, cost};
  }

  /** An AdamW optimiser over this network's parameters. */
  final class Trainer {
    private final double lr;
    private final double weightDecay;
    private final double[] grads = new double[p.length];
    private final double[] m = new double[p.length];
    private final double[] v = new double[p.length];
    private int step;

    Trainer(double lr, double weightDecay) {
      this.lr = lr;
      this.weightDecay = weightDecay;
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
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        int rows = to - from;
        double scale = 1.0 / rows;
        double[][] acts = hiddenLayer.forward(p, inputs(x, order, from, to), rows);
        double[] z = new double[rows * out];
        output.forward(p, acts[1], rows, z);
        double[] dz = new double[rows * out];
        for (int b = 0; b < rows; b++) {
          int q = order[from + b];
          int zo = b * out;
          for (int c = 0; c < configs; c++) {
            dz[zo + c] = (1 / (1 + Math.exp(-z[zo + c])) - score[q][c]) * scale;
            dz[zo + configs + c] = 2 * (z[zo + configs + c] - cost[q][c]) * scale;
          }
        }
        Arrays.fill(grads, 0);
        double[] dh = new double[acts[1].length];
        output.backward(p, acts[1], dz, rows, grads, dh);
        hiddenLayer.backward(p, acts, dh, rows, grads, false);
        update();
      }
    }

    private void update() {
      step++;
      double b1c = 1 - Math.pow(0.9, step);
      double b2c = 1 - Math.pow(0.999, step);
      for (int i = 0; i < p.length; i++) {
        double g = grads[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double upd = (m[i] / b1c) / (Math.sqrt(v[i] / b2c) + 1e-8);
        if (decay[i]) {
          upd += weightDecay * p[i];
        }
        p[i] -= lr * upd;
      }
    }
  }
}
