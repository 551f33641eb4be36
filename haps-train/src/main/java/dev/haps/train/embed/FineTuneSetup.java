package dev.haps.train.embed;

import dev.haps.spi.Truncation;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link TrainableEncoder} is opened on.
 *
 * @param texts the query texts (normalised as the runtime normalises them); items are their
 *     indices
 * @param layers how many top layers of the encoder become trainable, at least 1
 * @param maxTokens the token budget, special tokens included
 * @param truncation how longer texts are cut
 * @param cacheDir a folder for what can be kept between runs (the frozen lower layers' hidden
 *     states)
 * @param seed the seed of any random choice
 * @param status receives one-line progress messages
 * @since 0.1.0
 */
public record FineTuneSetup(List<String> texts, int layers, int maxTokens, Truncation truncation,
    Path cacheDir, long seed, Consumer<String> status) {

  /**
   * Copies the texts.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code layers} is below 1
   */
  public FineTuneSetup {
    texts = List.copyOf(texts);
    Objects.requireNonNull(truncation, "truncation");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(status, "status");
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be at least 1, got " + layers);
    }
  }
}
