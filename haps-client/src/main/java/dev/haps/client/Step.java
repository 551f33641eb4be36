package dev.haps.client;

import dev.haps.api.RankedCandidate;
import java.time.Duration;

/**
 * What the attempt chain is asked to do: try one ranked candidate on its target, for a reason,
 * after a wait, within a time limit. Stages below {@link Fallback} may change the reason, the wait
 * and the limit, never the candidate ({@link Chain} checks).
 *
 * @param candidate the ranked candidate, with its own parameters
 * @param target where the candidate goes
 * @param reason why this attempt is made, as {@link Attempt#reason()} reports it
 * @param waited the wait before this attempt (backoff or {@code Retry-After})
 * @param timeout how long the provider call may take; zero until {@link DeadlineStage} sets it
 */
record Step(RankedCandidate candidate, CandidatePlan.Target target, String reason,
    Duration waited, Duration timeout) {

  /** The first try of a candidate. */
  static Step first(RankedCandidate candidate, CandidatePlan.Target target, String reason) {
    return new Step(candidate, target, reason, Duration.ZERO, Duration.ZERO);
  }

  /** The same candidate again, after a wait, for the given reason. */
  Step retry(String why, Duration wait) {
    return new Step(candidate, target, why, wait, Duration.ZERO);
  }

  /** The same step bounded by a time limit. */
  Step within(Duration limit) {
    return new Step(candidate, target, reason, waited, limit);
  }
}
