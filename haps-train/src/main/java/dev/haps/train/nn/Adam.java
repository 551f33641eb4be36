package dev.haps.train.nn;

/**
 * Adam with decoupled weight decay (AdamW) over a flat parameter vector: β1 0.9, β2 0.999,
 * ε 1e-8, bias-corrected; decay only where the mask says so.
 *
 * @since 0.1.0
 */
public final class Adam {

  private final double[] m;
  private final double[] v;
  private final boolean[] decay;
  private final double beta1 = 0.9;
  private final double beta2 = 0.999;
  private final double eps = 1e-8;
  private long t;

  /**
   * A fresh optimiser (zero moments).
   *
   * @param size the length of the parameter vector
   * @param decay which values are weight-decayed ({@link ParameterLayout#decayMask()})
   */
  public Adam(int size, boolean[] decay) {
    this.m = new double[size];
    this.v = new double[size];
    this.decay = decay;
  }

  /**
   * One update of {@code p} from gradient {@code g}.
   *
   * @param p the parameters, updated in place
   * @param g the gradient
   * @param lr the learning rate
   * @param weightDecay the decoupled weight decay
   */
  public void step(double[] p, double[] g, double lr, double weightDecay) {
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < p.length; i++) {
      double gi = g[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      double upd = (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
      if (decay[i]) {
        upd += weightDecay * p[i];
      }
      p[i] -= lr * upd;
    }
  }
}
