package dev.haps.train.model;

import java.util.Arrays;

/**
 * The part of a gradient computation every objective shares: pack a shard's input rows, run the
 * network forward, let the objective add each row's loss and output gradients, run it backward.
 */
final class Shard {

  private Shard() {}

  /** One row's contribution: adds its loss to {@code loss[0]} and its output gradients. */
  @FunctionalInterface
  interface RowLoss {
    void add(HapsNetwork.Pass pass, int i, int row, double costWeight, long seed,
        double[][] dOut, double[] dLogits, double[] g, double[] loss);
  }

  /** Zeroes {@code g}, then accumulates the gradient of rows {@code [from, to)}. */
  static double gradient(HapsNetwork net, TrainingProblem problem, Minibatch batch, int from,
      int to, double[] g, RowLoss rowLoss) {
    Arrays.fill(g, 0);
    int n = to - from;
    if (n == 0) {
      return 0;
    }
    NetworkSpec spec = net.spec();
    int d = spec.inputDim();
    SplitTable train = problem.train();
    int base = train.baseDim();
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(train.x(), batch.rows()[from + i] * base, x, i * d, base);
      if (spec.costWeightInput()) {
        x[i * d + d - 1] = batch.costWeights()[from + i];
      }
    }
    HapsNetwork.Pass pass = net.forward(x, n);
    double[][] dOut = new double[spec.candidates()][];
    for (int c = 0; c < dOut.length; c++) {
      if (pass.out[c] != null) {
        dOut[c] = new double[pass.out[c].length];
      }
    }
    double[] dLogits = pass.logits == null ? null : new double[pass.logits.length];
    double[] loss = {0};
    for (int i = 0; i < n; i++) {
      rowLoss.add(pass, i, batch.rows()[from + i], batch.costWeights()[from + i],
          batch.seeds()[from + i], dOut, dLogits, g, loss);
    }
    if (batch.wantsInputGradient()) {
      // Each shard writes its own rows: shards never share a slot.
      double[] dx = net.backward(pass, dOut, dLogits, g, true);
      double[] sink = batch.inputGradient();
      int w = sink.length / batch.size();
      for (int i = 0; i < n; i++) {
        System.arraycopy(dx, i * d, sink, (from + i) * w, Math.min(w, base));
      }
    } else {
      net.backward(pass, dOut, dLogits, g);
    }
    return loss[0];
  }

  /** Every row of a table at one cost weight, packed as the network's input. */
  static double[] inputs(NetworkSpec spec, SplitTable t, double costWeight) {
    int d = spec.inputDim();
    int base = t.baseDim();
    double[] x = new double[t.n() * d];
    for (int i = 0; i < t.n(); i++) {
      System.arraycopy(t.x(), i * base, x, i * d, base);
      if (spec.costWeightInput()) {
        x[i * d + d - 1] = costWeight;
      }
    }
    return x;
  }
}
