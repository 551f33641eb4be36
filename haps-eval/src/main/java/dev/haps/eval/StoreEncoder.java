package dev.haps.eval;

import dev.haps.runtime.TextNormalizer;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.embed.EmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link QueryEncoder} that answers from an {@link EmbeddingStore}: the same vectors as the
 * store's encoder, computed once and cached on disk, so that every bundle, every baseline and
 * every run of the evaluation (and the trainer, which embeds the same raw query texts) share one
 * set of query embeddings.
 *
 * <p>The runtime encodes the normalised routing text ({@link TextNormalizer}); the trainer and
 * the baselines embed the raw query. Where the two tokenize to the same ids the vectors are
 * identical, so {@link #alias(List)} lets the normalised text reuse the raw text's cache entry;
 * where they differ the normalised text is encoded for real. Closing this encoder does not close
 * the store's encoder.
 */
final class StoreEncoder implements QueryEncoder {

  private final EmbeddingStore store;
  private final QueryEncoder base;
  private final Map<String, String> aliases = new ConcurrentHashMap<>();

  StoreEncoder(EmbeddingStore store, QueryEncoder base) {
    this.store = store;
    this.base = base;
  }

  EmbeddingStore store() {
    return store;
  }

  /**
   * Registers the normalised form of each raw text as an alias of it, when both give the same
   * token ids (checked with the base encoder's tokenizer; without one nothing is aliased).
   *
   * @return how many texts were aliased
   */
  int alias(List<String> rawTexts) {
    if (!(base instanceof OnnxQueryEncoder enc)) {
      return 0;
    }
    int n = 0;
    for (String raw : rawTexts) {
      String norm = TextNormalizer.normalize(raw);
      if (norm.equals(raw) || norm.isBlank() || aliases.containsKey(norm)) {
        continue;
      }
      if (enc.tokenize(raw).equals(enc.tokenize(norm))) {
        aliases.put(norm, raw);
        n++;
      }
    }
    return n;
  }

  @Override
  public EncoderInfo info() {
    return store.encoderInfo();
  }

  @Override
  public float[] encode(String text) {
    return encodeAll(List.of(text))[0];
  }

  @Override
  public float[][] encodeAll(List<String> texts) {
    List<String> keys = new ArrayList<>(texts.size());
    for (String t : texts) {
      keys.add(aliases.getOrDefault(t, t));
    }
    return store.embed(keys);
  }

  @Override
  public void close() {
    // The store's encoder belongs to the evaluation, which closes it at the end of the run.
  }
}
