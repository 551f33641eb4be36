package dev.haps.provider.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the delay a backend asks for before the next try: {@code Retry-After} as delta-seconds
 * ({@code 2}, or {@code 1.5} as some gateways send) or as an HTTP-date
 * ({@code Wed, 21 Oct 2015 07:28:00 GMT}), and OpenAI's {@code retry-after-ms}, which wins when
 * both are present because it is finer. Unparseable values are ignored: a bad header must not
 * turn a retryable failure into a different one.
 *
 * @since 0.1.0
 */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * The delay asked for by a response's headers.
   *
   * @param headers the response headers
   * @param clock the clock HTTP-dates are measured against
   * @return the delay (zero for a date in the past), if a header gave one
   */
  public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
    Optional<String> ms = headers.firstValue("retry-after-ms");
    if (ms.isPresent()) {
      Optional<Duration> d = seconds(ms.get(), 1_000_000L);
      if (d.isPresent()) {
        return d;
      }
    }
    return headers.firstValue("retry-after").flatMap(v -> parse(v, clock));
  }

  /**
   * Parses one {@code Retry-After} value.
   *
   * @param value delta-seconds or an HTTP-date
   * @param clock the clock an HTTP-date is measured against
   * @return the delay (zero for a date in the past), if the value parses
   */
  public static Optional<Duration> parse(String value, Clock clock) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (Character.isDigit(v.charAt(0))) {
      return seconds(v, 1_000_000_000L);
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> seconds(String v, long nanosPerUnit) {
    try {
      double units = Double.parseDouble(v.trim());
      // A day is already absurd; larger values are clamped rather than overflowing.
      if (!(units >= 0) || Double.isInfinite(units)) {
        return Optional.empty();
      }
      double nanos = Math.min(units * nanosPerUnit, 86_400e9);
      return Optional.of(Duration.ofNanos((long) nanos));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
