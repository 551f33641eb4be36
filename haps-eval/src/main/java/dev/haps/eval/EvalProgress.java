package dev.haps.eval;

/**
 * Receives progress while an {@link Evaluation} runs: one stage after another (loading, embedding,
 * training each baseline, sweeping each router, writing), each with a count of work done.
 *
 * <p>Called from the thread that runs the evaluation; within a stage {@code done} never
 * decreases.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EvalProgress {

  /** A listener that ignores every update (the quiet option). */
  EvalProgress NONE = (stage, done, total) -> { };

  /**
   * Reports progress.
   *
   * @param stage what is running, e.g. {@code "sweep knn"}
   * @param done units done in this stage
   * @param total units in this stage (at least 1)
   */
  void update(String stage, int done, int total);

}
