package dev.haps.train;

/**
 * Receives a {@link Trainer}'s progress. Every method has an empty default; calls come from the
 * thread that runs {@link Trainer#train()}.
 *
 * @since 0.1.0
 */
public interface TrainingListener {

  /** A listener that ignores everything (quiet mode). */
  TrainingListener NONE = new TrainingListener() { };


  /**
   * Query embedding progress (cache hits count at once).
   *
   * @param done texts embedded
   * @param total texts to embed
   */
  default void embedding(int done, int total) { }

  /**
   * Training progress, after each validation.
   *
   * @param phase {@code warmup} (supervised) or {@code rl} (policy gradient)
   * @param member the ensemble member being trained (0-based)
   * @param members the ensemble size
   * @param step steps done in this phase
   * @param steps the phase's step budget (early stopping may end it sooner)
   * @param validMetric the latest validation metric
   * @param bestMetric the member's best validation metric so far
   */
  default void training(String phase, int member, int members, int step, int steps,
      double validMetric, double bestMetric) { }

  /**
   * Training progress, after each validation, with the name of the figure. The trainer calls
   * this method; its default forwards to the one above with the figure as given.
   *
   * @param phase {@code warmup} (supervised) or {@code rl} (policy gradient)
   * @param member the ensemble member being trained (0-based)
   * @param members the ensemble size
   * @param step steps done in this phase
   * @param steps the phase's step budget (early stopping may end it sooner)
   * @param metric what the figures are: {@code valid AIQ} (higher is better) or, in the
   *     warm-up of value heads, {@code valid loss} (lower is better)
   * @param validValue the latest validation figure
   * @param bestValue the member's best validation figure so far
   */
  default void training(String phase, int member, int members, int step, int steps,
      String metric, double validValue, double bestValue) {
    training(phase, member, members, step, steps, validValue, bestValue);
  }

  /**
   * A free-form status line (loading, exporting).
   *
   * @param message what is happening
   */
  default void status(String message) { }

  /**
   * Training ended.
   *
   * @param result the result
   */
  default void finished(TrainResult result) { }
}
