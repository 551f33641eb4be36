package dev.haps.spi;

/**
 * Grades one model answer: a score in [0, 1], or a reason it cannot. Judges turn the answers
 * that {@code haps collect} gathers into the scores of an outcome log, and are plugins: a
 * {@link JudgeFactory} registered in {@code META-INF/services/dev.haps.spi.JudgeFactory} creates
 * them.
 *
 * <p>Contract for implementers:
 *
 * <ul>
 *   <li>Thread-safe: one instance grades answers from many threads at once.
 *   <li>An answer the judge cannot grade (no reference answer where one is needed, a reply it
 *       cannot read) gives {@link Verdict#ungraded(String)} with the reason, never a made-up
 *       score and never an exception.
 *   <li>An exception means the judge itself failed to run (an LLM judge's call failed); the
 *       caller keeps the answer and may grade it again later.
 *   <li>A judge that calls a model reports that call's cost with {@link Verdict#withCost}.
 * </ul>
 *
 * @since 0.1.0
 */
public interface Judge extends AutoCloseable {

  /**
   * Grades one answer.
   *
   * @param request the query, its reference answer and the model's response
   * @return the verdict: a score in [0, 1] or the reason it could not grade
   * @throws dev.haps.api.error.HapsException if the judge could not run (for an LLM judge, a
   *     provider failure); the answer is kept ungraded and may be graded again
   */
  Verdict grade(JudgeRequest request);

  /** Releases what the judge holds; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
