package dev.haps.client;

import dev.haps.api.error.ProviderException;
import dev.haps.spi.Completion;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Retries a candidate after a transient provider failure: backoff with jitter that honours
 * {@code Retry-After}, at most {@link RetryPolicy#maxRetries()} times, only while the wait fits
 * in what is left of the deadline and the client-wide {@link RetryBudget} pays for it, and never
 * once a stream delivered output. When it gives up early it notes why, for the next candidate's
 * reason.
 */
final class RetryStage implements Stage {

  /** Waits before a retry; injectable so that tests need not sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final RetryPolicy policy;
  private final RetryBudget budget;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  RetryStage(RetryPolicy policy, RetryBudget budget, Sleeper sleeper, DoubleSupplier random) {
    this.policy = policy;
    this.budget = budget;
    this.sleeper = sleeper;
    this.random = random;
  }

  @Override
  public String name() {
    return "retry";
  }

  @Override
  public Completion intercept(Chain chain) throws StepFailed {
    Call call = chain.call();
    Step step = chain.step();
    for (int retry = 0; ; retry++) {
      try {
        return chain.proceed(step);
      } catch (StepFailed f) {
        ProviderException e = f.providerFailure().filter(ProviderException::retryable)
            .orElse(null);
        if (e == null || call.delivered()) {
          throw f;
        }
        if (retry >= policy.maxRetries()) {
          throw policy.maxRetries() == 0 ? f : f.noting("retries spent");
        }
        Duration wait = policy.backoff(retry, e.retryAfter().orElse(null),
            random.getAsDouble());
        if (wait == null) {
          throw f.noting("Retry-After " + e.retryAfter().orElseThrow() + " exceeds "
              + policy.maxRetryAfter());
        }
        if (wait.toNanos() >= call.remaining()) {
          throw f.noting("no time left to wait " + wait.toMillis() + " ms");
        }
        if (!budget.tryRetry()) {
          throw f.noting("retry budget spent");
        }
        sleep(call, wait);
        step = step.retry("retry " + (retry + 1) + " of " + step.candidate().model() + " after "
            + Attempt.Outcome.of(e.kind()), wait);
      }
    }
  }

  private void sleep(Call call, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw call.fail("the calling thread was interrupted while waiting to retry");
    }
  }
}
