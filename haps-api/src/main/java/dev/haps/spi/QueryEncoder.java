package dev.haps.spi;

import java.util.List;

/**
 * Turns query text into the embedding a router bundle was trained on.
 *
 * <p>Implementations are thread-safe. Each text is encoded as if it were alone: the result never
 * depends on which other texts share a call to {@link #encodeAll(List)}.
 *
 * @since 0.1.0
 */
public interface QueryEncoder extends AutoCloseable {

  /**
   * The encoder's identity and settings.
   *
   * @return the info
   */
  EncoderInfo info();

  /**
   * The embedding size.
   *
   * @return the dimension
   */
  default int dimension() {
    return info().dimension();
  }

  /**
   * Encodes one text.
   *
   * @param text the text; longer texts are truncated as {@link EncoderInfo#truncation()} says
   * @return a new array of {@link #dimension()} floats
   * @throws dev.haps.api.error.InvalidRequestException if the text is blank
   */
  float[] encode(String text);

  /**
   * Encodes several texts; element i equals {@code encode(texts.get(i))}.
   *
   * @param texts the texts
   * @return one embedding per text, in order
   * @throws dev.haps.api.error.InvalidRequestException if any text is blank
   */
  float[][] encodeAll(List<String> texts);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
