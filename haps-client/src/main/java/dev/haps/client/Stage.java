package dev.haps.client;

import dev.haps.spi.Completion;

/**
 * One concern of a routed call's attempts, as a link of a {@link Chain}. The client's chain is
 * {@link RetryStage} → {@link DeadlineStage} → {@link BreakerStage} → {@link ProviderStage};
 * {@link Fallback} hands it each ranked candidate in turn. Streams go through the same chain.
 *
 * <p>The contract, checked by {@link Chain#proceed} (a breach is a bug and fails the call with an
 * {@link IllegalStateException} naming the stage):
 *
 * <ul>
 *   <li>{@link #intercept} returns a completion only after a successful attempt was recorded
 *       (the completion of {@link Chain#proceed}, or the last stage's own);
 *   <li>it throws {@link StepFailed} only after the attempt that failed was recorded (by itself
 *       or a later stage), or because the call's deadline had passed before one could start;
 *   <li>it may call {@link Chain#proceed} again after a failure, with the same candidate, but not
 *       once a stream has delivered output.
 * </ul>
 */
interface Stage {

  /**
   * The stage's name, as contract errors report it.
   *
   * @return e.g. {@code "retry"}
   */
  String name();

  /**
   * Serves {@link Chain#step()}, usually by calling {@link Chain#proceed} one or more times.
   *
   * @param chain the step, the call and the stages after this one
   * @return the completion
   * @throws StepFailed when the step failed (the attempt recorded)
   */
  Completion intercept(Chain chain) throws StepFailed;
}
