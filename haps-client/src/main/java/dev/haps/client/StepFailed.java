package dev.haps.client;

import dev.haps.api.error.ProviderException;
import java.util.Optional;

/**
 * A step of the attempt chain failed: the stage that ended it recorded its attempt (or the
 * deadline had passed before one could start). Carries the failure and, when a stage gave up
 * early on a candidate, a note saying why (for the next candidate's reason). Control flow, so
 * without a stack trace.
 */
final class StepFailed extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Throwable failure;
  private final String note;
  private final boolean deadlinePassed;

  private StepFailed(Throwable failure, String note, boolean deadlinePassed) {
    super(note, null, false, false);
    this.failure = failure;
    this.note = note;
    this.deadlinePassed = deadlinePassed;
  }

  /** An attempt failed with this exception (already recorded). */
  static StepFailed of(Throwable failure) {
    return new StepFailed(failure, null, false);
  }

  /** The step was skipped without calling the provider (an open circuit; already recorded). */
  static StepFailed skipped() {
    return new StepFailed(null, null, false);
  }

  /** No attempt started: the call's deadline had passed. */
  static StepFailed deadlinePassed() {
    return new StepFailed(null, null, true);
  }

  /** The same failure with a note on why the candidate was left early. */
  StepFailed noting(String why) {
    return new StepFailed(failure, why, deadlinePassed);
  }

  /** What the provider call threw; empty when the step was skipped or never started. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** The provider failure that ended the step, when it was one. */
  Optional<ProviderException> providerFailure() {
    return failure instanceof ProviderException ? Optional.of((ProviderException) failure)
        : Optional.empty();
  }

  /** Why the candidate was left early (budget, Retry-After, time), if a stage said so. */
  Optional<String> note() {
    return Optional.ofNullable(note);
  }

  boolean isDeadlinePassed() {
    return deadlinePassed;
  }
}
