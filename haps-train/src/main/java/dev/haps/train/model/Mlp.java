package dev.haps.train.model;

/** A stack of {@link Dense} layers, each followed by ReLU. */
final class Mlp {

  final Dense[] layers;
  final int inDim;

  Mlp(int inDim, int[] hidden, Layout layout) {
    this.inDim = inDim;
    this.layers = new Dense[hidden.length];
    int d = inDim;
    for (int l = 0; l < hidden.length; l++) {
      layers[l] = new Dense(d, hidden[l], layout);
      d = hidden[l];
    }
  }

  int outDim() {
    return layers.length == 0 ? inDim : layers[layers.length - 1].out;
  }

  /** Runs the stack; {@code acts[0]} is the input, {@code acts[l+1]} layer l's ReLU output. */
  double[][] forward(double[] p, double[] x, int n) {
    double[][] acts = new double[layers.length + 1][];
    acts[0] = x;
    for (int l = 0; l < layers.length; l++) {
      Dense d = layers[l];
      double[] y = new double[n * d.out];
      d.forward(p, acts[l], n, y);
      for (int i = 0; i < y.length; i++) {
        if (y[i] < 0) {
          y[i] = 0;
        }
      }
      acts[l + 1] = y;
    }
    return acts;
  }

  /**
   * Back-propagates {@code dOut} (gradient of the last activation); accumulates into {@code g}
   * and returns the input gradient when {@code wantInput}, else null.
   */
  double[] backward(double[] p, double[][] acts, double[] dOut, int n, double[] g,
      boolean wantInput) {
    double[] d = dOut;
    for (int l = layers.length - 1; l >= 0; l--) {
      double[] y = acts[l + 1];
      for (int i = 0; i < d.length; i++) {
        if (y[i] <= 0) {
          d[i] = 0;
        }
      }
      boolean needDx = l > 0 || wantInput;
      double[] dx = needDx ? new double[n * layers[l].in] : null;
      layers[l].backward(p, acts[l], d, n, g, dx);
      d = dx;
    }
    return layers.length == 0 ? (wantInput ? dOut : null) : d;
  }

  void init(double[] p, Rng rng) {
    for (Dense d : layers) {
      d.init(p, rng, 1.0);
    }
  }
}
