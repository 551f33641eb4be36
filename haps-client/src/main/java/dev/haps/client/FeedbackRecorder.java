package dev.haps.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.params.ParameterValues;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.data.CandidateSet;
import dev.haps.data.FeedbackLogWriter;
import dev.haps.data.LoggedAction;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLogException;
import dev.haps.data.OutcomeLogWriter;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.spi.TokenUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeUnit;

/**
 * Feedback for finished calls: remembers each answered call for a window (bounded, on the
 * client's clock) and appends one outcome line per reported call to the feedback log. Without a
 * sink it remembers nothing and refuses reports. Thread-safe.
 */
final class FeedbackRecorder implements AutoCloseable {

  /** The window and capacity used when none is set. */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  static final int DEFAULT_CAPACITY = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackRecorder.class);

  private final AtomicLong failures = new AtomicLong();
  private volatile RuntimeException lastFailure;

  /** The share of calls a bandit log marks {@code valid} (by a hash of the call id). */
  static final double VALID_SHARE = 0.2;

  /** What {@link #record} needs of a finished call. */
  private record PendingCall(String query, String candidate, ParameterValues parameters,
      double costUsd, TokenUsage usage, LoggedAction action, boolean written) {}

  private final OutcomeLogWriter log;
  private final FeedbackLogWriter bandit;
  private final String task;
  private final Cache<String, PendingCall> pending;
  private final Clock clock;

  private FeedbackRecorder(OutcomeLogWriter log, FeedbackLogWriter bandit, String task,
      Cache<String, PendingCall> pending, Clock clock) {
    this.log = log;
    this.bandit = bandit;
    this.task = task;
    this.pending = pending;
    this.clock = clock;
  }

  /** A recorder that refuses reports: no sink is configured. */
  static FeedbackRecorder none() {
    return new FeedbackRecorder(null, null, null, null, Clock.systemUTC());
  }

  /** Whether calls are logged with their propensities (a bandit feedback log folder). */
  boolean bandit() {
    return bandit != null;
  }

  /**
   * A recorder appending to an outcome log (opened here, closed by {@link #close()}).
   *
   * @param sink the {@code outcomes.jsonl} file
   * @param task the {@code task} written on each line
   * @param window how long after a call its feedback is accepted
   * @param capacity how many calls are remembered at most
   * @param clock the clock the window is measured on
   */
  static FeedbackRecorder open(Path sink, String task, Duration window, int capacity,
      Clock clock) {
    return new FeedbackRecorder(OutcomeLogWriter.open(sink), null, task,
        cache(window, capacity, clock), clock);
  }

  /**
   * A recorder writing a bandit feedback log folder: each answered call is appended to
   * {@code calls.jsonl} when it returns, each report to {@code scores.jsonl}.
   */
  static FeedbackRecorder openBandit(Path dir, CandidateSet candidates, String task,
      Duration window, int capacity, Clock clock) {
    return new FeedbackRecorder(null, FeedbackLogWriter.open(dir, candidates, true), task,
        cache(window, capacity, clock), clock);
  }

  private static Cache<String, PendingCall> cache(Duration window, int capacity, Clock clock) {
    return Caffeine.newBuilder()
        .maximumSize(capacity)
        .expireAfterWrite(window)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run)
        .build();
  }

  /**
   * Remembers an answered call so that it can be reported; a no-op without a sink. With a bandit
   * log the call line is written now; a failed write (a full disk) is logged at ERROR and the
   * call's later report fails with the cause, so that no feedback is lost silently.
   */
  void remember(CallResult result, RouteRequest request) {
    if (pending == null) {
      return;
    }
    RouteDecision d = result.decision();
    LoggedAction action = new LoggedAction(d.propensity().probability(),
        d.propensity().policyId(), request.costWeight(), clock.instant(), Optional.empty(),
        result.fellBack());
    boolean written = false;
    if (bandit != null) {
      Outcome o = new Outcome(result.candidate(), result.parameters(), 0,
          Double.isNaN(result.costUsd()) ? Double.NaN : result.costUsd(),
          result.usage().inputTokens(), result.usage().outputTokens(), Optional.of(action));
      try {
        bandit.appendCall(QueryRecord.of(result.callId(), task, split(request.routingText()),
            request.routingText(), List.of(o)));
        written = true;
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        LOG.error("call {}: its feedback line could not be written to {} ({}); its outcome will"
            + " be missing from the feedback log", result.callId(), bandit.dir(), e.toString());
        lastFailure = e;
      }
    }
    pending.put(result.callId(), new PendingCall(request.routingText(), result.candidate(),
        result.parameters(), result.costUsd(), result.usage(), action, written));
  }

  /**
   * The split of a call in a bandit log: a stable hash of its routing text puts 1 in 5 queries
   * in valid, so that repeated queries never straddle train and valid (a candidate would be
   * checked on what it was trained on).
   */
  static Split split(String routingText) {
    int h = routingText.hashCode() * 0x9E3779B1;
    return Integer.remainderUnsigned(h >>> 8, 1000) < VALID_SHARE * 1000 ? Split.VALID
        : Split.TRAIN;
  }

  /** How many call lines could not be written. */
  long writeFailures() {
    return failures.get();
  }

  /**
   * Appends the outcome of a remembered call.
   *
   * @throws ConfigurationException if no sink is configured
   * @throws InvalidRequestException if the score is outside [0, 1] or the call is unknown,
   *     already reported, or older than the window
   */
  void record(String callId, double score) {
    if (log == null && bandit == null) {
      throw new ConfigurationException("feedback for call " + callId + " has nowhere to go: no"
          + " feedback sink is configured; set RoutingClient.builder().feedbackSink(path) or"
          + " \"feedback\": {\"path\": ...} in the configuration file");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new InvalidRequestException("feedback score " + score + " for call " + callId
          + " is outside [0, 1]; report 1 for a perfect answer, 0 for a failed one");
    }
    PendingCall p = pending.asMap().remove(callId);
    if (p == null) {
      throw new InvalidRequestException("call id '" + callId + "' is unknown, already reported,"
          + " or older than the feedback window; report feedback once per call, soon after it");
    }
    if (bandit != null) {
      if (!p.written()) {
        throw new OutcomeLogException(bandit.dir().toString(), 0, "the feedback log line of"
            + " call " + callId + " could not be written when the call returned ("
            + lastFailure + "); free disk space or fix permissions in " + bandit.dir(), null);
      }
      bandit.appendScore(callId, score, clock.instant());
      return;
    }
    Outcome o = new Outcome(p.candidate(), p.parameters(), score, p.costUsd(),
        p.usage().inputTokens(), p.usage().outputTokens(),
        Optional.of(p.action().withScoredAt(Optional.of(clock.instant()))));
    log.append(QueryRecord.of(callId, task, Split.TRAIN, p.query(), List.of(o)));
  }

  /** Closes the log, if any. */
  @Override
  public void close() {
    if (log != null) {
      log.close();
    }
    if (bandit != null) {
      bandit.close();
    }
  }
}
