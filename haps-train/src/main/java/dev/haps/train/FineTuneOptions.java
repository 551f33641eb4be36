package dev.haps.train;

/**
 * How the trainer fine-tunes the top layers of the query encoder together with the router's
 * heads ({@link TrainOptions#fineTune()}). With {@code layers} 0 (the default, {@link #NONE}) the
 * encoder stays frozen and nothing else here is used.
 *
 * <p>With {@code layers} N &gt; 0 the top N transformer layers of the encoder become part of the
 * router's trunk: after the usual warm-up on the frozen encoder's embeddings, the layers and the
 * heads train together on the warm-up loss (the high-level head's and the generators' alike), the
 * layers with {@code learningRate} warmed up linearly over {@code warmupEpochs}, the heads with
 * {@code headLearningRate}; after each epoch the {@code valid} split judges the checkpoint as the
 * warm-up does, and {@code patience} epochs without improvement stop it. The stage keeps the
 * frozen checkpoint unless an epoch beats it. It needs {@code dev.haps:haps-train-torch} on the
 * class path (see {@code docs/training.md}).
 *
 * @param layers the top encoder layers to fine-tune, 0 for none
 * @param learningRate AdamW learning rate of the encoder layers (after warm-up)
 * @param headLearningRate Adam learning rate of the heads during fine-tuning
 * @param epochs most fine-tuning epochs
 * @param batchSize queries per fine-tuning step
 * @param patience epochs without a better {@code valid} checkpoint after which it stops
 * @param warmupEpochs epochs over which the encoder's learning rate rises linearly from 0
 * @since 0.1.0
 */
public record FineTuneOptions(int layers, double learningRate, double headLearningRate,
    int epochs, int batchSize, int patience, double warmupEpochs) {

  /** No fine-tuning: the encoder stays frozen. */
  public static final FineTuneOptions NONE = new FineTuneOptions(0, 3e-5, 3e-4, 8, 32, 2, 1.0);

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException for a value out of its range, naming it and what it accepts
   */
  public FineTuneOptions {
    if (layers < 0 || layers > 64) {
      throw new IllegalArgumentException("fine-tune layers must be in [0, 64], got " + layers);
    }
    positive("fine-tune learningRate", learningRate);
    positive("fine-tune headLearningRate", headLearningRate);
    if (epochs < 1 || batchSize < 1 || patience < 1) {
      throw new IllegalArgumentException("fine-tune epochs, batchSize and patience must be at"
          + " least 1, got " + epochs + ", " + batchSize + " and " + patience);
    }
    if (!(warmupEpochs >= 0) || !Double.isFinite(warmupEpochs)) {
      throw new IllegalArgumentException("fine-tune warmupEpochs must be finite and at least 0,"
          + " got " + warmupEpochs);
    }
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
    }
  }

  /**
   * Fine-tuning of the top {@code n} layers with the default rates and schedule.
   *
   * @param n the layers, at least 0
   * @return the options
   * @throws IllegalArgumentException if {@code n} is out of range
   */
  public static FineTuneOptions layers(int n) {
    return NONE.withLayers(n);
  }

  /**
   * Whether the encoder is fine-tuned at all.
   *
   * @return {@code layers > 0}
   */
  public boolean enabled() {
    return layers > 0;
  }

  /**
   * A copy with another layer count.
   *
   * @param n the layers
   * @return the copy
   */
  public FineTuneOptions withLayers(int n) {
    return new FineTuneOptions(n, learningRate, headLearningRate, epochs, batchSize, patience,
        warmupEpochs);
  }

  /**
   * A copy with other learning rates.
   *
   * @param encoder the encoder layers' rate
   * @param head the heads' rate
   * @return the copy
   */
  public FineTuneOptions withLearningRates(double encoder, double head) {
    return new FineTuneOptions(layers, encoder, head, epochs, batchSize, patience, warmupEpochs);
  }

  /**
   * A copy with another schedule.
   *
   * @param maxEpochs most epochs
   * @param epochsWithoutImprovement the patience
   * @return the copy
   */
  public FineTuneOptions withEpochs(int maxEpochs, int epochsWithoutImprovement) {
    return new FineTuneOptions(layers, learningRate, headLearningRate, maxEpochs, batchSize,
        epochsWithoutImprovement, warmupEpochs);
  }
}
