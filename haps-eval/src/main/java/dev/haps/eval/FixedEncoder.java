package dev.haps.eval;

import dev.haps.runtime.TextNormalizer;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import java.util.List;
import java.util.Map;

/**
 * An encoder that answers from embeddings computed beforehand (by the {@code EmbeddingStore}),
 * keyed by normalised text: routers built on it never run the sentence encoder.
 */
final class FixedEncoder implements QueryEncoder {

  private final EncoderInfo info;
  private final Map<String, float[]> vectors;

  FixedEncoder(EncoderInfo info, Map<String, float[]> vectors) {
    this.info = info;
    this.vectors = vectors;
  }

  @Override
  public EncoderInfo info() {
    return info;
  }

  @Override
  public float[] encode(String text) {
    float[] v = vectors.get(TextNormalizer.normalize(text));
    if (v == null) {
      throw new IllegalStateException("no precomputed embedding for a query of " + text.length()
          + " characters; its caller (simulation, off-policy evaluation) embeds every query of"
          + " the log before routing, so this query is not in the log");
    }
    return v.clone(); // QueryEncoder.encode promises a new array
  }

  @Override
  public float[][] encodeAll(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = encode(texts.get(i));
    }
    return out;
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
