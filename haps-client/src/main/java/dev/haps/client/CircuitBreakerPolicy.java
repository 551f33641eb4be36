package dev.haps.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When a provider instance's circuit breaker opens and for how long. After
 * {@code failureThreshold} consecutive failures (retryable ones, and authentication failures) the
 * circuit opens: calls skip that provider and fall back at once. After {@code openFor} it is
 * half-open: one trial call goes through; success closes the circuit, failure opens it again.
 * Request-specific refusals (400, an invalid parameter) count neither way.
 *
 * @param failureThreshold consecutive failures that open the circuit, at least 1
 * @param openFor how long the circuit stays open before a trial call, positive
 * @since 0.1.0
 */
public record CircuitBreakerPolicy(int failureThreshold, Duration openFor) {

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if the threshold is below 1 or the duration not positive
   */
  public CircuitBreakerPolicy {
    Objects.requireNonNull(openFor, "openFor");
    if (failureThreshold < 1) {
      throw new IllegalArgumentException(
          "circuit breaker failureThreshold must be at least 1, got " + failureThreshold);
    }
    if (openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException(
          "circuit breaker openFor must be positive, got " + openFor);
    }
  }

  /**
   * The defaults: open after 5 consecutive failures, for 30 s.
   *
   * @return the policy
   */
  public static CircuitBreakerPolicy defaults() {
    return new CircuitBreakerPolicy(5, Duration.ofSeconds(30));
  }

  /**
   * A breaker that never opens.
   *
   * @return the policy
   */
  public static CircuitBreakerPolicy disabled() {
    return new CircuitBreakerPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1));
  }
}
