package dev.haps.train.model;

/**
 * A fully connected layer {@code y = x·W + b} over a flat parameter vector. {@code W} is stored
 * input-major ({@code W[k][o]} at {@code wOff + k·out + o}), the layout of ONNX {@code Gemm}'s
 * {@code B} without transposition, so that the inner loops are contiguous and vectorise.
 */
final class Dense {

  final int in;
  final int out;
  final int wOff;
  final int bOff;

  Dense(int in, int out, Layout layout) {
    this.in = in;
    this.out = out;
    this.wOff = layout.alloc(in * out, true);
    this.bOff = layout.alloc(out, false);
  }

  /** {@code y[i] = x[i]·W + b} for rows {@code 0..n-1}. */
  void forward(double[] p, double[] x, int n, double[] y) {
    for (int i = 0; i < n; i++) {
      int yi = i * out;
      System.arraycopy(p, bOff, y, yi, out);
      int xi = i * in;
      for (int k = 0; k < in; k++) {
        double xv = x[xi + k];
        if (xv == 0) {
          continue;
        }
        int wk = wOff + k * out;
        for (int o = 0; o < out; o++) {
          y[yi + o] += xv * p[wk + o];
        }
      }
    }
  }

  /**
   * Accumulates the parameter gradient into {@code g} and, when {@code dx} is not null, writes
   * the input gradient.
   */
  void backward(double[] p, double[] x, double[] dy, int n, double[] g, double[] dx) {
    for (int i = 0; i < n; i++) {
      int yi = i * out;
      for (int o = 0; o < out; o++) {
        g[bOff + o] += dy[yi + o];
      }
      int xi = i * in;
      for (int k = 0; k < in; k++) {
        double xv = x[xi + k];
        if (xv == 0) {
          continue;
        }
        int wk = wOff + k * out;
        for (int o = 0; o < out; o++) {
          g[wk + o] += xv * dy[yi + o];
        }
      }
      if (dx != null) {
        for (int k = 0; k < in; k++) {
          int wk = wOff + k * out;
          double s = 0;
          for (int o = 0; o < out; o++) {
            s += p[wk + o] * dy[yi + o];
          }
          dx[xi + k] = s;
        }
      }
    }
  }

  /** He-normal weights scaled by {@code gain}, zero biases. */
  void init(double[] p, Rng rng, double gain) {
    double std = gain * Math.sqrt(2.0 / in);
    for (int i = 0; i < in * out; i++) {
      p[wOff + i] = std * rng.gaussian();
    }
    for (int o = 0; o < out; o++) {
      p[bOff + o] = 0;
    }
  }
}
