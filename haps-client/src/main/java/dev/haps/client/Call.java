package dev.haps.client;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.spi.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One routed call's state, shared by the stages that serve it: its id, request, decision, the
 * candidate plan it was routed on, its deadline, the attempts made so far, and (for a stream)
 * whether output has reached the caller. One thread serves a call, so only {@link #delivered}
 * (written from the provider's delta callback) needs to be atomic.
 */
final class Call {

  /** The client's logger: one name covers every line a call logs. */
  private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

  private final String id;
  private final RouteRequest request;
  private final RouteDecision decision;
  private final CandidatePlan plan;
  private final Duration deadline;
  private final long deadlineAt;
  private final Consumer<String> onDelta;
  private final List<Attempt> attempts = new ArrayList<>();
  private final AtomicBoolean delivered = new AtomicBoolean();
  private Throwable last;

  /**
   * @param onDelta the caller's delta consumer for a stream, {@code null} for a plain call
   */
  Call(String id, RouteRequest request, RouteDecision decision, CandidatePlan plan,
      Duration deadline, long deadlineAt, Consumer<String> onDelta) {
    this.id = id;
    this.request = request;
    this.decision = decision;
    this.plan = plan;
    this.deadline = deadline;
    this.deadlineAt = deadlineAt;
    this.onDelta = onDelta;
  }

  String id() {
    return id;
  }

  RouteRequest request() {
    return request;
  }

  RouteDecision decision() {
    return decision;
  }

  CandidatePlan plan() {
    return plan;
  }

  Duration deadline() {
    return deadline;
  }

  /** Nanoseconds left before the deadline; zero or less once it passed. */
  long remaining() {
    return deadlineAt - System.nanoTime();
  }

  boolean streaming() {
    return onDelta != null;
  }

  /** Hands a delta to the caller and remembers that output was delivered. */
  void deliver(String delta) {
    delivered.set(true);
    onDelta.accept(delta);
  }

  /** Whether a stream has delivered output, after which nothing may be retried. */
  boolean delivered() {
    return delivered.get();
  }

  List<Attempt> attempts() {
    return attempts;
  }

  int attemptCount() {
    return attempts.size();
  }

  Optional<Attempt> lastAttempt() {
    return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
  }

  /** Remembers the latest failure, the cause of the call's exception if it fails. */
  void failed(Throwable failure) {
    this.last = failure;
  }

  /** Appends an attempt of a step; logs failed ones at DEBUG. */
  Attempt record(Step step, Attempt.Outcome outcome, int status, Duration latency,
      String detail) {
    CandidatePlan.Target t = step.target();
    Attempt a = new Attempt(attempts.size() + 1, step.candidate().model(), t.providerId(),
        t.backendModel(), step.candidate().parameters(), step.reason(), outcome, status,
        step.waited(), latency, detail);
    attempts.add(a);
    if (!a.succeeded()) {
      LOG.debug("call {}: attempt {}", id, a);
    }
    return a;
  }

  /** The call's failure: why it stopped, every attempt, and the last failure as the cause. */
  RoutingCallException fail(String why) {
    return new RoutingCallException(id, attempts, why, last);
  }

  /** The call's result, built from the successful last attempt. */
  CallResult result(Completion c, Duration latency) {
    Attempt won = attempts.get(attempts.size() - 1);
    return new CallResult(id, c.text(), won.candidate(), won.provider(), won.backendModel(),
        won.parameters(), c.usage(), c.costUsd(), latency, attempts, decision, c);
  }
}
