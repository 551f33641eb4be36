package dev.haps.data;

/**
 * What reading an outcome log does with a line that is not a valid record (bad JSON, a JSON text
 * cut short, a missing field, an unknown model, a score outside [0, 1], a blank query).
 *
 * <p>A torn <em>last</em> line is not a bad line: an append interrupted by a crash leaves one,
 * and every policy skips it with one WARN. Anywhere else an unparsable line means the file was
 * damaged or edited, and training on the rest would silently use less data than the file holds.
 *
 * @since 0.1.0
 */
public enum BadLinePolicy {

  /** The load fails with the file, the 1-based line number and the problem (the default). */
  FAIL,

  /**
   * The line is skipped with one WARN naming file, line and problem, and counted
   * ({@link OutcomeLogReader#badLinesSkipped()}, {@link OutcomeLog#badLinesSkipped()}), so that
   * a summary can state how much was left out.
   */
  SKIP
}
