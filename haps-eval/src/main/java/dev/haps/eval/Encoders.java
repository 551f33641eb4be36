package dev.haps.eval;

import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.embed.EmbeddingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The encoders of one evaluation run, one per distinct encoder configuration, each behind the
 * disk cache. Encoders it builds it also closes; a caller's encoder is used where its settings
 * match and is never closed here.
 */
final class Encoders implements AutoCloseable {

  private final QueryEncoder given;
  private final Path cacheDir;
  private final Map<String, StoreEncoder> byConfig = new LinkedHashMap<>();
  private final List<QueryEncoder> owned = new ArrayList<>();

  Encoders(QueryEncoder given, Path cacheDir) {
    this.given = given;
    this.cacheDir = cacheDir;
  }

  Path cacheDir() {
    return cacheDir;
  }

  /** An encoder with exactly these settings (model checksum, token budget, truncation). */
  synchronized StoreEncoder like(EncoderInfo want) {
    return like(want, Optional.empty());
  }

  /** As {@link #like(EncoderInfo)}; a bundle's fine-tuned top layers, if any, build it. */
  synchronized StoreEncoder like(EncoderInfo want, Optional<EncoderTop> top) {
    String key = key(want);
    StoreEncoder e = byConfig.get(key);
    if (e == null) {
      QueryEncoder base;
      if (given != null && key(given.info()).equals(key)) {
        base = given;
      } else {
        base = Evaluation.encoderLike(want, top);
        owned.add(base);
      }
      e = new StoreEncoder(EmbeddingStore.open(base, cacheDir), base);
      byConfig.put(key, e);
    }
    return e;
  }

  /** The caller's encoder, or the default encoder, when no bundle fixes the settings. */
  synchronized StoreEncoder standalone() {
    if (given != null) {
      return like(given.info());
    }
    QueryEncoder base = Evaluation.encoderLike(null);
    String key = key(base.info());
    StoreEncoder e = byConfig.get(key);
    if (e != null) {
      base.close();
      return e;
    }
    owned.add(base);
    e = new StoreEncoder(EmbeddingStore.open(base, cacheDir), base);
    byConfig.put(key, e);
    return e;
  }

  private static String key(EncoderInfo i) {
    return i.id() + "|" + i.sha256().toLowerCase(java.util.Locale.ROOT) + "|" + i.dimension()
        + "|" + i.pooling() + "|" + i.normalize() + "|" + i.maxTokens() + "|"
        + i.truncation().manifestName();
  }

  @Override
  public synchronized void close() {
    for (QueryEncoder e : owned) {
      e.close();
    }
    owned.clear();
    byConfig.clear();
  }
}
