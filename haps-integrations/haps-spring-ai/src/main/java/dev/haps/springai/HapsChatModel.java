package dev.haps.springai;

import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.RoutingText;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.client.CandidateCoverage;
import dev.haps.client.FeedbackRecorder;
import dev.haps.runtime.HapsRouter;
import dev.haps.spi.TokenUsage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;

/**
 * A Spring AI {@link ChatModel} that routes each prompt, with HAPS, to one of the application's
 * own {@code ChatModel}s <em>and</em> that model's options. Code that uses a {@code ChatModel} or
 * a {@code ChatClient} works unchanged; with the Spring Boot starter it is the {@code @Primary}
 * {@code ChatModel}, so {@code ChatClient.Builder} picks it up.
 *
 * <pre>{@code
 * ChatModel routed = HapsChatModel.builder()
 *     .router(router)                               // or .bundle(path); default: the SDK's bundle
 *     .candidate("gpt-4", gpt4oChatModel)           // bundle candidate id -> your ChatModel
 *     .candidate("mixtral-8x7b", mixtralChatModel, Set.of())  // no tools, no JSON
 *     .costWeight(0.3)
 *     .observationRegistry(observationRegistry)
 *     .build();
 * String answer = ChatClient.create(routed).prompt("Prove that sqrt(2) is irrational.").call().content();
 * }</pre>
 *
 * <p><b>Per prompt</b>: the conversation is routed (by default on its last user turn) at the
 * prompt's cost weight ({@link HapsChatOptions}) or the builder's; candidates with no model, or
 * without a {@link CandidateFeature} the prompt needs (tools, an OpenAI JSON response format),
 * are denied. The chosen model is called with a copy of the prompt's options (its model name
 * cleared, so the model's own applies) in which the generated parameters fill what the caller
 * left unset: the common {@link ChatOptions}, OpenAI's {@code OpenAiChatOptions} (reasoning
 * effort, seed) and a system message ({@code prompt_style}). If the call throws, the next ranked
 * candidate is called with its own parameters, up to {@link Builder#maxCandidates(int)}; when
 * all fail, the last error is thrown with the earlier ones suppressed. A stream falls back only
 * before its first response. Each response's metadata carries the routing under
 * {@link #ROUTING_METADATA_KEY} (see {@link #routingOf(ChatResponse)}).
 *
 * <p><b>Observations</b> ({@link HapsObservations}): {@code haps.chat} around the whole call and
 * {@code haps.routing} around routing, tagged with the chosen and the answering model; the chosen
 * model's own {@code gen_ai.client.operation} observation runs inside {@code haps.chat}.
 *
 * <p><b>Coverage</b>: every mapped id must be a candidate of the bundle, or {@link
 * Builder#build()} fails saying how to cover the model; bundle candidates left unmapped are never
 * chosen; every parameter the bundle generates for a mapped candidate must be applicable.
 *
 * <p>Thread-safe. {@link #close()} closes what the builder created (the router of a bundle path
 * or the default bundle, the feedback log).
 *
 * @since 0.1.0
 */
public final class HapsChatModel implements ChatModel, AutoCloseable {

  /** The response-metadata key under which each response carries its {@link RoutingInfo}. */
  public static final String ROUTING_METADATA_KEY = "haps.routing";

  /** The candidates tried per call (the first choice and its fallbacks) unless set. */
  public static final int DEFAULT_MAX_CANDIDATES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(HapsChatModel.class);

  /** One mapped candidate. */
  private record Entry(String id, ChatModel model, Set<CandidateFeature> features) {}

  /** What routing decided for one prompt, and the candidates to try. */
  private record Plan(String callId, String routingText, RouteDecision decision,
      List<RankedCandidate> attempts) {}

  private final Router router;
  private final Map<String, Entry> entries;
  private final Map<String, ParameterApplier> builtIns = Appliers.builtIns();
  private final Map<String, ParameterApplier> appliers;
  private final double defaultCostWeight;
  private final int maxCandidates;
  private final RoutingText routingText;
  private final FeedbackRecorder feedback;
  private final ObservationRegistry observations;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private HapsChatModel(Builder b) {
    Router r = b.router;
    if (r == null) {
      r = b.bundle == null ? HapsRouter.withDefaults() : HapsRouter.builder().bundle(b.bundle)
          .build();
      owned.add(r);
    }
    this.router = r;
    try {
      Set<String> unmapped = CandidateCoverage.check(router, b.entries.keySet(), "HapsChatModel");
      if (!unmapped.isEmpty()) {
        LOG.info("HapsChatModel: bundle {} candidates {} have no model mapped and are never"
            + " chosen", router.bundle(), unmapped);
      }
      Map<String, ParameterApplier> a = new LinkedHashMap<>(builtIns);
      a.putAll(b.appliers);
      this.appliers = Collections.unmodifiableMap(a);
      this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(b.entries));
      for (Entry e : entries.values()) {
        checkParameters(e);
      }
      this.defaultCostWeight = b.costWeight == null ? RouteRequest.DEFAULT_COST_WEIGHT
          : b.costWeight;
      this.maxCandidates = b.maxCandidates == 0 ? DEFAULT_MAX_CANDIDATES : b.maxCandidates;
      this.routingText = b.routingText == null ? RoutingText.LAST_USER_TURN : b.routingText;
      this.observations = b.observations == null ? ObservationRegistry.NOOP : b.observations;
      this.feedback = b.feedbackSink == null ? FeedbackRecorder.none()
          : FeedbackRecorder.open(b.feedbackSink, router, b.feedbackTask == null ? "feedback"
              : b.feedbackTask);
      owned.add(feedback);
    } catch (RuntimeException e) {
      closeOwned(e);
      throw e;
    }
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
   * The routing of a response, when HAPS routed it.
   *
   * @param response a response
   * @return the routing, or empty when the response does not come from a HAPS model
   */
  public static Optional<RoutingInfo> routingOf(ChatResponse response) {
    Objects.requireNonNull(response, "response");
    ChatResponseMetadata m = response.getMetadata();
    Object info = m == null ? null : m.get(ROUTING_METADATA_KEY);
    return info instanceof RoutingInfo r ? Optional.of(r) : Optional.empty();
  }

  private void checkParameters(Entry e) {
    ParameterSpace space = router.parameterSpace(e.id()).orElse(ParameterSpace.empty());
    List<String> unknown = new ArrayList<>();
    for (ParameterSpec spec : space.specs()) {
      ParameterApplier applier = appliers.get(spec.name());
      if (applier == null) {
        unknown.add(spec.name());
      } else {
        applier.check(e.id(), spec, e.model());
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigurationException("HapsChatModel: the bundle " + router.bundle()
          + " generates " + unknown + " for candidate '" + e.id() + "', which no built-in"
          + " applier knows (built in: " + Appliers.builtIns().keySet() + "); register an"
          + " applier for each with parameter(name, applier)");
    }
  }

  /**
   * Routes the prompt and calls the chosen model, falling back to the next ranked ones.
   *
   * @param prompt the prompt
   * @return the chosen model's response, with {@link #ROUTING_METADATA_KEY} in its metadata
   * @throws NoEligibleCandidateException if no mapped candidate supports what the prompt needs
   * @throws dev.haps.api.error.InvalidRequestException if the conversation has no user text
   * @throws RuntimeException the last candidate's error when every candidate tried failed
   * @throws IllegalStateException if the model is closed
   */
  @Override
  public ChatResponse call(Prompt prompt) {
    Objects.requireNonNull(prompt, "prompt");
    Observation chat = chatObservation(false).start();
    Observation.Scope scope = chat.openScope(); // the chosen model's observation nests in it
    try {
      Plan plan = plan(prompt, chat);
      List<String> failures = new ArrayList<>();
      RuntimeException last = null;
      for (RankedCandidate rc : plan.attempts()) {
        if (last != null && Thread.currentThread().isInterrupted()) {
          break;
        }
        try {
          ChatResponse r = entries.get(rc.model()).model().call(prepare(prompt, rc));
          RoutingInfo info = info(plan, rc, failures);
          remember(plan, rc, r == null ? null : r.getMetadata());
          answered(chat, info);
          return withRouting(r, info);
        } catch (RuntimeException ex) {
          failures.add(describe(rc.model(), ex));
          if (last != null) {
            ex.addSuppressed(last);
          }
          last = ex;
        }
      }
      chat.lowCardinalityKeyValue(HapsObservations.ANSWERED_MODEL, "none");
      throw last;
    } catch (RuntimeException e) {
      chat.error(e);
      throw e;
    } finally {
      scope.close();
      chat.stop();
    }
  }

  /**
   * Routes the prompt and streams the chosen model's answer. Routing happens on subscription; a
   * candidate that fails before its first response is replaced by the next ranked one.
   *
   * @param prompt the prompt
   * @return the responses, each with {@link #ROUTING_METADATA_KEY} in its metadata
   */
  @Override
  public Flux<ChatResponse> stream(Prompt prompt) {
    Objects.requireNonNull(prompt, "prompt");
    return Flux.defer(() -> {
      Observation chat = chatObservation(true).start();
      Plan plan;
      try {
        plan = plan(prompt, chat);
      } catch (RuntimeException e) {
        chat.lowCardinalityKeyValue(HapsObservations.ANSWERED_MODEL, "none");
        chat.error(e);
        chat.stop();
        return Flux.error(e);
      }
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      AtomicReference<RoutingInfo> answered = new AtomicReference<>();
      return attempt(prompt, plan, 0, failures, answered)
          .doOnComplete(() -> {
            RoutingInfo info = answered.get();
            if (info != null) {
              answered(chat, info);
            }
          })
          .doOnError(chat::error)
          .doFinally(signal -> chat.stop())
          .contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, chat));
    });
  }

  private Flux<ChatResponse> attempt(Prompt prompt, Plan plan, int i, List<String> failures,
      AtomicReference<RoutingInfo> answered) {
    RankedCandidate rc = plan.attempts().get(i);
    AtomicBoolean delivered = new AtomicBoolean();
    AtomicReference<ChatResponseMetadata> lastMetadata = new AtomicReference<>();
    RoutingInfo[] info = new RoutingInfo[1];
    return Flux.defer(() -> entries.get(rc.model()).model().stream(prepare(prompt, rc)))
        .map(r -> {
          if (info[0] == null) {
            info[0] = info(plan, rc, failures);
            answered.set(info[0]);
          }
          delivered.set(true);
          if (r.getMetadata() != null && r.getMetadata().getUsage() != null) {
            lastMetadata.set(r.getMetadata());
          }
          return withRouting(r, info[0]);
        })
        .doOnComplete(() -> remember(plan, rc, lastMetadata.get()))
        .onErrorResume(e -> {
          if (delivered.get() || i + 1 >= plan.attempts().size()) {
            return Flux.error(e);
          }
          failures.add(describe(rc.model(), e));
          return attempt(prompt, plan, i + 1, failures, answered);
        });
  }

  /**
   * Options for a {@code ChatClient} built on this model: {@link HapsChatOptions} with the
   * default cost weight (a fresh copy each time).
   *
   * @return the options
   */
  @Override
  public ChatOptions getDefaultOptions() {
    return HapsChatOptions.costWeight(defaultCostWeight);
  }

  /**
   * Reports how good a routed answer was: appends one line to the feedback outcome log (the
   * routing text, the candidate that answered with its parameters, the score, the tokens), for
   * retraining. Each call can be reported once, within an hour.
   *
   * @param callId {@link RoutingInfo#callId()} of the response
   * @param score the quality in [0, 1]
   * @throws ConfigurationException if no feedback log is configured
   * @throws dev.haps.api.error.InvalidRequestException if the score is outside [0, 1] or the
   *     call is unknown, already reported, or too old
   */
  public void feedback(String callId, double score) {
    Objects.requireNonNull(callId, "callId");
    checkOpen();
    feedback.record(callId, score);
  }

  /**
   * The router deciding.
   *
   * @return the router
   */
  public Router router() {
    return router;
  }

  /**
   * The bundle candidates this model routes to, in mapping order.
   *
   * @return an unmodifiable set of candidate ids
   */
  public Set<String> candidates() {
    return entries.keySet();
  }

  /** Closes what the builder created; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeOwned(null);
    }
  }

  @Override
  public String toString() {
    return "HapsChatModel{bundle=" + router.bundle() + ", candidates=" + entries.keySet()
        + ", costWeight=" + defaultCostWeight + ", maxCandidates=" + maxCandidates + "}";
  }

  // ---- the steps of a routed call ----

  private Plan plan(Prompt prompt, Observation chat) {
    checkOpen();
    ChatOptions options = prompt.getOptions();
    Set<CandidateFeature> needs = needs(options);
    Map<String, String> excluded = new LinkedHashMap<>();
    Set<String> deny = new LinkedHashSet<>();
    List<Candidate> all = router.candidates();
    for (Candidate c : all) {
      Entry e = entries.get(c.model());
      if (e == null) {
        deny.add(c.model());
        excluded.put(c.model(), "no model is mapped to it");
      } else if (!e.features().containsAll(needs)) {
        Set<CandidateFeature> missing = EnumSet.copyOf(needs);
        missing.removeAll(e.features());
        deny.add(c.model());
        excluded.put(c.model(), "the prompt needs " + missing + ", declared: "
            + (e.features().isEmpty() ? "none" : e.features()));
      }
    }
    if (deny.size() == all.size()) {
      throw new NoEligibleCandidateException(excluded);
    }
    RouteRequest request = RouteRequest.builder()
        .messages(toHaps(prompt.getInstructions()))
        .routingText(routingText)
        .costWeight(HapsChatOptions.costWeightOf(options, defaultCostWeight))
        .deny(deny)
        .build();
    Observation routing = Observation.createNotStarted(HapsObservations.ROUTING, observations)
        .contextualName("haps routing")
        .lowCardinalityKeyValue(HapsObservations.BUNDLE, router.bundle().toString())
        .parentObservation(chat)
        .start();
    RouteDecision decision;
    try {
      decision = router.route(request);
      routing.lowCardinalityKeyValue(HapsObservations.CHOSEN_MODEL, decision.model())
          .highCardinalityKeyValue(HapsObservations.PARAMETERS, decision.parameters().toString())
          .highCardinalityKeyValue(HapsObservations.PROBABILITY,
              String.valueOf(decision.chosen().probability()));
    } catch (RuntimeException e) {
      routing.error(e);
      throw e;
    } finally {
      routing.stop();
    }
    chat.lowCardinalityKeyValue(HapsObservations.CHOSEN_MODEL, decision.model());
    List<RankedCandidate> attempts = new ArrayList<>();
    for (RankedCandidate rc : decision.ranking()) {
      if (entries.containsKey(rc.model()) && !deny.contains(rc.model())) {
        attempts.add(rc);
        if (attempts.size() == maxCandidates) {
          break;
        }
      }
    }
    if (attempts.isEmpty()) {
      throw new NoEligibleCandidateException(excluded);
    }
    return new Plan(UUID.randomUUID().toString(), request.routingText(), decision, attempts);
  }

  /** The prompt for one candidate: a private copy of the options, then the routed values. */
  private Prompt prepare(Prompt caller, RankedCandidate rc) {
    boolean openAi = false;
    for (String name : rc.parameters().names()) {
      // OpenAI's options class only when a built-in OpenAI applier will need it.
      openAi |= Appliers.OPENAI_ONLY.contains(name) && appliers.get(name) == builtIns.get(name);
    }
    ToolCallingChatOptions options = Appliers.copyFor(caller.getOptions(), openAi);
    Prompt p = new Prompt(caller.getInstructions(), options);
    for (Map.Entry<String, Object> v : rc.parameters().asMap().entrySet()) {
      ParameterApplier applier = appliers.get(v.getKey());
      if (applier == null) {
        throw new ConfigurationException("HapsChatModel: the bundle " + router.bundle()
            + " generated '" + v.getKey() + "' for candidate '" + rc.model() + "', which no"
            + " applier knows (a hot-swapped bundle?); register one with parameter(name,"
            + " applier)");
      }
      p = applier.apply(p, v.getValue());
    }
    return p;
  }

  private RoutingInfo info(Plan plan, RankedCandidate rc, List<String> failures) {
    return new RoutingInfo(plan.callId(), rc.model(), rc.parameters(), plan.decision(),
        new ArrayList<>(failures));
  }

  private void remember(Plan plan, RankedCandidate rc, ChatResponseMetadata metadata) {
    if (feedback.enabled()) {
      feedback.remember(plan.callId(), plan.routingText(), rc.model(), rc.parameters(),
          Double.NaN, usage(metadata));
    }
  }

  private static void answered(Observation chat, RoutingInfo info) {
    chat.lowCardinalityKeyValue(HapsObservations.ANSWERED_MODEL, info.model())
        .lowCardinalityKeyValue(HapsObservations.FALLBACK, String.valueOf(info.fellBack()))
        .highCardinalityKeyValue(HapsObservations.PARAMETERS, info.parameters().toString());
  }

  private Observation chatObservation(boolean stream) {
    return Observation.createNotStarted(HapsObservations.CHAT, observations)
        .contextualName("haps chat")
        .lowCardinalityKeyValue(HapsObservations.OPERATION, "chat")
        .lowCardinalityKeyValue(HapsObservations.SYSTEM, "haps")
        .lowCardinalityKeyValue(HapsObservations.BUNDLE, router.bundle().toString())
        .lowCardinalityKeyValue(HapsObservations.STREAM, String.valueOf(stream))
        .lowCardinalityKeyValue(HapsObservations.CHOSEN_MODEL, "none")
        .lowCardinalityKeyValue(HapsObservations.ANSWERED_MODEL, "none")
        .lowCardinalityKeyValue(HapsObservations.FALLBACK, "false");
  }

  private static ChatResponse withRouting(ChatResponse r, RoutingInfo info) {
    ChatResponseMetadata m = r.getMetadata();
    ChatResponseMetadata.Builder b = ChatResponseMetadata.builder();
    if (m != null) {
      for (Map.Entry<String, Object> e : m.entrySet()) {
        b.keyValue(e.getKey(), e.getValue());
      }
      b.id(m.getId()).model(m.getModel()).rateLimit(m.getRateLimit()).usage(m.getUsage())
          .promptMetadata(m.getPromptMetadata());
    }
    b.keyValue(ROUTING_METADATA_KEY, info);
    return ChatResponse.builder().from(r).metadata(b.build()).build();
  }

  private static TokenUsage usage(ChatResponseMetadata m) {
    Usage u = m == null ? null : m.getUsage();
    if (u == null) {
      return TokenUsage.NONE;
    }
    long in = u.getPromptTokens() == null ? 0 : Math.max(0, u.getPromptTokens());
    long out = u.getCompletionTokens() == null ? 0 : Math.max(0, u.getCompletionTokens());
    return new TokenUsage(in, out);
  }

  private static String describe(String model, Throwable t) {
    String m = t.getMessage();
    return model + ": " + t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static Set<CandidateFeature> needs(ChatOptions o) {
    Set<CandidateFeature> needs = EnumSet.noneOf(CandidateFeature.class);
    if (o instanceof ToolCallingChatOptions t
        && ((t.getToolCallbacks() != null && !t.getToolCallbacks().isEmpty())
        || (t.getToolNames() != null && !t.getToolNames().isEmpty()))) {
      needs.add(CandidateFeature.TOOLS);
    }
    if (Appliers.OPENAI) {
      CandidateFeature f = OpenAiAppliers.responseFormat(o);
      if (f != null) {
        needs.add(f);
      }
    }
    return needs;
  }

  static List<dev.haps.api.ChatMessage> toHaps(List<Message> messages) {
    List<dev.haps.api.ChatMessage> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      String text = m.getText() == null ? "" : m.getText();
      MessageType t = m.getMessageType();
      switch (t) {
        case USER -> out.add(dev.haps.api.ChatMessage.user(text));
        case SYSTEM -> out.add(dev.haps.api.ChatMessage.system(text));
        case ASSISTANT -> out.add(dev.haps.api.ChatMessage.assistant(text));
        case TOOL -> out.add(new dev.haps.api.ChatMessage(dev.haps.api.ChatMessage.Role.TOOL,
            text));
      }
    }
    return out;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("HapsChatModel is closed; build a new one");
    }
  }

  private void closeOwned(RuntimeException primary) {
    RuntimeException failure = primary;
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing HapsChatModel failed: " + e, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null && failure != primary) {
      throw failure;
    }
  }

  /**
   * Builds a {@link HapsChatModel}; each option can be set once, and {@link #build()} checks the
   * whole configuration against the bundle. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Router router;
    private Path bundle;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, ParameterApplier> appliers = new LinkedHashMap<>();
    private Double costWeight;
    private int maxCandidates;
    private RoutingText routingText;
    private ObservationRegistry observations;
    private Path feedbackSink;
    private String feedbackTask;

    private Builder() {}

    /**
     * Routes with this router (not closed by the model). Without a router or a bundle, the
     * SDK's default bundle is loaded.
     *
     * @param router the router
     * @return this builder
     * @throws IllegalStateException if a router or bundle is already set
     */
    public Builder router(Router router) {
      Objects.requireNonNull(router, "router");
      once(this.router == null && bundle == null, "router or bundle");
      this.router = router;
      return this;
    }

    /**
     * Routes with the bundle at a path (a directory or zip), loaded on the default encoder and
     * closed with the model.
     *
     * @param bundle the bundle
     * @return this builder
     * @throws IllegalStateException if a router or bundle is already set
     */
    public Builder bundle(Path bundle) {
      Objects.requireNonNull(bundle, "bundle");
      once(router == null && this.bundle == null, "router or bundle");
      this.bundle = bundle;
      return this;
    }

    /**
     * Maps a bundle candidate to one of your chat models, declared with every
     * {@link CandidateFeature}.
     *
     * @param candidateId the candidate's id in the bundle
     * @param model your model
     * @return this builder
     * @throws IllegalStateException if the candidate already has a model
     */
    public Builder candidate(String candidateId, ChatModel model) {
      return candidate(candidateId, model, CandidateFeature.all());
    }

    /**
     * Maps a bundle candidate to one of your chat models, declared with what it supports:
     * prompts that need tools or JSON are never sent to it unless declared here.
     *
     * @param candidateId the candidate's id in the bundle
     * @param model your model
     * @param features what it supports; empty for plain chat only
     * @return this builder
     * @throws IllegalStateException if the candidate already has a model
     * @throws IllegalArgumentException if the model is a {@link HapsChatModel} (it would route
     *     to itself)
     */
    public Builder candidate(String candidateId, ChatModel model,
        Set<CandidateFeature> features) {
      if (candidateId == null || candidateId.isBlank()) {
        throw new IllegalArgumentException("candidate id must not be blank: use the bundle"
            + " candidate's id, e.g. \"gpt-4\"");
      }
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(features, "features");
      if (model instanceof HapsChatModel) {
        throw new IllegalArgumentException("candidate '" + candidateId + "' is a HapsChatModel;"
            + " map your own chat models, not a routed one");
      }
      Set<CandidateFeature> f = features.isEmpty() ? Set.of()
          : Collections.unmodifiableSet(EnumSet.copyOf(features));
      if (entries.putIfAbsent(candidateId, new Entry(candidateId, model, f)) != null) {
        throw new IllegalStateException("candidate '" + candidateId + "' already has a model;"
            + " map each candidate once");
      }
      return this;
    }

    /**
     * Sets the cost weight of prompts that carry none (default 0.5).
     *
     * @param costWeight in [0, 1]: 0 = quality only, 1 = cost first
     * @return this builder
     * @throws IllegalArgumentException if outside [0, 1]
     */
    public Builder costWeight(double costWeight) {
      once(this.costWeight == null, "costWeight");
      if (!(costWeight >= 0 && costWeight <= 1)) {
        throw new IllegalArgumentException("cost weight " + costWeight + " is outside [0, 1]:"
            + " use 0 for quality only, 1 for cost first");
      }
      this.costWeight = costWeight;
      return this;
    }

    /**
     * Sets how many candidates a call tries at most: the first choice and its fallbacks
     * (default {@value HapsChatModel#DEFAULT_MAX_CANDIDATES}).
     *
     * @param n at least 1; 1 turns fallback off
     * @return this builder
     */
    public Builder maxCandidates(int n) {
      once(maxCandidates == 0, "maxCandidates");
      if (n < 1) {
        throw new IllegalArgumentException("maxCandidates " + n + " must be at least 1 (1 = no"
            + " fallback)");
      }
      this.maxCandidates = n;
      return this;
    }

    /**
     * Sets which part of the conversation routing reads (default: the last user turn).
     *
     * @param routingText the policy
     * @return this builder
     */
    public Builder routingText(RoutingText routingText) {
      Objects.requireNonNull(routingText, "routingText");
      once(this.routingText == null, "routingText");
      this.routingText = routingText;
      return this;
    }

    /**
     * Registers how to apply a routed parameter; replaces the built-in applier of that name.
     *
     * @param name the parameter's name in the bundle
     * @param applier the applier
     * @return this builder
     */
    public Builder parameter(String name, ParameterApplier applier) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("parameter name must not be blank");
      }
      Objects.requireNonNull(applier, "applier");
      if (appliers.putIfAbsent(name, applier) != null) {
        throw new IllegalStateException("parameter '" + name + "' already has an applier;"
            + " register one per parameter");
      }
      return this;
    }

    /**
     * Records {@link HapsObservations} in this registry (default: none).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      once(observations == null, "observationRegistry");
      this.observations = registry;
      return this;
    }

    /**
     * Appends reported feedback to this outcome log, for retraining. Default: no feedback.
     *
     * @param outcomesJsonl the {@code outcomes.jsonl} file; folders are created
     * @return this builder
     */
    public Builder feedbackSink(Path outcomesJsonl) {
      Objects.requireNonNull(outcomesJsonl, "outcomesJsonl");
      once(feedbackSink == null, "feedbackSink");
      this.feedbackSink = outcomesJsonl;
      return this;
    }

    /**
     * Sets the {@code task} written on each feedback line (default {@code "feedback"}).
     *
     * @param task the task name
     * @return this builder
     */
    public Builder feedbackTask(String task) {
      if (task == null || task.isBlank()) {
        throw new IllegalArgumentException("feedback task must not be blank");
      }
      once(feedbackTask == null, "feedbackTask");
      this.feedbackTask = task;
      return this;
    }

    /**
     * Builds the model, checking the mapping and the parameters against the bundle.
     *
     * @return the model
     * @throws ConfigurationException if no model is mapped, a mapped id is not a candidate of the
     *     bundle, or a generated parameter cannot be applied to its model
     */
    public HapsChatModel build() {
      return new HapsChatModel(this);
    }

    private static void once(boolean unset, String option) {
      if (!unset) {
        throw new IllegalStateException(option + " is already set; set each option once");
      }
    }
  }
}
