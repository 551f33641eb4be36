package dev.haps.provider.http;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or {@code "message"} when the event named none
 * @param data the {@code data:} lines joined by {@code \n}
 * @since 0.1.0
 */
public record SseEvent(String event, String data) {

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a field is null
   */
  public SseEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
  }
}
