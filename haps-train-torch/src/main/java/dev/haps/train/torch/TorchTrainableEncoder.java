package dev.haps.train.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.train.embed.TrainableEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top layers of the default encoder in DJL's PyTorch engine, over the frozen lower layers'
 * hidden states ({@link LowerStates}). Batches are padded and masked; the embedding is the masked
 * mean, L2-normalised, exactly as the runtime pools one unpadded text at a time.
 */
final class TorchTrainableEncoder implements TrainableEncoder {

  /** Texts per forward pass when only embedding. */
  private static final int EMBED_BATCH = 64;

  private final Engine engine;
  private final NDManager root;
  private final NDArray[][] params;
  private final Adam adam;
  private final float[][] states;
  private final int[] lengths;
  private final String baseSha256;
  private final String cut;
  private final int layers;
  private final Map<String, Object> report = new LinkedHashMap<>();
  private final String version;

  TorchTrainableEncoder(Engine engine, MiniLmWeights weights, float[][] states, String baseSha256,
      String cut, int layers, String version, Map<String, Object> report) {
    this.engine = engine;
    this.root = engine.newBaseManager();
    this.states = states;
    this.baseSha256 = baseSha256;
    this.cut = cut;
    this.layers = layers;
    this.version = version;
    this.lengths = new int[states.length];
    for (int i = 0; i < states.length; i++) {
      lengths[i] = states[i].length / TorchLayers.D;
    }
    params = new NDArray[layers][];
    List<NDArray> all = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      params[l] = TorchLayers.create(root, weights.layer(MiniLmWeights.LAYERS - layers + l)
          .params());
      all.addAll(List.of(params[l]));
    }
    this.adam = new Adam(all);
    this.report.putAll(report);
  }

  @Override
  public int dimension() {
    return TorchLayers.D;
  }

  @Override
  public float[][] embed(int[] items) {
    float[][] out = new float[items.length][];
    for (int s = 0; s < items.length; s += EMBED_BATCH) {
      int[] b = Arrays.copyOfRange(items, s, Math.min(items.length, s + EMBED_BATCH));
      try (NDManager bm = root.newSubManager()) {
        float[][] e = rows(forward(bm, b), b.length);
        System.arraycopy(e, 0, out, s, b.length);
      }
    }
    return out;
  }

  @Override
  public void step(int[] items, EmbeddingLoss loss, double learningRate) {
    try (NDManager bm = root.newSubManager()) {
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray emb = forward(bm, items);
        float[][] g = loss.gradient(rows(emb, items.length));
        float[] flat = new float[items.length * TorchLayers.D];
        for (int i = 0; i < items.length; i++) {
          System.arraycopy(g[i], 0, flat, i * TorchLayers.D, TorchLayers.D);
        }
        // d(Σ emb·g)/dθ = gᵀ ∂emb/∂θ: the heads' gradient carried into the layers.
        NDArray seed = bm.create(flat, new Shape(items.length, TorchLayers.D));
        gc.backward(emb.mul(seed).sum());
      }
    }
    adam.step((float) learningRate);
  }

  /** Pooled, normalised embeddings [B, D] of items through the current layers. */
  private NDArray forward(NDManager bm, int[] items) {
    int tmax = 0;
    for (int i : items) {
      tmax = Math.max(tmax, lengths[i]);
    }
    int d = TorchLayers.D;
    float[] x = new float[items.length * tmax * d];
    float[] mask = new float[items.length * tmax];
    for (int k = 0; k < items.length; k++) {
      int i = items[k];
      System.arraycopy(states[i], 0, x, k * tmax * d, lengths[i] * d);
      Arrays.fill(mask, k * tmax, k * tmax + lengths[i], 1f);
    }
    NDArray h = bm.create(x, new Shape(items.length, tmax, d));
    NDArray m = bm.create(mask, new Shape(items.length, tmax));
    NDArray add = TorchLayers.additiveMask(m);
    for (NDArray[] p : params) {
      h = TorchLayers.layer(h, add, p);
    }
    return TorchLayers.pool(h, m);
  }

  private static float[][] rows(NDArray emb, int n) {
    float[] f = emb.toFloatArray();
    int d = TorchLayers.D;
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(f, i * d, out[i], 0, d);
    }
    return out;
  }

  /** The layers' weights. */
  private record Checkpoint(TorchTrainableEncoder owner, float[][][] weights) {}

  @Override
  public Object checkpoint() {
    return new Checkpoint(this, weights());
  }

  private float[][][] weights() {
    float[][][] w = new float[layers][][];
    for (int l = 0; l < layers; l++) {
      w[l] = new float[params[l].length][];
      for (int i = 0; i < params[l].length; i++) {
        w[l][i] = params[l][i].toFloatArray();
      }
    }
    return w;
  }

  @Override
  public void restore(Object checkpoint) {
    if (!(checkpoint instanceof Checkpoint c) || c.owner() != this) {
      throw new IllegalArgumentException("not a checkpoint of this encoder: " + checkpoint);
    }
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < params[l].length; i++) {
        params[l][i].set(c.weights()[l][i]);
      }
    }
  }

  @Override
  public EncoderTop export(String id) {
    byte[] onnx = TopLayersOnnx.build(List.of(weights()), version);
    return EncoderTop.of(id, OnnxQueryEncoder.DEFAULT_MODEL_ID, baseSha256, cut,
        MiniLmWeights.LAYERS - layers, layers, onnx);
  }

  @Override
  public Map<String, Object> report() {
    return new LinkedHashMap<>(report);
  }

  @Override
  public void close() {
    root.close();
  }
}
