package dev.haps.client;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.spi.Completion;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each provider instance's circuit breaker: skips an attempt (recorded as
 * {@link Attempt.Outcome#CIRCUIT_OPEN}) while its provider's circuit is open, and tells the
 * breaker how each attempt went. Transient failures and refused credentials count against the
 * provider; a refused request or parameter says nothing about its health.
 */
final class BreakerStage implements Stage {

  private final Map<String, CircuitBreaker> breakers;

  BreakerStage(Collection<String> providerIds, CircuitBreakerPolicy policy, Clock clock) {
    Map<String, CircuitBreaker> m = new LinkedHashMap<>();
    providerIds.forEach(id -> m.put(id, new CircuitBreaker(id, policy, clock)));
    this.breakers = Collections.unmodifiableMap(m);
  }

  @Override
  public String name() {
    return "circuit breaker";
  }

  /** The state of a provider instance's circuit. */
  RoutingClient.CircuitState state(String providerId) {
    CircuitBreaker cb = breakers.get(providerId);
    if (cb == null) {
      throw new IllegalArgumentException("no provider instance '" + providerId
          + "'; registered: " + breakers.keySet());
    }
    return cb.state();
  }

  @Override
  public Completion intercept(Chain chain) throws StepFailed {
    Step step = chain.step();
    CircuitBreaker breaker = breakers.get(step.target().providerId());
    if (!breaker.tryAcquire()) {
      chain.call().record(step, Attempt.Outcome.CIRCUIT_OPEN, 0, Duration.ZERO,
          "circuit of provider '" + step.target().providerId() + "' is open for another "
              + breaker.remainingOpen().toMillis() + " ms");
      throw StepFailed.skipped();
    }
    Completion c;
    try {
      c = chain.proceed(step);
    } catch (StepFailed f) {
      if (f.failure().map(BreakerStage::countsAgainstProvider).orElse(false)) {
        breaker.onFailure();
      } else {
        breaker.onNeutral();
      }
      throw f;
    } catch (RuntimeException | Error e) {
      // A broken stage or an Error: free a half-open circuit's trial rather than wedge it.
      breaker.onNeutral();
      throw e;
    }
    breaker.onSuccess();
    return c;
  }

  /** Whether a failure says the provider is unhealthy (rather than the request wrong). */
  private static boolean countsAgainstProvider(Throwable failure) {
    if (failure instanceof ProviderException) {
      ProviderException e = (ProviderException) failure;
      return e.retryable() || e.kind() == ProviderException.Kind.AUTHENTICATION;
    }
    // A refused parameter or a misconfigured model is the request's fault; anything else the
    // provider threw unexpectedly is a provider bug and counts against it.
    return !(failure instanceof InvalidParameterException
        || failure instanceof ConfigurationException);
  }
}
