package dev.haps.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in words a user can act on.
 *
 * <p>Shared by the outcome-log reader and the runtime's manifest and client-config parsers; not
 * a supported API for applications. Thread-safe (stateless).
 *
 * @since 0.1.0
 */
public final class JsonProblems {

  // Jackson names the opening brace's location with a redacted source ("[Source: REDACTED
  // (`StreamReadFeature...` disabled); line: 1, column: 15]"): noise next to our own location.
  private static final Pattern START_MARKER = Pattern.compile(" ?\\(start marker at \\[.*?\\]\\)");

  private JsonProblems() {}

  /**
   * The parser's own message without Jackson's source and start-marker noise, on one line.
   *
   * @param e the parse error
   * @return e.g. {@code "Unexpected end-of-input: expected close marker for Object"}
   */
  public static String message(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    return START_MARKER.matcher(m).replaceAll("").replace('\n', ' ').strip();
  }
}
