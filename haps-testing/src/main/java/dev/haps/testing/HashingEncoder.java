package dev.haps.testing;

import dev.haps.api.error.InvalidRequestException;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import dev.haps.spi.Truncation;
import java.util.List;

/**
 * A deterministic test encoder: each whitespace token adds ±1 to a hashed bucket; the vector is
 * L2-normalised. Pure Java, batch-invariant by construction; for router tests that need no real
 * encoder.
 */
public class HashingEncoder implements QueryEncoder {

  public static final int DIMENSION = 16;
  public static final EncoderInfo INFO = new EncoderInfo("test-hash-encoder", DIMENSION, "mean", true,
      64, Truncation.HEAD, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

  private final EncoderInfo info;
  private volatile boolean closed;

  public HashingEncoder() {
    this(INFO);
  }

  public HashingEncoder(EncoderInfo info) {
    this.info = info;
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public EncoderInfo info() {
    return info;
  }

  @Override
  public float[] encode(String text) {
    if (text.isBlank()) {
      throw new InvalidRequestException("text is blank");
    }
    float[] v = new float[info.dimension()];
    for (String tok : text.split("\\s+")) {
      int h = tok.hashCode() * 0x9E3779B9;
      v[Math.floorMod(h, v.length)] += (h & 0x100) == 0 ? 1f : -1f;
      v[Math.floorMod(h >>> 11, v.length)] += 0.5f;
    }
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(Math.max(n, 1e-12)));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
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
    closed = true;
  }
}
