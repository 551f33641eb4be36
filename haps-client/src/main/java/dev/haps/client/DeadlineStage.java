package dev.haps.client;

import dev.haps.spi.Completion;
import java.time.Duration;

/**
 * Bounds each attempt by what is left of the call's deadline, and starts none once it passed.
 * It sits before {@link BreakerStage} so that a late attempt never takes a half-open circuit's
 * one trial.
 */
final class DeadlineStage implements Stage {

  @Override
  public String name() {
    return "deadline";
  }

  @Override
  public Completion intercept(Chain chain) throws StepFailed {
    long left = chain.call().remaining();
    if (left <= 0) {
      throw StepFailed.deadlinePassed();
    }
    return chain.proceed(chain.step().within(Duration.ofNanos(left)));
  }
}
