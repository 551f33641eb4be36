package dev.haps.train.model;

import dev.haps.train.nn.Dense;
import dev.haps.train.nn.Mlp;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of a {@link HapsNetwork}'s layers as float32 arrays, for exporters.
 * Weights are input-major: element {@code [i][o]} of an {@code in × out} layer is at {@code
 * i·out + o} (ONNX {@code Gemm} with {@code transB = 0}).
 *
 * @since 0.1.0
 */
public final class LayerView {

  /**
   * One dense layer.
   *
   * @param in input width
   * @param out output width
   * @param weights {@code in × out}, input-major
   * @param bias {@code out} values
   * @since 0.1.0
   */
  public record Layer(int in, int out, float[] weights, float[] bias) {}

  private final HapsNetwork net;

  private LayerView(HapsNetwork net) {
    this.net = net;
  }

  /**
   * A view of a network.
   *
   * @param net the network
   * @return the view
   */
  public static LayerView of(HapsNetwork net) {
    return new LayerView(net);
  }

  /**
   * The number of candidates.
   *
   * @return K
   */
  public int candidates() {
    return net.spec().candidates();
  }

  /**
   * The number of trunks: 1 with sharing, else one per candidate (plus one for policy heads).
   *
   * @return the count
   */
  public int trunkCount() {
    return net.trunks.length;
  }

  /**
   * The trunk a candidate's generator reads.
   *
   * @param candidate the candidate
   * @return the trunk index
   */
  public int trunkOf(int candidate) {
    return net.trunkOf(candidate);
  }

  /**
   * The trunk the policy head reads.
   *
   * @return the trunk index
   */
  public int policyTrunk() {
    return net.policyTrunk();
  }

  /**
   * A trunk's layers (each followed by ReLU).
   *
   * @param t the trunk index
   * @return the layers
   */
  public List<Layer> trunk(int t) {
    return layers(net.trunks[t]);
  }

  /**
   * A generator's hidden layers (each followed by ReLU); empty for a linear generator.
   *
   * @param candidate the candidate
   * @return the layers
   */
  public List<Layer> generatorHidden(int candidate) {
    return layers(net.genHidden[candidate]);
  }

  /**
   * A generator's output layer (no activation), or null when the candidate has no generator.
   *
   * @param candidate the candidate
   * @return the layer or null
   */
  public Layer generatorOut(int candidate) {
    Dense d = net.genOut[candidate];
    return d == null ? null : layer(d);
  }

  /**
   * A generator's frozen linear path from the input (added to its output layer's result), or
   * null when the network has none or the candidate has no generator.
   *
   * @param candidate the candidate
   * @return the layer ({@code in} = the input columns it reads) or null
   */
  public Layer linearPath(int candidate) {
    if (net.linearPath().isEmpty() || net.genOut[candidate] == null) {
      return null;
    }
    LinearPath lp = net.linearPath().get();
    double[] w = lp.weights(candidate);
    double[] b = lp.bias(candidate);
    float[] wf = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      wf[i] = (float) w[i];
    }
    float[] bf = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      bf[i] = (float) b[i];
    }
    return new Layer(lp.inDim(), b.length, wf, bf);
  }

  /**
   * The policy head (no activation), or null for value heads.
   *
   * @return the layer or null
   */
  public Layer policyHead() {
    return net.policyHead == null ? null : layer(net.policyHead);
  }

  private List<Layer> layers(Mlp mlp) {
    List<Layer> out = new ArrayList<>();
    for (Dense d : mlp.layers()) {
      out.add(layer(d));
    }
    return out;
  }

  private Layer layer(Dense d) {
    float[] w = new float[d.in() * d.out()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) net.p[d.weightOffset() + i];
    }
    float[] b = new float[d.out()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) net.p[d.biasOffset() + i];
    }
    return new Layer(d.in(), d.out(), w, b);
  }
}
