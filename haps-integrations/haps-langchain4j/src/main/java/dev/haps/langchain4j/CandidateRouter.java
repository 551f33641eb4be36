package dev.haps.langchain4j;

import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.RoutingText;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.CandidateCoverage;
import dev.haps.client.FeedbackRecorder;
import dev.haps.spi.TokenUsage;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link HapsChatModel} and {@link HapsStreamingChatModel} share: the candidates (bundle id
 * to the application's model and what it supports), the parameter appliers, and the steps of a
 * routed call — route on the conversation, list the candidates to try, prepare each one's
 * request, describe the result, remember it for feedback. Thread-safe once built.
 *
 * @param <M> the model type ({@code ChatModel} or {@code StreamingChatModel})
 */
final class CandidateRouter<M> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CandidateRouter.class);

  /** The candidates tried per call (the first choice and its fallbacks) unless set. */
  static final int DEFAULT_MAX_CANDIDATES = 3;

  /** One mapped candidate. */
  record Entry<M>(String id, M model, Set<CandidateFeature> features,
      ChatRequestParameters defaults, ModelProvider provider) {}

  /** The candidates to try for one request, with what routing decided. */
  record Plan(String callId, String routingText, RouteDecision decision,
      List<RankedCandidate> attempts) {}

  private final String owner;
  private final Router router;
  private final Map<String, Entry<M>> entries;
  private final Map<String, ParameterApplier> appliers;
  private final double defaultCostWeight;
  private final int maxCandidates;
  private final RoutingText routingText;
  private final FeedbackRecorder feedback;
  private final List<AutoCloseable> owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  CandidateRouter(String owner, Settings<M> s) {
    this.owner = owner;
    this.owned = new ArrayList<>();
    Router r = s.router;
    if (r == null) {
      r = s.bundle == null ? dev.haps.runtime.HapsRouter.withDefaults()
          : dev.haps.runtime.HapsRouter.builder().bundle(s.bundle).build();
      owned.add(r);
    }
    this.router = r;
    try {
      Set<String> unmapped = CandidateCoverage.check(router, s.models.keySet(), owner);
      if (!unmapped.isEmpty()) {
        LOG.info("{}: bundle {} candidates {} have no model mapped and are never chosen", owner,
            router.bundle(), unmapped);
      }
      Map<String, ParameterApplier> a = new LinkedHashMap<>(Appliers.builtIns());
      a.putAll(s.appliers);
      this.appliers = Collections.unmodifiableMap(a);
      this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(s.models));
      for (Entry<M> e : entries.values()) {
        checkParameters(e);
      }
      this.defaultCostWeight = s.costWeight;
      this.maxCandidates = s.maxCandidates;
      this.routingText = s.routingText;
      this.feedback = s.feedbackSink == null ? FeedbackRecorder.none()
          : FeedbackRecorder.open(s.feedbackSink, router, s.feedbackTask);
      owned.add(feedback);
    } catch (RuntimeException e) {
      closeOwned(e);
      throw e;
    }
  }

  /** Fails the build when a parameter the bundle generates for a candidate cannot be applied. */
  private void checkParameters(Entry<M> e) {
    ParameterSpace space = router.parameterSpace(e.id()).orElse(ParameterSpace.empty());
    List<String> unknown = new ArrayList<>();
    for (ParameterSpec spec : space.specs()) {
      ParameterApplier applier = appliers.get(spec.name());
      if (applier == null) {
        unknown.add(spec.name());
      } else {
        applier.check(e.id(), spec, e.defaults());
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigurationException(owner + ": the bundle " + router.bundle()
          + " generates " + unknown + " for candidate '" + e.id() + "', which no built-in"
          + " applier knows (built in: " + Appliers.builtIns().keySet() + "); register an"
          + " applier for each with parameter(name, applier)");
    }
  }

  Router router() {
    return router;
  }

  Map<String, Entry<M>> entries() {
    return entries;
  }

  Entry<M> entry(String id) {
    return entries.get(id);
  }

  /** Whether any candidate supports structured output. */
  boolean anySupports(CandidateFeature f) {
    for (Entry<M> e : entries.values()) {
      if (e.features().contains(f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Routes a request: candidates without a model or without a feature the request needs are
   * denied; the ranking is cut to the first {@code maxCandidates} candidates.
   */
  Plan plan(ChatRequest request) {
    checkOpen();
    ChatRequestParameters p = request.parameters();
    Set<CandidateFeature> needs = needs(p);
    Map<String, String> excluded = new LinkedHashMap<>();
    Set<String> deny = new LinkedHashSet<>();
    List<Candidate> all = router.candidates(); // once: a hot swap may change it meanwhile
    for (Candidate c : all) {
      Entry<M> e = entries.get(c.model());
      if (e == null) {
        deny.add(c.model());
        excluded.put(c.model(), "no model is mapped to it");
      } else if (!e.features().containsAll(needs)) {
        Set<CandidateFeature> missing = EnumSet.copyOf(needs);
        missing.removeAll(e.features());
        deny.add(c.model());
        excluded.put(c.model(), "the request needs " + missing + ", declared: "
            + (e.features().isEmpty() ? "none" : e.features()));
      }
    }
    if (deny.size() == all.size()) {
      throw new NoEligibleCandidateException(excluded);
    }
    double costWeight = p instanceof HapsChatRequestParameters h
        ? h.costWeightValue().orElse(defaultCostWeight) : defaultCostWeight;
    RouteRequest routeRequest = RouteRequest.builder()
        .messages(toHaps(request.messages()))
        .routingText(routingText)
        .costWeight(costWeight)
        .deny(deny)
        .build();
    RouteDecision decision = router.route(routeRequest);
    List<RankedCandidate> attempts = new ArrayList<>();
    for (RankedCandidate rc : decision.ranking()) {
      // A hot-swapped bundle may rank a candidate this model was never given: skip it.
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
    return new Plan(UUID.randomUUID().toString(), routeRequest.routingText(), decision,
        attempts);
  }

  /**
   * The request for one candidate: the caller's messages; the routed parameters applied in the
   * bundle's order; the caller's own parameters laid over them (a value the caller sets wins);
   * never the caller's model name or HAPS's own settings.
   */
  ChatRequest prepare(ChatRequest caller, RankedCandidate rc) {
    ChatRequest r = ChatRequest.builder().messages(caller.messages())
        .parameters(DefaultChatRequestParameters.EMPTY).build();
    for (Map.Entry<String, Object> v : rc.parameters().asMap().entrySet()) {
      ParameterApplier applier = appliers.get(v.getKey());
      if (applier == null) {
        throw new ConfigurationException(owner + ": the bundle " + router.bundle()
            + " generated '" + v.getKey() + "' for candidate '" + rc.model() + "', which no"
            + " applier knows (a hot-swapped bundle?); register one with parameter(name,"
            + " applier)");
      }
      r = applier.apply(r, v.getValue());
    }
    ChatRequestParameters own = callerParameters(caller.parameters());
    // own.defaultedBy keeps the richer class of the two (OpenAI's over the default one).
    return Appliers.withParameters(r, own.defaultedBy(r.parameters()));
  }

  /**
   * The caller's parameters without the model name (each candidate keeps its own) and without
   * HAPS's own class (two subclasses of the default parameters do not merge without loss).
   */
  private ChatRequestParameters callerParameters(ChatRequestParameters p) {
    boolean haps = p instanceof HapsChatRequestParameters;
    if (p.modelName() == null && !haps) {
      return p;
    }
    if (haps || p.getClass() == DefaultChatRequestParameters.class) {
      return DefaultChatRequestParameters.builder().overrideWith(p).modelName(null).build();
    }
    if (Appliers.openAiPresent() && OpenAiAppliers.isOpenAi(p)) {
      return OpenAiAppliers.withoutModelName(p);
    }
    throw new InvalidRequestException(owner + ": the request names model '" + p.modelName()
        + "' in " + p.getClass().getSimpleName() + ", but the router chooses the model; leave"
        + " modelName unset (each candidate's model keeps its own name)");
  }

  /**
   * The request as the candidate's model sends it: its default parameters (model name included)
   * under the prepared ones. Calling the model with it changes nothing, since the model merges
   * the same way.
   */
  ChatRequest asSent(ChatRequest prepared, Entry<M> e) {
    return Appliers.withParameters(prepared, e.defaults().overrideWith(prepared.parameters()));
  }

  /** Describes a successful call and remembers it for feedback. */
  RoutingInfo done(Plan plan, RankedCandidate rc, ChatResponse response, List<String> failures) {
    RoutingInfo info = new RoutingInfo(plan.callId(), rc.model(), rc.parameters(),
        plan.decision(), failures);
    if (feedback.enabled()) {
      feedback.remember(plan.callId(), plan.routingText(), rc.model(), rc.parameters(),
          Double.NaN, usage(response));
    }
    return info;
  }

  void feedback(String callId, double score) {
    Objects.requireNonNull(callId, "callId");
    checkOpen();
    feedback.record(callId, score);
  }

  static String describe(String model, Throwable t) {
    String m = t.getMessage();
    return model + ": " + t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static TokenUsage usage(ChatResponse r) {
    dev.langchain4j.model.output.TokenUsage u = r.tokenUsage();
    if (u == null) {
      return TokenUsage.NONE;
    }
    long in = u.inputTokenCount() == null ? 0 : u.inputTokenCount();
    long out = u.outputTokenCount() == null ? 0 : u.outputTokenCount();
    return new TokenUsage(Math.max(0, in), Math.max(0, out));
  }

  /** What the request needs of a model: tools, JSON mode, structured output. */
  static Set<CandidateFeature> needs(ChatRequestParameters p) {
    Set<CandidateFeature> needs = EnumSet.noneOf(CandidateFeature.class);
    if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
      needs.add(CandidateFeature.TOOLS);
    }
    ResponseFormat f = p.responseFormat();
    if (f != null && f.type() == ResponseFormatType.JSON) {
      needs.add(f.jsonSchema() == null ? CandidateFeature.JSON_RESPONSE
          : CandidateFeature.JSON_SCHEMA);
    }
    return needs;
  }

  /** The conversation in HAPS's terms: the text of each turn (images and the like dropped). */
  static List<dev.haps.api.ChatMessage> toHaps(List<ChatMessage> messages) {
    List<dev.haps.api.ChatMessage> out = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      if (m instanceof UserMessage u) {
        out.add(dev.haps.api.ChatMessage.user(userText(u)));
      } else if (m instanceof SystemMessage s) {
        out.add(dev.haps.api.ChatMessage.system(s.text()));
      } else if (m instanceof AiMessage a) {
        out.add(dev.haps.api.ChatMessage.assistant(a.text() == null ? "" : a.text()));
      } else if (m instanceof ToolExecutionResultMessage t) {
        out.add(new dev.haps.api.ChatMessage(dev.haps.api.ChatMessage.Role.TOOL,
            t.text() == null ? "" : t.text()));
      }
    }
    return out;
  }

  private static String userText(UserMessage u) {
    if (u.hasSingleText()) {
      return u.singleText();
    }
    StringBuilder sb = new StringBuilder();
    for (Content c : u.contents()) {
      if (c instanceof TextContent t) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(owner + " is closed; build a new one");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeOwned(null);
    }
  }

  private void closeOwned(RuntimeException primary) {
    RuntimeException failure = primary;
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + owner + " failed: " + e, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null && failure != primary) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return owner + "{bundle=" + router.bundle() + ", candidates=" + entries.keySet()
        + ", costWeight=" + defaultCostWeight + ", maxCandidates=" + maxCandidates + "}";
  }

  /** The builder settings both models share; each option can be set once. */
  static final class Settings<M> {
    Router router;
    Path bundle;
    final Map<String, Entry<M>> models = new LinkedHashMap<>();
    final Map<String, ParameterApplier> appliers = new LinkedHashMap<>();
    double costWeight = RouteRequest.DEFAULT_COST_WEIGHT;
    private boolean costWeightSet;
    int maxCandidates = DEFAULT_MAX_CANDIDATES;
    private boolean maxCandidatesSet;
    RoutingText routingText = RoutingText.LAST_USER_TURN;
    private boolean routingTextSet;
    Path feedbackSink;
    String feedbackTask = "feedback";
    private boolean feedbackTaskSet;

    void router(Router r) {
      Objects.requireNonNull(r, "router");
      once(router == null && bundle == null, "router or bundle", router != null ? router : bundle);
      this.router = r;
    }

    void bundle(Path p) {
      Objects.requireNonNull(p, "bundle");
      once(router == null && bundle == null, "router or bundle", router != null ? router : bundle);
      this.bundle = p;
    }

    void candidate(String id, M model, Set<CandidateFeature> features,
        ChatRequestParameters defaults, ModelProvider provider) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("candidate id must not be blank: use the bundle"
            + " candidate's id, e.g. \"gpt-4\"");
      }
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(features, "features");
      Set<CandidateFeature> f = features.isEmpty() ? Set.of() : Collections.unmodifiableSet(
          EnumSet.copyOf(features));
      if (models.putIfAbsent(id, new Entry<>(id, model, f,
          defaults == null ? DefaultChatRequestParameters.EMPTY : defaults,
          provider == null ? ModelProvider.OTHER : provider)) != null) {
        throw new IllegalStateException("candidate '" + id + "' already has a model; map each"
            + " candidate once");
      }
    }

    void costWeight(double w) {
      once(!costWeightSet, "costWeight", costWeight);
      if (!(w >= 0 && w <= 1)) {
        throw new IllegalArgumentException("cost weight " + w + " is outside [0, 1]: use 0 for"
            + " quality only, 1 for cost first");
      }
      this.costWeight = w;
      this.costWeightSet = true;
    }

    void maxCandidates(int n) {
      once(!maxCandidatesSet, "maxCandidates", maxCandidates);
      if (n < 1) {
        throw new IllegalArgumentException("maxCandidates " + n + " must be at least 1 (1 = no"
            + " fallback)");
      }
      this.maxCandidates = n;
      this.maxCandidatesSet = true;
    }

    void routingText(RoutingText t) {
      once(!routingTextSet, "routingText", routingText);
      this.routingText = Objects.requireNonNull(t, "routingText");
      this.routingTextSet = true;
    }

    void parameter(String name, ParameterApplier applier) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("parameter name must not be blank");
      }
      Objects.requireNonNull(applier, "applier");
      if (appliers.putIfAbsent(name, applier) != null) {
        throw new IllegalStateException("parameter '" + name + "' already has an applier;"
            + " register one per parameter");
      }
    }

    void feedbackSink(Path p) {
      Objects.requireNonNull(p, "feedbackSink");
      once(feedbackSink == null, "feedbackSink", feedbackSink);
      this.feedbackSink = p;
    }

    void feedbackTask(String t) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("feedback task must not be blank");
      }
      once(!feedbackTaskSet, "feedbackTask", feedbackTask);
      this.feedbackTask = t;
      this.feedbackTaskSet = true;
    }

    private static void once(boolean unset, String option, Object current) {
      if (!unset) {
        throw new IllegalStateException(option + " is already set (to " + current + "); set"
            + " each option once");
      }
    }
  }
}
