package dev.haps.client;

import dev.haps.api.error.HapsException;
import java.util.List;

/**
 * A routed call failed: no attempt on any ranked candidate succeeded within the retries, the
 * fallbacks and the deadline. The message names every attempt, its outcome and why it was made;
 * {@link #attempts()} gives the same to code, and the cause is the last failure.
 *
 * @since 0.1.0
 */
public class RoutingCallException extends HapsException {

  private final String callId;
  private final List<Attempt> attempts;
  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param callId the call's id
   * @param attempts every attempt made, in order
   * @param why why the client stopped, e.g. {@code "the deadline PT2S passed"}
   * @param cause the last failure, or {@code null}
   */
  public RoutingCallException(String callId, List<Attempt> attempts, String why,
      Throwable cause) {
    super(message(callId, attempts, why), cause);
    this.callId = callId;
    this.attempts = List.copyOf(attempts);
    this.retryable = !this.attempts.isEmpty()
        && this.attempts.stream().allMatch(a -> a.outcome().retryable()
            || a.outcome() == Attempt.Outcome.CIRCUIT_OPEN);
  }

  /**
   * The failed call's id.
   *
   * @return the id
   */
  public String callId() {
    return callId;
  }

  /**
   * Every attempt made, in order.
   *
   * @return an unmodifiable list
   */
  public List<Attempt> attempts() {
    return attempts;
  }

  /**
   * Whether calling again later may succeed: every attempt failed transiently (or was skipped by
   * an open circuit).
   */
  @Override
  public boolean retryable() {
    return retryable;
  }

  private static String message(String callId, List<Attempt> attempts, String why) {
    StringBuilder sb = new StringBuilder("routed call ").append(callId).append(" failed: ")
        .append(why).append("; ").append(attempts.size()).append(" attempt")
        .append(attempts.size() == 1 ? "" : "s").append(':');
    for (Attempt a : attempts) {
      sb.append("\n  ").append(a);
    }
    sb.append("\nCheck the providers named above, or allow more retries, candidates or time.");
    return sb.toString();
  }
}
