package dev.haps.client;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.data.CandidateSet;
import dev.haps.data.internal.Closing;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request and calls the chosen LLM with the chosen parameters, reliably: transient
 * failures are retried with backoff that honours {@code Retry-After}, then the next ranked
 * candidate is tried <em>with its own parameters</em>; each provider instance has a circuit
 * breaker; every call is bounded by a deadline. Every {@link CallResult} names the model,
 * parameters, provider, tokens, cost, latency and attempts; a call that fails throws a
 * {@link RoutingCallException} naming every attempt.
 *
 * <pre>{@code
 * try (RoutingClient client = RoutingClient.builder()
 *     .router(router)
 *     .provider("local", openAiProvider)                        // an instance, by id
 *     .candidate("gpt-4-1106-preview", "local", "gpt-4o")       // bundle name -> backend name
 *     .candidate("*", "local")                                  // the rest under their own names
 *     .deadline(Duration.ofSeconds(30))
 *     .feedbackSink(Path.of("feedback/outcomes.jsonl"))
 *     .build()) {
 *   CallResult r = client.call(RouteRequest.of("Prove that sqrt(2) is irrational.", 0.3));
 *   System.out.println(r.text());
 *   System.out.println(r.summary());   // model, parameters, tokens, cost, attempts
 *   client.feedback(r.callId(), 1.0);  // appended to the outcome log for retraining
 * }
 * }</pre>
 *
 * <p><b>Candidate mapping.</b> Each bundle candidate maps to a provider instance and the model
 * name that backend knows; {@code "*"} maps every candidate not mapped by name to a provider under
 * its own name. A candidate left unmapped is never chosen (the client adds it to each request's
 * deny set) and the log says so once per bundle.
 *
 * <p><b>Parameters no backend knows</b> (such as {@code prompt_style}) are applied by
 * {@link RequestTransformer}s and removed before the provider call. A transformer the
 * application registers always applies; otherwise a parameter the candidate's provider declares
 * goes to the provider; otherwise the built-in {@code prompt_style} transformer
 * ({@link RequestTransformers#promptStyles()}) applies. At {@link Builder#build()} every
 * parameter the router declares for a mapped candidate must be declared by its provider (in a
 * compatible range) or have a transformer; otherwise the build fails listing the parameter,
 * candidate and provider. A hot-swapped bundle is checked the same way on its first call.
 *
 * <p><b>Ownership.</b> {@link #close()} closes what the client created: the feedback log and,
 * for {@link #fromConfig(Path)}, the providers and the router. Providers and routers handed to
 * the builder stay open.
 *
 * <p>Thread-safe: share one client across request threads.
 *
 * @since 0.1.0
 */
public final class RoutingClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

  /** The deadline used when none is set. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

  /** The candidates tried per call (the first choice and its fallbacks) when none is set. */
  public static final int DEFAULT_MAX_CANDIDATES = 3;

  private final Router router;
  private final Map<String, LlmProvider> providers;
  private final Map<String, CandidatePlan.Mapping> mappings;
  private final CurrentPlan plan;
  private final RetryPolicy retry;
  private final RetryBudget budget;
  private final Duration deadline;
  private final Fallback fallback;
  private final BreakerStage breakers;
  /** The attempt chain: retry → deadline → circuit breaker → provider call. */
  private final List<Stage> stages;
  private final FeedbackRecorder feedback;
  private final List<AutoCloseable> owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RoutingClient(Builder b) {
    this.router = b.router;
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(b.providers));
    this.mappings = Collections.unmodifiableMap(new LinkedHashMap<>(b.mappings));
    this.plan = new CurrentPlan(router, providers, mappings,
        new CandidatePlan.Transformers(
            Collections.unmodifiableMap(new LinkedHashMap<>(b.transformers)),
            Map.of(RequestTransformers.PROMPT_STYLE, RequestTransformers.promptStyles())));
    this.retry = b.retry == null ? RetryPolicy.defaults() : b.retry;
    this.budget = new RetryBudget(retry.budgetReserve(), retry.budgetRatio());
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.deadline = b.deadline == null ? DEFAULT_DEADLINE : b.deadline;
    this.fallback = new Fallback(b.maxCandidates == 0 ? DEFAULT_MAX_CANDIDATES : b.maxCandidates);
    this.breakers = new BreakerStage(providers.keySet(),
        b.breaker == null ? CircuitBreakerPolicy.defaults() : b.breaker, clock);
    this.stages = List.of(
        new RetryStage(retry, budget,
            b.sleeper == null ? d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()) : b.sleeper,
            b.random == null ? () -> ThreadLocalRandom.current().nextDouble() : b.random),
        new DeadlineStage(),
        breakers,
        new ProviderStage());
    this.owned = List.copyOf(b.owned);
    String task = b.feedbackTask == null ? "feedback" : b.feedbackTask;
    Duration window = b.feedbackWindow == null ? FeedbackRecorder.DEFAULT_WINDOW
        : b.feedbackWindow;
    int capacity = b.feedbackCapacity == 0 ? FeedbackRecorder.DEFAULT_CAPACITY
        : b.feedbackCapacity;
    if (b.feedbackLog != null) {
      this.feedback = FeedbackRecorder.openBandit(b.feedbackLog, candidateSet(router), task,
          window, capacity, clock);
    } else if (b.feedbackSink != null) {
      this.feedback = FeedbackRecorder.open(b.feedbackSink, router, task, window, capacity, clock);
    } else {
      this.feedback = FeedbackRecorder.none();
    }
  }

  /** The router's candidates and parameter spaces as a feedback log's candidate list. */
  private static CandidateSet candidateSet(Router router) {
    return FeedbackSinkFiles.candidateSet(router, router.bundle().id());
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client configured by a JSON file (see {@code docs/routing-client.md}), with its router
   * loaded from the file's {@code "bundle"} or, without one, the SDK's default bundle. Values may
   * use {@code ${env:NAME}}; providers are created through
   * {@link dev.haps.spi.ProviderRegistry#load()}.
   *
   * <pre>{@code
   * {"providers": {"local": {"type": "openai", "baseUrl": "${env:OPENAI_BASE_URL}",
   *                          "apiKey": "${env:OPENAI_API_KEY}"}},
   *  "candidates": {"gpt-4-1106-preview": {"provider": "local", "model": "gpt-4o"},
   *                 "*": {"provider": "local"}}}
   * }</pre>
   *
   * @param json the configuration file
   * @return the client, owning its router and providers
   * @throws ConfigurationException naming the file, the key and (for an unset variable) the
   *     variable, when the file is unreadable, malformed or inconsistent
   */
  public static RoutingClient fromConfig(Path json) {
    return ClientConfig.read(json, System::getenv).build(null, null);
  }

  /**
   * A client configured by a JSON file, routing with a given router (the file's
   * {@code "bundle"} is then ignored).
   *
   * @param json the configuration file
   * @param router the router; the client does not close it
   * @return the client, owning its providers
   * @throws ConfigurationException when the file is unreadable, malformed or inconsistent
   */
  public static RoutingClient fromConfig(Path json, Router router) {
    return ClientConfig.read(json, System::getenv)
        .build(Objects.requireNonNull(router, "router"), null);
  }

  /**
   * A client configured by a JSON file, resolving {@code ${env:NAME}} against a given
   * environment (for tests and embedding).
   *
   * @param json the configuration file
   * @param router the router; the client does not close it
   * @param environment variable name to value, {@code null} when unset
   * @return the client, owning its providers
   * @throws ConfigurationException when the file is unreadable, malformed or inconsistent
   */
  public static RoutingClient fromConfig(
      Path json, Router router, UnaryOperator<String> environment) {
    return ClientConfig.read(json, Objects.requireNonNull(environment, "environment"))
        .build(Objects.requireNonNull(router, "router"), null);
  }

  /**
   * Routes a query at the default cost weight and calls the chosen candidate.
   *
   * @param query the user's query
   * @return the result
   * @throws RoutingCallException when every attempt failed
   * @throws InvalidRequestException if the query is blank
   */
  public CallResult call(String query) {
    return call(RouteRequest.of(query));
  }

  /**
   * Routes a request and calls the chosen candidate, retrying and falling back as configured.
   *
   * @param request the request
   * @return the result
   * @throws RoutingCallException when every attempt failed, naming each
   * @throws dev.haps.api.error.NoEligibleCandidateException if the request's constraints (and
   *     the unmapped candidates) exclude every candidate
   * @throws ConfigurationException if a hot-swapped bundle cannot be served
   * @throws IllegalStateException if the client is closed
   */
  public CallResult call(RouteRequest request) {
    return execute(request, null, null);
  }

  /**
   * Calls a decision made elsewhere instead of routing the request: the decision's ranking is
   * tried in order, each candidate with its own parameters, with the same retries, fallbacks,
   * circuit breakers, deadline, transformers and feedback as a routed call. Use it to call a
   * fixed configuration (data collection, an explicit model choice, an A/B arm) through the
   * client's reliability policies. The router is not consulted and the request's constraints
   * are not applied: the decision already chose. Candidates of the decision that the client's
   * bundle does not map to a provider are skipped.
   *
   * <pre>{@code
   * RankedCandidate arm = new RankedCandidate(Candidate.of("local", "gpt-4o-mini"), 1.0,
   *     ParameterValues.of(Map.of("temperature", 0.0)), Double.NaN);
   * CallResult r = client.call(RouteRequest.of(query), new RouteDecision(List.of(arm), Map.of(),
   *     client.router().bundle(), new RouteTimings(0, 0, 0, false)));
   * }</pre>
   *
   * @param request the request (its messages are sent)
   * @param decision the candidates to try, best first, with their parameters
   * @return the result
   * @throws RoutingCallException when every attempt failed, naming each
   * @throws ConfigurationException if a hot-swapped bundle cannot be served
   * @throws IllegalStateException if the client is closed
   * @since 0.1.0
   */
  public CallResult call(RouteRequest request, RouteDecision decision) {
    return execute(request, Objects.requireNonNull(decision, "decision"), null);
  }

  /**
   * Routes a request and streams the chosen candidate's answer. Retries and fallbacks happen
   * only before the first delta is delivered; a stream that breaks after output was delivered
   * fails the call. A provider that cannot stream delivers its whole answer as one delta.
   *
   * @param request the request
   * @param onDelta receives text deltas in order, on the calling thread
   * @return the result, once the stream ends
   * @throws RoutingCallException when the call failed, naming each attempt
   * @throws IllegalStateException if the client is closed
   */
  public CallResult stream(RouteRequest request, Consumer<String> onDelta) {
    return execute(request, null, Objects.requireNonNull(onDelta, "onDelta"));
  }

  /**
   * Reports how good a call's answer was; appends one line to the feedback outcome log: the
   * call id, the routing text as the query, and the answering candidate with its parameters,
   * the score, cost and tokens. Each call can be reported once, within the feedback window.
   *
   * @param callId the {@link CallResult#callId()}
   * @param score the quality in [0, 1]
   * @throws ConfigurationException if no feedback sink is configured
   * @throws InvalidRequestException if the score is outside [0, 1] or the call is unknown,
   *     already reported, or older than the feedback window
   * @throws IllegalStateException if the client is closed
   */
  public void feedback(String callId, double score) {
    Objects.requireNonNull(callId, "callId");
    checkOpen();
    feedback.record(callId, score);
  }

  /**
   * The state of a provider instance's circuit breaker.
   *
   * @param providerId the provider instance id
   * @return the state
   * @throws IllegalArgumentException if no such provider is registered
   */
  public CircuitState circuitState(String providerId) {
    return breakers.state(providerId);
  }

  /**
   * The candidates of the current bundle that map to no provider and are never chosen.
   *
   * @return an unmodifiable set, in bundle order
   */
  public Set<String> unmappedCandidates() {
    return plan.get().unmapped();
  }

  /**
   * Where a candidate is sent, as configured: the provider instance and backend model it is
   * mapped to by name, else the {@code "*"} mapping's provider under the candidate's own name.
   * Read from the mapping alone, whether or not the current bundle has the candidate.
   *
   * @param candidate a candidate's model id
   * @return the target, or empty when no mapping covers the candidate
   */
  public Optional<CandidateTarget> target(String candidate) {
    Objects.requireNonNull(candidate, "candidate");
    CandidatePlan.Mapping m = mappings.get(candidate);
    if (m == null && !candidate.equals(CandidatePlan.WILDCARD)) {
      m = mappings.get(CandidatePlan.WILDCARD);
    }
    if (m == null) {
      return Optional.empty();
    }
    return Optional.of(new CandidateTarget(m.providerId(),
        m.backendModel() == null ? candidate : m.backendModel()));
  }

  /**
   * The router this client routes with.
   *
   * @return the router
   */
  public Router router() {
    return router;
  }

  /**
   * Retries made so far across all calls (for budget checks and monitoring).
   *
   * @return the count
   */
  public long retriesMade() {
    return budget.retries();
  }

  /** Closes the feedback log and whatever the client created; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> all = new ArrayList<>();
    all.add(feedback);
    all.addAll(owned);
    Closing.closeAll("the routing client", all);
  }

  @Override
  public String toString() {
    return "RoutingClient{bundle=" + plan.get().bundle() + ", providers=" + providers.keySet()
        + ", deadline=" + deadline + ", maxCandidates=" + fallback.maxCandidates() + ", " + retry
        + "}";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the routing client is closed; build a new one");
    }
  }

  /**
   * Serves one call: routes it (unmapped candidates denied) unless a decision is given, then lets
   * {@link Fallback} hand the ranked candidates to the attempt chain, and remembers the answer
   * for feedback.
   */
  private CallResult execute(RouteRequest request, RouteDecision given,
      Consumer<String> onDelta) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    long start = System.nanoTime();
    CandidatePlan p = plan.get();
    RouteDecision decision = given;
    if (decision == null) {
      Set<String> deny = p.unmapped();
      if (feedback.bandit()) {
        // Logged propensities must be over what can actually be called: candidates whose
        // circuit is open leave the action set before routing (unless that would leave none).
        Set<String> open = new LinkedHashSet<>();
        for (CandidatePlan.Target t : p.targets().values()) {
          if (breakers.state(t.providerId()) == CircuitState.OPEN) {
            open.add(t.candidate());
          }
        }
        if (!open.isEmpty() && open.size() < p.targets().size()) {
          deny = new LinkedHashSet<>(deny);
          deny.addAll(open);
        }
      }
      RouteRequest routed = deny.isEmpty()
          ? request
          : request.toBuilder().deny(deny).build();
      decision = router.route(routed);
    }
    budget.onCall();
    Call call = new Call(UUID.randomUUID().toString(), request, decision, p, deadline,
        start + deadline.toNanos(), onDelta);
    Completion c = fallback.run(Chain.head(stages, call));
    CallResult result = call.result(c, Duration.ofNanos(System.nanoTime() - start));
    feedback.remember(result, request);
    LOG.debug("call {}: {}", call.id(), result.summary());
    return result;
  }

  /**
   * The state of a provider instance's circuit breaker.
   *
   * @since 0.1.0
   */
  public enum CircuitState {
    /** Calls go through. */
    CLOSED,
    /** Calls skip the provider until the open period ends. */
    OPEN,
    /** One trial call may go through; its outcome closes or reopens the circuit. */
    HALF_OPEN
  }

  /**
   * Builds a {@link RoutingClient}; each option can be set once, and {@link #build()} checks the
   * whole configuration. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Router router;
    private final Map<String, LlmProvider> providers = new LinkedHashMap<>();
    private final Map<String, CandidatePlan.Mapping> mappings = new LinkedHashMap<>();
    private final Map<String, RequestTransformer> transformers = new LinkedHashMap<>();
    private RetryPolicy retry;
    private CircuitBreakerPolicy breaker;
    private Duration deadline;
    private int maxCandidates;
    private Path feedbackSink;
    private Path feedbackLog;
    private String feedbackTask;
    private Duration feedbackWindow;
    private int feedbackCapacity;
    private Clock clock;
    private RetryStage.Sleeper sleeper;
    private DoubleSupplier random;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the router (required). The client does not close it.
     *
     * @param router the router
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder router(Router router) {
      Objects.requireNonNull(router, "router");
      requireUnset(this.router, "router");
      this.router = router;
      return this;
    }

    /**
     * Registers a provider instance under an id that candidate mappings refer to. The client
     * does not close it.
     *
     * @param instanceId the id, e.g. {@code local}
     * @param provider the provider
     * @return this builder
     * @throws IllegalStateException if the id is already registered
     */
    public Builder provider(String instanceId, LlmProvider provider) {
      requireName(instanceId, "provider instance id");
      Objects.requireNonNull(provider, "provider");
      if (providers.putIfAbsent(instanceId, provider) != null) {
        throw new IllegalStateException("provider instance '" + instanceId
            + "' is already registered; give each instance its own id");
      }
      return this;
    }

    /**
     * Maps a bundle candidate to a provider instance and the model name that backend knows.
     *
     * @param candidateModel the candidate's model id in the bundle
     * @param providerInstanceId a registered provider instance id
     * @param backendModel the backend's model name
     * @return this builder
     * @throws IllegalStateException if the candidate is already mapped
     * @throws IllegalArgumentException if {@code candidateModel} is {@code "*"}: the wildcard
     *     keeps each candidate's own name, so one backend model for all of them is refused rather
     *     than ignored (map those candidates by name instead)
     */
    public Builder candidate(String candidateModel, String providerInstanceId,
        String backendModel) {
      requireName(backendModel, "backend model");
      if (CandidatePlan.WILDCARD.equals(candidateModel)) {
        throw new IllegalArgumentException("candidate \"*\" cannot name a backend model ('"
            + backendModel + "'): \"*\" sends every candidate not mapped by name under its own"
            + " name; map each of those candidates by name to '" + backendModel
            + "' instead, or drop the backend model");
      }
      return map(candidateModel, providerInstanceId, backendModel);
    }

    /**
     * Maps a bundle candidate to a provider instance under the candidate's own name.
     *
     * @param candidateModel the candidate's model id, or {@code "*"} for every candidate not
     *     mapped by name
     * @param providerInstanceId a registered provider instance id
     * @return this builder
     * @throws IllegalStateException if the candidate is already mapped
     */
    public Builder candidate(String candidateModel, String providerInstanceId) {
      return map(candidateModel, providerInstanceId, null);
    }

    private Builder map(String candidateModel, String providerInstanceId, String backend) {
      requireName(candidateModel, "candidate model");
      requireName(providerInstanceId, "provider instance id");
      if (mappings.putIfAbsent(candidateModel,
          new CandidatePlan.Mapping(providerInstanceId, backend)) != null) {
        throw new IllegalStateException("candidate '" + candidateModel
            + "' is already mapped; map each candidate once");
      }
      return this;
    }

    /**
     * Registers a transformer for a parameter no backend knows. It applies to every candidate,
     * even one whose provider declares a parameter of that name, and replaces the built-in one
     * of the same name ({@code prompt_style}).
     *
     * @param parameter the parameter name
     * @param transformer the transformer
     * @return this builder
     * @throws IllegalStateException if the parameter already has a registered transformer
     */
    public Builder transformer(String parameter, RequestTransformer transformer) {
      requireName(parameter, "parameter");
      Objects.requireNonNull(transformer, "transformer");
      if (transformers.putIfAbsent(parameter, transformer) != null) {
        throw new IllegalStateException("parameter '" + parameter
            + "' already has a transformer; register one per parameter");
      }
      return this;
    }

    /**
     * Sets the retry policy (default {@link RetryPolicy#defaults()}).
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder retry(RetryPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      requireUnset(retry, "retry policy");
      this.retry = policy;
      return this;
    }

    /**
     * Sets the circuit breaker policy of every provider instance (default
     * {@link CircuitBreakerPolicy#defaults()}).
     *
     * @param policy the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder circuitBreaker(CircuitBreakerPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      requireUnset(breaker, "circuit breaker policy");
      this.breaker = policy;
      return this;
    }

    /**
     * Sets the longest a whole call may take, routing, retries, waits and fallbacks included
     * (default 60 s).
     *
     * @param deadline positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, got " + deadline);
      }
      requireUnset(this.deadline, "deadline");
      this.deadline = deadline;
      return this;
    }

    /**
     * Sets how many ranked candidates a call may try: the first choice and its fallbacks
     * (default {@value RoutingClient#DEFAULT_MAX_CANDIDATES}).
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if already set
     */
    public Builder maxCandidates(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxCandidates must be at least 1, got " + n);
      }
      if (maxCandidates != 0) {
        throw new IllegalStateException("maxCandidates was already set to " + maxCandidates);
      }
      this.maxCandidates = n;
      return this;
    }

    /**
     * Appends {@link #feedback} outcomes to this {@code outcomes.jsonl} file (created with its
     * folders when missing; crash-safe appends). Default: no feedback. The folder becomes an
     * outcome log that {@code haps train --data FOLDER} reads as it is: a {@code candidates.json}
     * from the router's candidates is written beside the file when missing, and one call in five
     * (chosen by a hash of its call id) is marked {@code "split": "valid"}, the rest
     * {@code "train"}.
     *
     * @param outcomesJsonl the file
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder feedbackSink(Path outcomesJsonl) {
      Objects.requireNonNull(outcomesJsonl, "outcomesJsonl");
      requireUnset(feedbackSink, "feedback sink");
      requireUnset(feedbackLog, "feedback log");
      this.feedbackSink = outcomesJsonl;
      return this;
    }

    /**
     * Writes a bandit feedback log into this folder ({@code docs/learning-loop.md}): the
     * candidate list once, a line in {@code calls.jsonl} when each call returns (its action, the
     * propensity it was taken with, the logging bundle's SHA-256, the cost weight, the time),
     * and a line in {@code scores.jsonl} for each {@link #feedback} report, joined later by call
     * id. Every line is forced to disk before the method that writes it returns. With such a
     * log, candidates whose circuit is open are denied before routing, so that exploration
     * never picks them. One of this and {@link #feedbackSink} may be set.
     *
     * @param dir the folder (created with its parents when missing)
     * @return this builder
     * @throws IllegalStateException if a feedback log or sink was already set
     * @since 0.1.0
     */
    public Builder feedbackLog(Path dir) {
      Objects.requireNonNull(dir, "dir");
      requireUnset(feedbackLog, "feedback log");
      requireUnset(feedbackSink, "feedback sink");
      this.feedbackLog = dir;
      return this;
    }

    /**
     * Sets the {@code task} written on feedback lines (default {@code feedback}).
     *
     * @param task non-blank
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder feedbackTask(String task) {
      requireName(task, "feedback task");
      requireUnset(feedbackTask, "feedback task");
      this.feedbackTask = task;
      return this;
    }

    /**
     * Sets how long and how many finished calls stay reportable (defaults 1 hour, 100,000).
     *
     * @param window how long after a call its feedback is accepted, positive
     * @param capacity how many calls are remembered at most, at least 1
     * @return this builder
     * @throws IllegalArgumentException if a value breaks its rule
     * @throws IllegalStateException if already set
     */
    public Builder feedbackWindow(Duration window, int capacity) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero() || capacity < 1) {
        throw new IllegalArgumentException("feedback window must be positive and capacity at"
            + " least 1, got " + window + " and " + capacity);
      }
      requireUnset(feedbackWindow, "feedback window");
      this.feedbackWindow = window;
      this.feedbackCapacity = capacity;
      return this;
    }

    /**
     * Sets the clock of the circuit breakers and the feedback window (default the system UTC
     * clock). Deadlines and latencies use the monotonic {@link System#nanoTime()}.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      requireUnset(this.clock, "clock");
      this.clock = clock;
      return this;
    }

    Builder sleeper(RetryStage.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Makes the client close this when it closes (for what fromConfig creates). */
    Builder own(AutoCloseable resource) {
      owned.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /**
     * Checks the configuration and builds the client: the router is set, at least one provider
     * is registered, every mapping names a registered provider that serves its backend model,
     * and every parameter the router declares for a mapped candidate can be applied.
     *
     * @return the client
     * @throws IllegalStateException if no router or provider was given
     * @throws ConfigurationException listing every mapping or parameter that cannot be served
     */
    public RoutingClient build() {
      if (router == null) {
        throw new IllegalStateException("the routing client needs a router: call router(...)");
      }
      if (providers.isEmpty()) {
        throw new IllegalStateException("the routing client needs at least one provider: call"
            + " provider(id, provider)");
      }
      if (mappings.isEmpty()) {
        throw new IllegalStateException("the routing client maps no candidate, so it could"
            + " never call anything: call candidate(name, providerId[, backendModel]) or"
            + " candidate(\"*\", providerId)");
      }
      for (Map.Entry<String, CandidatePlan.Mapping> e : mappings.entrySet()) {
        if (!providers.containsKey(e.getValue().providerId())) {
          throw new ConfigurationException("candidate '" + e.getKey() + "' maps to provider"
              + " instance '" + e.getValue().providerId() + "', which is not registered;"
              + " registered: " + providers.keySet());
        }
      }
      return new RoutingClient(this);
    }

    private static void requireUnset(Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set to " + current);
      }
    }

    private static void requireName(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
    }
  }
}
