package dev.haps.train.nn;

/**
 * A stack of {@link Dense} layers, each followed by ReLU; no layers at all is the identity.
 *
 * <p>Immutable; the weights live in the vector passed to each call.
 *
 * @since 0.1.0
 */
public final class Mlp {

  private final Dense[] layers;
  private final int inDim;

  /**
   * Reserves the layers in a layout, in order.
   *
   * @param inDim input width
   * @param hidden the width of each layer
   * @param layout the layout to allocate from
   */
  public Mlp(int inDim, int[] hidden, ParameterLayout layout) {
    this.inDim = inDim;
    this.layers = new Dense[hidden.length];
    int d = inDim;
    for (int l = 0; l < hidden.length; l++) {
      layers[l] = new Dense(d, hidden[l], layout);
      d = hidden[l];
    }
  }

  /**
   * The layers, first to last.
   *
   * @return a copy of the array
   */
  public Dense[] layers() {
    return layers.clone();
  }

  /**
   * Output width.
   *
   * @return the last layer's width, or the input width without layers
   */
  public int outDim() {
    return layers.length == 0 ? inDim : layers[layers.length - 1].out();
  }

  /**
   * Runs the stack.
   *
   * @param p the parameter vector
   * @param x {@code n × inDim}, row-major
   * @param n the row count
   * @return the activations: {@code [0]} is {@code x}, {@code [l+1]} layer l's ReLU output
   */
  public double[][] forward(double[] p, double[] x, int n) {
    double[][] acts = new double[layers.length + 1][];
    acts[0] = x;
    for (int l = 0; l < layers.length; l++) {
      Dense d = layers[l];
      double[] y = new double[n * d.out()];
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
   * Back-propagates the gradient of the last activation and accumulates the parameter gradient.
   *
   * @param p the parameter vector
   * @param acts the activations of {@link #forward}
   * @param dOut the gradient of the last activation, {@code n × outDim}; overwritten
   * @param n the row count
   * @param g the gradient accumulator, as long as {@code p}
   * @param wantInput whether to return the input gradient
   * @return the input gradient when {@code wantInput}, else null
   */
  public double[] backward(double[] p, double[][] acts, double[] dOut, int n, double[] g,
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
      double[] dx = needDx ? new double[n * layers[l].in()] : null;
      layers[l].backward(p, acts[l], d, n, g, dx);
      d = dx;
    }
    return layers.length == 0 ? (wantInput ? dOut : null) : d;
  }

  /**
   * He-normal weights (gain 1), zero biases, layer by layer.
   *
   * @param p the parameter vector
   * @param rng the random source
   */
  public void init(double[] p, Rng rng) {
    for (Dense d : layers) {
      d.init(p, rng, 1.0);
    }
  }
}
