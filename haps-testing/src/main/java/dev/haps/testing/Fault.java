package dev.haps.testing;

/**
 * What a {@link LoopbackServer} with a {@link FaultPlan} does to one request instead of (or to)
 * its healthy answer. The healthy answer is what the server would have sent without faults: a
 * {@linkplain LoopbackServer#chat chat backend}'s, a {@linkplain LoopbackServer#route route}'s or
 * the {@linkplain LoopbackServer#otherwise fallback}'s reply. What a client should make of each
 * is noted in brackets.
 *
 * @since 0.1.0
 */
public enum Fault {
  /** The healthy answer, unchanged [success]. */
  OK,
  /**
   * 429 with {@code Retry-After} of 0 s, or (one time in three) an HTTP date in the past. Such
   * details come from a second random sequence, so that forcing a fault never shifts the draws.
   */
  RATE_LIMITED,
  /** 429 with {@code Retry-After: 3600} [beyond any sane retry policy]. */
  RATE_LIMITED_LONG,
  /** 500 with an OpenAI-style error body. */
  SERVER_500,
  /** 503 with an HTML body, half the time with {@code Retry-After: 0}. */
  SERVER_503,
  /** Nothing for the plan's stall, then the connection closes [a timeout]. */
  SLOW_HEADERS,
  /** Headers and half the healthy body, then the plan's stall, then a close [a timeout]. */
  SLOW_BODY,
  /**
   * For a streamed request, the healthy stream's first event and half of its second, then the
   * connection drops; otherwise as {@link #TRUNCATED_BODY} [a cut stream or connection].
   */
  TRUNCATED_STREAM,
  /** A {@code Content-Length} 100 bytes over the healthy body, a third of it, then a close. */
  TRUNCATED_BODY,
  /** 200 whose body is not the protocol: broken or wrong JSON, HTML, binary; for a stream, an
   *  event whose data is not JSON [a malformed response]. */
  GARBAGE_JSON,
  /** The connection closes without a byte. */
  DROP,
  /** The connection is reset (RST). */
  RESET,
  /** 401 whose message quotes the plan's echoed key, as OpenAI's does [must be redacted]. */
  AUTH_ECHOING_KEY,
  /** 400 in plain text quoting {@code Bearer <key>} [must be redacted]. */
  BAD_REQUEST_ECHOING_KEY,
  /** 200 whose body (or, for a stream, whose event data) is the key itself [must be redacted]. */
  PLAIN_KEY_BODY
}
