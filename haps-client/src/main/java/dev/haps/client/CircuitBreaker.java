package dev.haps.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider instance's circuit breaker, on an injected clock. Hand-rolled rather than
 * Failsafe's because Failsafe's breaker reads {@code System.nanoTime()} directly, which tests
 * cannot move. Thread-safe (all transitions under the monitor).
 */
final class CircuitBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String provider;
  private final CircuitBreakerPolicy policy;
  private final Clock clock;
  private RoutingClient.CircuitState state = RoutingClient.CircuitState.CLOSED;
  private int consecutiveFailures;
  private Instant openedAt = Instant.MIN;
  private boolean trialInFlight;

  CircuitBreaker(String provider, CircuitBreakerPolicy policy, Clock clock) {
    this.provider = provider;
    this.policy = policy;
    this.clock = clock;
  }

  /** Whether a call may go through now; a half-open circuit lets one trial through at a time. */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.instant().isBefore(openedAt.plus(policy.openFor()))) {
          return false;
        }
        state = RoutingClient.CircuitState.HALF_OPEN;
        LOG.info("circuit of provider '{}' is half-open after {}: letting one trial call"
            + " through", provider, policy.openFor());
        trialInFlight = true;
        return true;
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  synchronized void onSuccess() {
    if (state != RoutingClient.CircuitState.CLOSED) {
      LOG.info("circuit of provider '{}' closed: the trial call succeeded", provider);
    }
    state = RoutingClient.CircuitState.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  synchronized void onFailure() {
    trialInFlight = false;
    if (state == RoutingClient.CircuitState.HALF_OPEN) {
      open("the trial call failed");
      return;
    }
    consecutiveFailures++;
    if (state == RoutingClient.CircuitState.CLOSED
        && consecutiveFailures >= policy.failureThreshold()) {
      open(consecutiveFailures + " consecutive failures");
    }
  }

  /** A call that says nothing about the provider's health (e.g. a refused parameter). */
  synchronized void onNeutral() {
    trialInFlight = false;
  }

  synchronized RoutingClient.CircuitState state() {
    return state;
  }

  /** How long an open circuit stays open from now; zero when it is not open. */
  synchronized Duration remainingOpen() {
    if (state != RoutingClient.CircuitState.OPEN) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(clock.instant(), openedAt.plus(policy.openFor()));
    return d.isNegative() ? Duration.ZERO : d;
  }

  private void open(String why) {
    state = RoutingClient.CircuitState.OPEN;
    openedAt = clock.instant();
    LOG.warn("circuit of provider '{}' opened after {}: calls skip it for {}", provider, why,
        policy.openFor());
  }
}
