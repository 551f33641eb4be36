package dev.haps.provider.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events ({@code text/event-stream}) from a response body, as the WHATWG
 * specification dispatches them: {@code data:} lines accumulate, a blank line dispatches, lines
 * starting with {@code :} are comments, {@code id:} and {@code retry:} are ignored. An event cut
 * off by the end of the stream is discarded, so a truncated stream shows as a missing final
 * event rather than as half a JSON document.
 *
 * <p>Not thread-safe: one reader per response.
 *
 * @since 0.1.0
 */
public final class SseReader {

  private final BufferedReader in;

  /**
   * Reads from a body in UTF-8.
   *
   * @param body the response body
   */
  public SseReader(InputStream body) {
    this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /**
   * The next event.
   *
   * @return the event, or empty at the end of the stream
   * @throws IOException if reading fails
   */
  public Optional<SseEvent> next() throws IOException {
    String event = null;
    StringBuilder data = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new SseEvent(event == null ? "message" : event, data.toString()));
        }
        event = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
    return Optional.empty();
  }
}
