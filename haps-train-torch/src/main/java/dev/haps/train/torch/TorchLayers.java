package dev.haps.train.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * MiniLM (BERT) layers in DJL's PyTorch engine, op for op as the ONNX graph computes them (so
 * that the export, {@link TopLayersOnnx}, runs the same function): Q/K/V projections, 12 heads of
 * 32, scores / sqrt(32) plus an additive mask, softmax, output projection and residual,
 * post-LayerNorm (eps 1e-12, biased variance), FFN 384 → 1536 with the exact (erf) GELU → 384,
 * residual, post-LayerNorm. Pooling: masked mean over tokens, then L2 normalisation.
 *
 * <p>Activations are the first operand of every op, so that results attach to the caller's
 * (per-batch) manager, never to the parameters' manager.
 */
final class TorchLayers {

  static final int D = MiniLmWeights.D;
  static final int HD = D / MiniLmWeights.HEADS;

  /** Parameter names of a layer, in the order of {@link MiniLmWeights.Layer#params()}. */
  static final List<String> NAMES = List.of("wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo",
      "ln1g", "ln1b", "wi", "bi", "wo2", "bo2", "ln2g", "ln2b");

  private TorchLayers() {}

  /** The shape of parameter {@code i} of a layer. */
  static long[] shape(int i) {
    int f = MiniLmWeights.FF;
    return switch (i) {
      case 0, 2, 4, 6 -> new long[] {D, D};
      case 10 -> new long[] {D, f};
      case 11 -> new long[] {f};
      case 12 -> new long[] {f, D};
      default -> new long[] {D};
    };
  }

  /** A layer's parameters as arrays of {@code m}. */
  static NDArray[] create(NDManager m, float[][] w) {
    NDArray[] p = new NDArray[w.length];
    for (int i = 0; i < w.length; i++) {
      p[i] = m.create(w[i], new Shape(shape(i)));
    }
    return p;
  }

  /** LayerNorm over the last axis, decomposed as the exported BERT graph does. */
  static NDArray layerNorm(NDArray x, NDArray g, NDArray b) {
    NDArray mu = x.mean(new int[] {-1}, true);
    NDArray xc = x.sub(mu);
    NDArray var = xc.mul(xc).mean(new int[] {-1}, true);
    return xc.div(var.add(MiniLmWeights.LN_EPS).sqrt()).mul(g).add(b);
  }

  /**
   * One layer.
   *
   * @param h [B, T, D]
   * @param maskAdd [B, 1, 1, T] additive attention mask (0 or −3.4e38)
   * @param p the layer's parameters
   */
  static NDArray layer(NDArray h, NDArray maskAdd, NDArray[] p) {
    long b = h.getShape().get(0);
    long t = h.getShape().get(1);
    int heads = MiniLmWeights.HEADS;
    NDArray q = h.matMul(p[0]).add(p[1]).reshape(b, t, heads, HD).transpose(0, 2, 1, 3);
    NDArray k = h.matMul(p[2]).add(p[3]).reshape(b, t, heads, HD).transpose(0, 2, 3, 1);
    NDArray v = h.matMul(p[4]).add(p[5]).reshape(b, t, heads, HD).transpose(0, 2, 1, 3);
    NDArray s = q.matMul(k).div((float) Math.sqrt(HD)).add(maskAdd);
    NDArray ctx = s.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, D);
    NDArray a = layerNorm(ctx.matMul(p[6]).add(p[7]).add(h), p[8], p[9]);
    NDArray i = a.matMul(p[10]).add(p[11]);
    NDArray gelu = i.mul(i.div((float) Math.sqrt(2.0)).erf().add(1f)).mul(0.5f);
    return layerNorm(gelu.matMul(p[12]).add(p[13]).add(a), p[14], p[15]);
  }

  /** Masked mean over tokens, L2-normalised: [B, T, D] and a 1/0 mask [B, T] → [B, D]. */
  static NDArray pool(NDArray h, NDArray mask) {
    NDArray m = mask.expandDims(-1);
    NDArray mean = h.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
    NDArray norm = mean.mul(mean).sum(new int[] {1}, true).sqrt().maximum(1e-12f);
    return mean.div(norm);
  }

  /** Additive mask [B, 1, 1, T] from a 1/0 mask [B, T]. */
  static NDArray additiveMask(NDArray mask) {
    long b = mask.getShape().get(0);
    long t = mask.getShape().get(1);
    return mask.neg().add(1f).mul(-3.4028235e38f).reshape(b, 1, 1, t);
  }
}
