package dev.haps.train.torch;

import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.runtime.encoder.EncoderTop;
import java.util.List;
import java.util.Map;

/**
 * Writes fine-tuned MiniLM layers as the graph of {@code encoder-top.onnx} (the {@link
 * EncoderTop} contract): input {@value EncoderTop#INPUT} float32 [1, tokens, 384], the base
 * model's hidden state at the cut for one text; output {@value EncoderTop#OUTPUT} [1, tokens,
 * 384]; the runtime pools. One text per run and no padding (as the runtime encodes), so no
 * attention mask. Opset 17 (LayerNormalization); the float32 weights are stored inside.
 */
final class TopLayersOnnx {

  private TopLayersOnnx() {}

  /**
   * The graph.
   *
   * @param layers per layer its parameters in {@link TorchLayers#NAMES} order
   * @param producerVersion recorded in the graph
   * @return the ONNX bytes
   */
  static byte[] build(List<float[][]> layers, String producerVersion) {
    int d = TorchLayers.D;
    OnnxModelBuilder b = OnnxModelBuilder.create().batchDimName("tokens")
        .graphName("minilm_top").producer("haps-train-torch", producerVersion);
    b.input(EncoderTop.INPUT, 1, -1, d);
    b.initializer("shape_heads", new long[] {-1, MiniLmWeights.HEADS, TorchLayers.HD}, 3);
    b.initializer("shape_flat", new long[] {-1, d}, 2);
    b.initializer("shape_out", new long[] {1, -1, d}, 3);
    b.initializer("sqrt_hd", new float[] {(float) Math.sqrt(TorchLayers.HD)}, 1);
    b.initializer("sqrt2", new float[] {(float) Math.sqrt(2.0)}, 1);
    b.initializer("one", new float[] {1f}, 1);
    b.initializer("half", new float[] {0.5f}, 1);
    b.node("Reshape", List.of(EncoderTop.INPUT, "shape_flat"), List.of("h_in"));
    String x = "h_in";
    for (int l = 0; l < layers.size(); l++) {
      float[][] p = layers.get(l);
      String n = "l" + l + "_";
      for (int i = 0; i < p.length; i++) {
        b.initializer(n + TorchLayers.NAMES.get(i), p[i], TorchLayers.shape(i));
      }
      proj(b, x, n + "wq", n + "bq", n + "q0");
      proj(b, x, n + "wk", n + "bk", n + "k0");
      proj(b, x, n + "wv", n + "bv", n + "v0");
      heads(b, n + "q0", n + "q", new long[] {1, 0, 2});
      heads(b, n + "k0", n + "kt", new long[] {1, 2, 0});
      heads(b, n + "v0", n + "v", new long[] {1, 0, 2});
      b.matMul(n + "q", n + "kt", n + "s0");
      b.div(n + "s0", "sqrt_hd", n + "s");
      b.softmax(n + "s", n + "a", -1);
      b.matMul(n + "a", n + "v", n + "ctx0");
      b.node("Transpose", List.of(n + "ctx0"), List.of(n + "ctx1"),
          Map.of("perm", new long[] {1, 0, 2}));
      b.node("Reshape", List.of(n + "ctx1", "shape_flat"), List.of(n + "ctx"));
      proj(b, n + "ctx", n + "wo", n + "bo", n + "o0");
      b.add(n + "o0", x, n + "o1");
      b.node("LayerNormalization", List.of(n + "o1", n + "ln1g", n + "ln1b"),
          List.of(n + "att"), Map.of("axis", -1L, "epsilon", MiniLmWeights.LN_EPS));
      proj(b, n + "att", n + "wi", n + "bi", n + "i");
      b.div(n + "i", "sqrt2", n + "g0");
      b.node("Erf", List.of(n + "g0"), List.of(n + "g1"));
      b.add(n + "g1", "one", n + "g2");
      b.mul(n + "i", n + "g2", n + "g3");
      b.mul(n + "g3", "half", n + "gelu");
      proj(b, n + "gelu", n + "wo2", n + "bo2", n + "f0");
      b.add(n + "f0", n + "att", n + "f1");
      b.node("LayerNormalization", List.of(n + "f1", n + "ln2g", n + "ln2b"),
          List.of(n + "out"), Map.of("axis", -1L, "epsilon", MiniLmWeights.LN_EPS));
      x = n + "out";
    }
    b.node("Reshape", List.of(x, "shape_out"), List.of(EncoderTop.OUTPUT));
    b.output(EncoderTop.OUTPUT, 1, -1, d);
    return b.toBytes();
  }

  /** [T, 384] → [T, 12, 32] → transposed by {@code perm}. */
  private static void heads(OnnxModelBuilder b, String x, String out, long[] perm) {
    b.node("Reshape", List.of(x, "shape_heads"), List.of(out + "_r"));
    b.node("Transpose", List.of(out + "_r"), List.of(out), Map.of("perm", perm));
  }

  private static void proj(OnnxModelBuilder b, String x, String w, String bias, String out) {
    b.matMul(x, w, out + "_mm");
    b.add(out + "_mm", bias, out);
  }
}
