package dev.haps.data;

import dev.haps.api.error.ConfigurationException;
import java.util.OptionalLong;

/**
 * An outcome log could not be read, is malformed, or could not be appended to. The message names
 * the file and, for a bad line, its 1-based line number and what is wrong with it; the
 * accessors give the same facts to code.
 *
 * <p>It is a {@link ConfigurationException}: the usual fix is to point the SDK at a correct log
 * or to repair the file.
 *
 * @since 0.1.0
 */
public class OutcomeLogException extends ConfigurationException {

  private final String source;
  private final long line;

  /**
   * Creates the exception.
   *
   * @param source the file (or resource) concerned
   * @param line the 1-based line number, or 0 when the problem is not on one line
   * @param message the complete message, naming the source and the line
   * @param cause the underlying failure, or {@code null}
   */
  public OutcomeLogException(String source, long line, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.line = line;
  }

  /**
   * Creates the exception for a problem on one line: the message becomes
   * {@code "<source> line <n>: <problem>"}.
   *
   * @param source the file (or resource)
   * @param line the 1-based line number
   * @param problem what is wrong, the offending value and what was expected
   * @return the exception
   */
  static OutcomeLogException atLine(String source, long line, String problem) {
    return new OutcomeLogException(source, line, source + " line " + line + ": " + problem, null);
  }

  /**
   * Creates the exception for a problem with a whole file.
   *
   * @param source the file (or resource)
   * @param problem what is wrong and what to do
   * @param cause the underlying failure, or {@code null}
   * @return the exception
   */
  static OutcomeLogException inFile(String source, String problem, Throwable cause) {
    return new OutcomeLogException(source, 0, source + ": " + problem, cause);
  }

  /**
   * The file or resource the problem is in.
   *
   * @return its path or name
   */
  public String source() {
    return source;
  }

  /**
   * The 1-based line number of the offending line.
   *
   * @return the line, if the problem is on one line
   */
  public OptionalLong line() {
    return line > 0 ? OptionalLong.of(line) : OptionalLong.empty();
  }
}
