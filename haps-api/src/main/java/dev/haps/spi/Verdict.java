package dev.haps.spi;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a {@link Judge} decided about one answer: a score in [0, 1], or the reason it could not
 * grade the answer. Either way it carries what judging cost (an LLM judge's own call), which is
 * recorded apart from the answer's cost.
 *
 * <pre>{@code
 * return Verdict.graded(1.0);                                    // right
 * return Verdict.graded(0.4, "2 of 5 reference tokens");         // with a short explanation
 * return Verdict.ungraded("the reply names no choice letter");   // cannot tell
 * return Verdict.graded(0.7).withCost(completion.costUsd(), completion.usage());
 * }</pre>
 *
 * <p>An ungraded verdict is not a failure of the answer (score 0): the collector keeps the row
 * with no score and reports the reason. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Verdict {

  private final double score;
  private final String note;
  private final double costUsd;
  private final TokenUsage usage;

  private Verdict(double score, String note, double costUsd, TokenUsage usage) {
    this.score = score;
    this.note = note;
    this.costUsd = costUsd;
    this.usage = usage;
  }

  /**
   * The answer was graded.
   *
   * @param score the grade in [0, 1]
   * @return the verdict, with no explanation and no cost
   * @throws IllegalArgumentException if the score is outside [0, 1]
   */
  public static Verdict graded(double score) {
    return graded(score, "");
  }

  /**
   * The answer was graded, with a short explanation (what was extracted, what matched).
   *
   * @param score the grade in [0, 1]
   * @param explanation one line, possibly empty
   * @return the verdict, with no cost
   * @throws IllegalArgumentException if the score is outside [0, 1]
   */
  public static Verdict graded(double score, String explanation) {
    if (!(score >= 0.0 && score <= 1.0)) {
      throw new IllegalArgumentException("a verdict's score must be in [0, 1], got " + score
          + "; map the judge's own scale onto [0, 1]");
    }
    return new Verdict(score, Objects.requireNonNull(explanation, "explanation"), 0.0,
        TokenUsage.NONE);
  }

  /**
   * The judge could not grade the answer.
   *
   * @param reason why, in one line naming what was missing or unreadable
   * @return the verdict, with no cost
   * @throws IllegalArgumentException if the reason is blank
   */
  public static Verdict ungraded(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an ungraded verdict needs a reason saying why the"
          + " answer could not be graded");
    }
    return new Verdict(Double.NaN, reason, 0.0, TokenUsage.NONE);
  }

  /**
   * A copy that records what judging cost.
   *
   * @param costUsd the judge's own cost in USD, at least 0, or NaN when unknown (an unpriced
   *     model)
   * @param usage the judge's own tokens
   * @return the new verdict
   * @throws IllegalArgumentException if the cost is negative or infinite
   */
  public Verdict withCost(double costUsd, TokenUsage usage) {
    if (costUsd < 0 || Double.isInfinite(costUsd)) {
      throw new IllegalArgumentException("a judge's cost must be finite and at least 0 (NaN when"
          + " unknown), got " + costUsd);
    }
    return new Verdict(score, note, costUsd, Objects.requireNonNull(usage, "usage"));
  }

  /**
   * Whether the answer was graded.
   *
   * @return {@code true} when {@link #score()} is present
   */
  public boolean isGraded() {
    return !Double.isNaN(score);
  }

  /**
   * The grade.
   *
   * @return the score in [0, 1], or empty when the answer could not be graded
   */
  public OptionalDouble score() {
    return isGraded() ? OptionalDouble.of(score) : OptionalDouble.empty();
  }

  /**
   * Why the answer could not be graded, or the explanation of a grade.
   *
   * @return the reason (never blank when ungraded), or the explanation (possibly empty)
   */
  public String reason() {
    return note;
  }

  /**
   * What judging cost.
   *
   * @return USD: 0 for judges that call nothing, NaN when a called model has no price
   */
  public double costUsd() {
    return costUsd;
  }

  /**
   * The tokens judging consumed.
   *
   * @return the usage, {@link TokenUsage#NONE} for judges that call nothing
   */
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Verdict
        && Double.compare(((Verdict) o).score, score) == 0
        && ((Verdict) o).note.equals(note)
        && Double.compare(((Verdict) o).costUsd, costUsd) == 0
        && ((Verdict) o).usage.equals(usage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(score, note, costUsd, usage);
  }

  @Override
  public String toString() {
    String s = isGraded() ? "graded " + score + (note.isEmpty() ? "" : " (" + note + ")")
        : "ungraded: " + note;
    return costUsd > 0 || Double.isNaN(costUsd) ? s + ", judge cost " + costUsd + " USD" : s;
  }
}
