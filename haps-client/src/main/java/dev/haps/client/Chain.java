package dev.haps.client;

import dev.haps.spi.Completion;
import java.util.List;
import java.util.Objects;

/**
 * The stages after one position of the attempt chain, with the step and call they serve. The
 * head (position 0) is what {@link Fallback} calls; each stage receives the chain positioned
 * after itself. {@link #proceed} runs the next stage and enforces the {@link Stage} contract at
 * run time, naming the stage that broke it. Immutable; one call's thread uses it.
 */
final class Chain {

  /** The name {@link Fallback} goes by in contract errors (it drives the head). */
  static final String FALLBACK = "fallback";

  private final List<Stage> stages;
  private final int index;
  private final Call call;
  private final Step step;

  private Chain(List<Stage> stages, int index, Call call, Step step) {
    this.stages = stages;
    this.index = index;
    this.call = call;
    this.step = step;
  }

  /** The head of a chain of the given stages for one call; the last stage must not proceed. */
  static Chain head(List<Stage> stages, Call call) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("an attempt chain needs at least one stage");
    }
    return new Chain(List.copyOf(stages), 0, Objects.requireNonNull(call, "call"), null);
  }

  /** The call being served. */
  Call call() {
    return call;
  }

  /**
   * The step the current stage serves.
   *
   * @throws IllegalStateException at the head, which serves no step yet
   */
  Step step() {
    if (step == null) {
      throw new IllegalStateException("the head of the attempt chain has no step yet; "
          + FALLBACK + " hands it one with proceed(step)");
    }
    return step;
  }

  /**
   * Runs the next stage on a step.
   *
   * @param next the step; below the head, for the same candidate as {@link #step()}
   * @return the completion
   * @throws StepFailed when the step failed (the attempt recorded)
   * @throws IllegalStateException when a stage breaks the {@link Stage} contract
   */
  Completion proceed(Step next) throws StepFailed {
    Objects.requireNonNull(next, "next");
    String caller = index == 0 ? FALLBACK : stages.get(index - 1).name();
    if (index == stages.size()) {
      throw new IllegalStateException("stage '" + caller + "' called proceed, but it is the"
          + " last stage of the chain and must answer the step itself");
    }
    if (step != null && (!step.candidate().equals(next.candidate())
        || !step.target().equals(next.target()))) {
      throw new IllegalStateException("stage '" + caller + "' changed the candidate from "
          + step.candidate().model() + " to " + next.candidate().model() + "; only " + FALLBACK
          + " chooses candidates");
    }
    if (call.delivered()) {
      throw new IllegalStateException("stage '" + caller + "' proceeded after the stream"
          + " delivered output; a stream that broke after output cannot be retried");
    }
    Stage stage = stages.get(index);
    int before = call.attemptCount();
    Completion c;
    try {
      c = stage.intercept(new Chain(stages, index + 1, call, next));
    } catch (StepFailed f) {
      if (!f.isDeadlinePassed() && call.attemptCount() == before) {
        throw new IllegalStateException("stage '" + stage.name() + "' failed the step on "
            + next.candidate().model() + " without recording an attempt; the stage that ends a"
            + " step records it", f);
      }
      if (call.lastAttempt().map(Attempt::succeeded).orElse(false)) {
        throw new IllegalStateException("stage '" + stage.name() + "' failed the step on "
            + next.candidate().model() + " after its successful attempt", f);
      }
      throw f;
    }
    if (c == null) {
      throw new IllegalStateException("stage '" + stage.name() + "' returned no completion;"
          + " a stage returns the completion of proceed(step) or throws StepFailed");
    }
    if (call.attemptCount() == before || !call.lastAttempt().orElseThrow().succeeded()) {
      throw new IllegalStateException("stage '" + stage.name() + "' returned a completion for "
          + next.candidate().model() + " without recording a successful attempt");
    }
    return c;
  }
}
