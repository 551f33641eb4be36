package dev.haps.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateSet;
import dev.haps.data.FeedbackLog;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feedback for finished calls: remembers each answered call for a window (bounded, on the
 * client's clock) and appends one outcome line per reported call to the feedback log (the
 * outcome-log format, through {@link OutcomeLogWriter}). Without a sink it remembers nothing and
 * refuses reports. The sink's folder is an outcome log that {@code haps train --data FOLDER} reads
 * as it is: a {@code candidates.json} from the router's candidates is written beside the file
 * when missing, and one call in five (chosen by a hash of its call id) is marked {@code "split":
 * "valid"}, the rest {@code "train"}. {@link RoutingClient} uses one; framework adapters
 * (LangChain4j, Spring AI) that call the chosen model themselves use one too, so every route to
 * the learning loop writes the same lines.
 *
 * <p>{@link RoutingClient} can instead write a bandit feedback log folder ({@code calls.jsonl}
 * when a call returns, with the decision's propensity; {@code scores.jsonl} at each report), the
 * input of the learning loop (docs/learning-loop.md).
 *
 * <pre>{@code
 * FeedbackRecorder feedback =
 *     FeedbackRecorder.open(Path.of("feedback/outcomes.jsonl"), router, "chat");
 * feedback.remember(callId, routingText, "gpt-4", decision.parameters(), Double.NaN, usage);
 * feedback.record(callId, 1.0);   // one outcome line
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class FeedbackRecorder implements AutoCloseable {

  /** How long after a call its feedback is accepted, unless set otherwise. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  /** How many unreported calls are remembered at most, unless set otherwise. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackRecorder.class);

  /** What {@link #record} needs of a finished call; {@code action} is null when not logged. */
  private record PendingCall(String query, String candidate, ParameterValues parameters,
      double costUsd, TokenUsage usage, LoggedAction action, RuntimeException writeFailure) {}

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

  /**
   * A recorder that refuses reports: no sink is configured.
   *
   * @return the recorder
   */
  public static FeedbackRecorder none() {
    return new FeedbackRecorder(null, null, null, null, Clock.systemUTC());
  }

  /**
   * A recorder appending to an outcome log with the default window and capacity.
   *
   * @param sink the {@code outcomes.jsonl} file (folders are created; appends are crash-safe)
   * @param router the router whose candidates the lines name (for {@code candidates.json})
   * @param task the {@code task} written on each line
   * @return the recorder; close it to close the log
   * @throws dev.haps.data.OutcomeLogException if the log cannot be opened
   */
  public static FeedbackRecorder open(Path sink, Router router, String task) {
    return open(sink, router, task, DEFAULT_WINDOW, DEFAULT_CAPACITY, Clock.systemUTC());
  }

  /**
   * A recorder appending to an outcome log (opened here, closed by {@link #close()}).
   *
   * @param sink the {@code outcomes.jsonl} file
   * @param router the router whose candidates the lines name (for {@code candidates.json})
   * @param task the {@code task} written on each line
   * @param window how long after a call its feedback is accepted
   * @param capacity how many calls are remembered at most
   * @param clock the clock the window is measured on
   * @return the recorder; close it to close the log
   * @throws dev.haps.data.OutcomeLogException if the log cannot be opened
   */
  public static FeedbackRecorder open(Path sink, Router router, String task, Duration window,
      int capacity, Clock clock) {
    return new FeedbackRecorder(FeedbackSinkFiles.open(sink, router, task), null, task,
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

  /** Whether calls are logged with their propensities (a bandit feedback log folder). */
  boolean bandit() {
    return bandit != null;
  }

  /**
   * Remembers a call answered through {@link RoutingClient}, with the decision's propensity; a
   * no-op without a sink. With a bandit log the call line is written now; a failed write (a full
   * disk) is logged at ERROR and the call's later report fails with the cause, so that no
   * feedback is lost silently.
   */
  void remember(CallResult result, RouteRequest request) {
    if (pending == null) {
      return;
    }
    RouteDecision d = result.decision();
    LoggedAction action = new LoggedAction(d.propensity().probability(),
        d.propensity().policyId(), request.costWeight(), clock.instant(), Optional.empty(),
        result.fellBack());
    RuntimeException failure = null;
    if (bandit != null) {
      Outcome o = new Outcome(result.candidate(), result.parameters(), 0, result.costUsd(),
          result.usage().inputTokens(), result.usage().outputTokens(), Optional.of(action));
      try {
        bandit.appendCall(QueryRecord.of(result.callId(), task,
            FeedbackLog.split(request.routingText()), request.routingText(), List.of(o)));
      } catch (RuntimeException e) {
        LOG.error("call {}: its feedback line could not be written to {} ({}); its outcome will"
            + " be missing from the feedback log", result.callId(), bandit.dir(), e.toString());
        failure = e;
      }
    }
    pending.put(result.callId(), new PendingCall(request.routingText(), result.candidate(),
        result.parameters(), result.costUsd(), result.usage(), action, failure));
  }

  /**
   * Remembers an answered call so that it can be reported; a no-op without a sink. Lines written
   * for calls remembered this way carry no propensity (the caller routed them itself).
   *
   * @param callId the call's id, unique per call
   * @param routingText the text the router read (written as the line's query)
   * @param candidate the bundle candidate that answered
   * @param parameters the parameters it answered with
   * @param costUsd the call's cost, or NaN when unknown
   * @param usage the call's tokens
   */
  public void remember(String callId, String routingText, String candidate,
      ParameterValues parameters, double costUsd, TokenUsage usage) {
    if (pending != null) {
      pending.put(callId, new PendingCall(routingText, candidate, parameters, costUsd, usage,
          null, null));
    }
  }

  /**
   * Whether reports are accepted (a sink is configured).
   *
   * @return {@code true} with a sink
   */
  public boolean enabled() {
    return log != null || bandit != null;
  }

  /**
   * Appends the outcome of a remembered call.
   *
   * @param callId the id given to {@link #remember}
   * @param score the quality in [0, 1]
   * @throws ConfigurationException if no sink is configured
   * @throws InvalidRequestException if the score is outside [0, 1] or the call is unknown,
   *     already reported, or older than the window
   * @throws OutcomeLogException if the call's line of a bandit log could not be written when the
   *     call returned
   */
  public void record(String callId, double score) {
    if (log == null && bandit == null) {
      throw new ConfigurationException("feedback for call " + callId + " has nowhere to go: no"
          + " feedback sink is configured; set a feedback sink (RoutingClient.builder()"
          + ".feedbackSink(path), \"feedback\": {\"path\": ...} in the configuration file, the"
          + " adapters' feedbackSink(path), or haps.feedback-log in Spring)");
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
      if (p.writeFailure() != null) {
        throw new OutcomeLogException(bandit.dir().toString(), 0, "the feedback log line of"
            + " call " + callId + " could not be written when the call returned ("
            + p.writeFailure() + "); free disk space or fix permissions in " + bandit.dir(),
            p.writeFailure());
      }
      bandit.appendScore(callId, score, clock.instant());
      return;
    }
    Optional<LoggedAction> logged = p.action() == null ? Optional.empty()
        : Optional.of(p.action().withScoredAt(Optional.of(clock.instant())));
    Outcome o = new Outcome(p.candidate(), p.parameters(), score, p.costUsd(),
        p.usage().inputTokens(), p.usage().outputTokens(), logged);
    log.append(QueryRecord.of(callId, task, FeedbackSinkFiles.splitOf(callId), p.query(),
        List.of(o)));
  }

  /** Closes the logs, if any; idempotent. */
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
