package dev.haps.train.nn;

/**
 * A fully connected layer {@code y = x·W + b} over a flat parameter vector. {@code W} is stored
 * input-major ({@code W[k][o]} at {@code weightOffset() + k·out + o}), the layout of ONNX {@code
 * Gemm}'s {@code B} without transposition, so that the inner loops are contiguous and vectorise.
 *
 * <p>Immutable; the weights live in the vector passed to each call.
 *
 * @since 0.1.0
 */
public final class Dense {

  private final int in;
  private final int out;
  private final int wOff;
  private final int bOff;

  /**
   * Reserves the layer's weights (decayed) and biases (not decayed) in a layout.
   *
   * @param in input width
   * @param out output width
   * @param layout the layout to allocate from
   */
  public Dense(int in, int out, ParameterLayout layout) {
    this.in = in;
    this.out = out;
    this.wOff = layout.alloc(in * out, true);
    this.bOff = layout.alloc(out, false);
  }

  /**
   * Input width.
   *
   * @return the width
   */
  public int in() {
    return in;
  }

  /**
   * Output width.
   *
   * @return the width
   */
  public int out() {
    return out;
  }

  /**
   * Where {@code W} starts in the parameter vector.
   *
   * @return the offset
   */
  public int weightOffset() {
    return wOff;
  }

  /**
   * Where {@code b} starts in the parameter vector.
   *
   * @return the offset
   */
  public int biasOffset() {
    return bOff;
  }

  /**
   * {@code y[i] = x[i]·W + b} for rows {@code 0..n-1}.
   *
   * @param p the parameter vector
   * @param x {@code n × in}, row-major
   * @param n the row count
   * @param y {@code n × out}, overwritten
   */
  public void forward(double[] p, double[] x, int n, double[] y) {
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
   * the input gradient. Rows are accumulated in order.
   *
   * @param p the parameter vector
   * @param x the forward input, {@code n × in}
   * @param dy the output gradient, {@code n × out}
   * @param n the row count
   * @param g the gradient accumulator, as long as {@code p}
   * @param dx the input gradient, {@code n × in}, overwritten; null when not needed
   */
  public void backward(double[] p, double[] x, double[] dy, int n, double[] g, double[] dx) {
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

  /**
   * He-normal weights scaled by {@code gain}, zero biases.
   *
   * @param p the parameter vector
   * @param rng the random source (one draw per weight, input-major)
   * @param gain the scale of the standard deviation {@code sqrt(2 / in)}
   */
  public void init(double[] p, Rng rng, double gain) {
    double std = gain * Math.sqrt(2.0 / in);
    for (int i = 0; i < in * out; i++) {
      p[wOff + i] = std * rng.gaussian();
    }
    for (int o = 0; o < out; o++) {
      p[bOff + o] = 0;
    }
  }
}
