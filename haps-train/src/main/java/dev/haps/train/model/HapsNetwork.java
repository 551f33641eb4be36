package dev.haps.train.model;

import dev.haps.train.nn.Adam;
import dev.haps.train.nn.Dense;
import dev.haps.train.nn.Mlp;
import dev.haps.train.nn.ParameterLayout;
import dev.haps.train.nn.Rng;
import java.util.Arrays;
import java.util.Objects;

/**
 * One HAPS network with its weights: a trunk over {@code [embedding, features, cost weight]},
 * a high-level head, and one parameter generator per candidate that reads the trunk's
 * representation. The forward and backward passes are written out by hand over one flat
 * parameter vector.
 *
 * <p>With a policy head ({@link NetworkSpec#policyHead()}, {@link PolicyObjective}) the
 * high-level head is a linear layer giving one logit per candidate; for {@link ValueObjective}
 * the high-level decision is derived from the generators' per-configuration predictions (see
 * {@link TrainedModel}), so there is no separate layer.
 *
 * <p>Not thread-safe for writes; concurrent {@link #forward} calls on unchanged weights are safe.
 *
 * @since 0.1.0
 */
public final class HapsNetwork {

  private final NetworkSpec spec;
  private final int size;
  private final boolean[] decay;
  final double[] p;
  final Mlp[] trunks;
  final Mlp[] genHidden;
  final Dense[] genOut;
  final Dense policyHead;
  final int[] logStdOff;
  /** A frozen linear path added to the generators' outputs, or null (not a parameter). */
  private LinearPath linear;

  /**
   * Builds the network with weights drawn from {@code rng} (He-normal, zero biases, output
   * layers scaled by 0.1).
   *
   * @param spec the shape
   * @param rng the random source
   */
  public HapsNetwork(NetworkSpec spec, Rng rng) {
    this.spec = Objects.requireNonNull(spec, "spec");
    ParameterLayout layout = new ParameterLayout();
    int k = spec.candidates();
    boolean policy = spec.policyHead();
    int trunkCount = spec.shared() ? 1 : k + (policy ? 1 : 0);
    trunks = new Mlp[trunkCount];
    for (int t = 0; t < trunkCount; t++) {
      trunks[t] = new Mlp(spec.inputDim(), spec.hidden(), layout);
    }
    int rep = spec.representationDim();
    genHidden = new Mlp[k];
    genOut = new Dense[k];
    logStdOff = new int[k];
    for (int c = 0; c < k; c++) {
      int[] gh = spec.genHidden() > 0 ? new int[] {spec.genHidden()} : new int[0];
      genHidden[c] = new Mlp(rep, gh, layout);
      genOut[c] = spec.width(c) > 0 ? new Dense(genHidden[c].outDim(), spec.width(c), layout)
          : null;
      logStdOff[c] = layout.alloc(policy ? spec.numeric(c).length : 0, false);
    }
    policyHead = policy ? new Dense(rep, k, layout) : null;
    size = layout.size();
    decay = layout.decayMask();
    p = new double[size];
    for (Mlp t : trunks) {
      t.init(p, rng);
    }
    for (int c = 0; c < k; c++) {
      genHidden[c].init(p, rng);
      if (genOut[c] != null) {
        genOut[c].init(p, rng, 0.1);
      }
      Arrays.fill(p, logStdOff[c], logStdOff[c] + (policy ? spec.numeric(c).length : 0),
          Math.log(0.15));
    }
    if (policyHead != null) {
      policyHead.init(p, rng, 0.1);
    }
  }

  /**
   * A copy of another network (same shape, copied weights).
   *
   * @param other the network to copy
   */
  public HapsNetwork(HapsNetwork other) {
    this(other.spec, new Rng(0));
    System.arraycopy(other.p, 0, p, 0, size);
    this.linear = other.linear;
  }

  /**
   * Sets the frozen linear path that every generator's output adds (a skip connection from the
   * input into the generators; it is not part of {@link #parameters()} and is not trained).
   *
   * @param path the path, reading the first {@link LinearPath#inDim()} input columns
   * @throws IllegalArgumentException if the path reads more columns than the input has
   */
  public void linearPath(LinearPath path) {
    java.util.Objects.requireNonNull(path, "path");
    if (path.inDim() > spec.inputDim()) {
      throw new IllegalArgumentException("linear path reads " + path.inDim()
          + " input columns, the network has " + spec.inputDim());
    }
    this.linear = path;
  }

  /**
   * The frozen linear path, if set.
   *
   * @return the path
   */
  public java.util.Optional<LinearPath> linearPath() {
    return java.util.Optional.ofNullable(linear);
  }

  /**
   * Multiplies every generator's output layer (weights and bias) by {@code gamma}: the scale of
   * the trained part relative to the linear path (0 leaves the linear path alone).
   *
   * @param gamma the scale
   */
  public void scaleGenerators(double gamma) {
    for (Dense d : genOut) {
      if (d == null) {
        continue;
      }
      for (int i = 0; i < d.in() * d.out(); i++) {
        p[d.weightOffset() + i] *= gamma;
      }
      for (int i = 0; i < d.out(); i++) {
        p[d.biasOffset() + i] *= gamma;
      }
    }
  }

  /**
   * The shape.
   *
   * @return the spec
   */
  public NetworkSpec spec() {
    return spec;
  }

  /**
   * The number of trainable values.
   *
   * @return the size of the parameter vector
   */
  public int parameterCount() {
    return size;
  }

  /**
   * A copy of the parameter vector.
   *
   * @return the weights
   */
  public double[] parameters() {
    return p.clone();
  }

  /**
   * Replaces the parameter vector.
   *
   * @param values exactly {@link #parameterCount()} values
   * @throws IllegalArgumentException on a length mismatch
   */
  public void setParameters(double[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException(
          "expected " + size + " parameters, got " + values.length);
    }
    System.arraycopy(values, 0, p, 0, size);
  }

  boolean[] decayMask() {
    return decay;
  }

  /**
   * A fresh optimiser for this network's parameters (weights decayed, biases and log-stds not).
   *
   * @return the optimiser
   */
  public Adam optimiser() {
    return new Adam(size, decay);
  }

  /**
   * One optimiser update of the weights.
   *
   * @param optimiser an optimiser from {@link #optimiser()} of this network
   * @param gradient the gradient, {@link #parameterCount()} long
   * @param learningRate the learning rate
   * @param weightDecay the decoupled weight decay
   */
  public void step(Adam optimiser, double[] gradient, double learningRate, double weightDecay) {
    optimiser.step(p, gradient, learningRate, weightDecay);
  }

  /** Rounds every weight to float32, the precision the ONNX export stores. */
  void roundToFloat() {
    for (int i = 0; i < size; i++) {
      p[i] = (float) p[i];
    }
    if (linear != null) {
      linear = linear.roundedToFloat();
    }
  }

  int trunkOf(int candidate) {
    return spec.shared() ? 0 : candidate;
  }

  int policyTrunk() {
    return spec.shared() ? 0 : spec.candidates();
  }

  /** Activations of one forward pass, kept for the backward pass. */
  static final class Pass {
    final int n;
    final double[][][] trunkActs;
    final double[][][] genActs;
    /** Per candidate, {@code n × outWidth}; null for a zero-width generator. */
    final double[][] out;
    /** {@code n × K} for policy heads, else null. */
    final double[] logits;

    Pass(int n, double[][][] trunkActs, double[][][] genActs, double[][] out, double[] logits) {
      this.n = n;
      this.trunkActs = trunkActs;
      this.genActs = genActs;
      this.out = out;
      this.logits = logits;
    }

    double[] representation(int trunk) {
      double[][] a = trunkActs[trunk];
      return a[a.length - 1];
    }
  }

  /**
   * Runs the network on {@code n} input rows.
   *
   * @param x {@code n × inputDim}, row-major
   * @param n the row count
   * @return the activations and outputs
   */
  Pass forward(double[] x, int n) {
    int k = spec.candidates();
    double[][][] ta = new double[trunks.length][][];
    for (int t = 0; t < trunks.length; t++) {
      ta[t] = trunks[t].forward(p, x, n);
    }
    double[][][] ga = new double[k][][];
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      double[] h = last(ta[trunkOf(c)]);
      ga[c] = genHidden[c].forward(p, h, n);
      if (genOut[c] != null) {
        out[c] = new double[n * genOut[c].out()];
        genOut[c].forward(p, last(ga[c]), n, out[c]);
        if (linear != null) {
          linear.addTo(x, n, spec.inputDim(), c, out[c]);
        }
      }
    }
    double[] logits = null;
    if (policyHead != null) {
      logits = new double[n * k];
      policyHead.forward(p, last(ta[policyTrunk()]), n, logits);
    }
    return new Pass(n, ta, ga, out, logits);
  }

  /**
   * Back-propagates output gradients and accumulates the parameter gradient into {@code g}.
   * The gradient arrays are overwritten.
   *
   * @param pass the forward pass
   * @param dOut per candidate, the gradient of the generator output (null entries are zero)
   * @param dLogits the gradient of the policy logits, or null
   * @param g the gradient accumulator, {@link #parameterCount()} long
   */
  void backward(Pass pass, double[][] dOut, double[] dLogits, double[] g) {
    backward(pass, dOut, dLogits, g, false);
  }

  /**
   * Back-propagates as {@link #backward(Pass, double[][], double[], double[])} and, when asked,
   * returns the gradient with respect to the input rows ({@code n × inputDim}, summed over the
   * trunks that read them).
   */
  double[] backward(Pass pass, double[][] dOut, double[] dLogits, double[] g, boolean wantInput) {
    int n = pass.n;
    int k = spec.candidates();
    double[][] dRep = new double[trunks.length][];
    for (int c = 0; c < k; c++) {
      if (genOut[c] == null || dOut[c] == null) {
        continue;
      }
      double[] dg = new double[n * genOut[c].in()];
      genOut[c].backward(p, last(pass.genActs[c]), dOut[c], n, g, dg);
      double[] dh = genHidden[c].backward(p, pass.genActs[c], dg, n, g, true);
      addInto(dRep, trunkOf(c), dh);
    }
    if (policyHead != null && dLogits != null) {
      double[] dh = new double[n * policyHead.in()];
      policyHead.backward(p, pass.representation(policyTrunk()), dLogits, n, g, dh);
      addInto(dRep, policyTrunk(), dh);
    }
    double[] dx = wantInput ? new double[n * spec.inputDim()] : null;
    for (int t = 0; t < trunks.length; t++) {
      if (dRep[t] != null) {
        double[] d = trunks[t].backward(p, pass.trunkActs[t], dRep[t], n, g, wantInput);
        if (wantInput) {
          for (int i = 0; i < dx.length; i++) {
            dx[i] += d[i];
          }
        }
      }
    }
    return dx;
  }

  private static void addInto(double[][] acc, int t, double[] d) {
    if (acc[t] == null) {
      acc[t] = d.clone();
    } else {
      double[] a = acc[t];
      for (int i = 0; i < a.length; i++) {
        a[i] += d[i];
      }
    }
  }

  static double[] last(double[][] acts) {
    return acts[acts.length - 1];
  }
}
