package dev.haps.langchain4j;

import dev.haps.api.RankedCandidate;
import dev.haps.api.Router;
import dev.haps.api.RoutingText;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A LangChain4j {@link StreamingChatModel} that routes each request, with HAPS, to one of the
 * application's own streaming models and that model's parameters; {@link HapsChatModel}'s
 * streaming twin, with the same builder, routing, parameters, coverage checks and feedback.
 *
 * <pre>{@code
 * StreamingChatModel routed = HapsStreamingChatModel.builder()
 *     .router(router)
 *     .candidate("gpt-4", gpt4oStreaming)
 *     .candidate("mixtral-8x7b", mixtralStreaming)
 *     .build();
 * routed.chat("Tell me a story", handler);
 * }</pre>
 *
 * <p><b>Fallback</b> happens only before the first partial output (text, thinking or a tool
 * call) reaches the handler: a candidate that fails before then is replaced by the next ranked
 * one, with its own parameters; a stream that breaks after output was delivered ends with
 * {@code onError}. Routing errors (no candidate supports what the request needs, no user text)
 * also arrive through {@code onError}. The complete response carries
 * {@link HapsChatResponseMetadata}.
 *
 * <p>Thread-safe: share one instance. Callbacks run on the chosen model's threads.
 *
 * @since 0.1.0
 */
public final class HapsStreamingChatModel implements StreamingChatModel, AutoCloseable {

  private final CandidateRouter<StreamingChatModel> core;
  private final List<ChatModelListener> listeners;
  private final ChatRequestParameters defaults;
  private final Set<Capability> capabilities;

  private HapsStreamingChatModel(Builder b) {
    this.core = new CandidateRouter<>("HapsStreamingChatModel", b.settings);
    this.listeners = List.copyOf(b.listeners);
    this.defaults = ChatRequestParameters.builder().modelName("haps").build();
    this.capabilities = core.anySupports(CandidateFeature.JSON_SCHEMA)
        ? Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA) : Set.of();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, ChatRequestOptions.EMPTY, handler);
  }

  /**
   * Routes the request and streams the chosen model's answer to the handler.
   *
   * @param request the request
   * @param options listener attributes, passed on to the chosen model
   * @param handler receives the partial and complete responses, or the error
   */
  @Override
  public void chat(ChatRequest request, ChatRequestOptions options,
      StreamingChatResponseHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    start(request, options == null ? ChatRequestOptions.EMPTY : options, handler, listeners);
  }

  /**
   * Routes and streams without notifying this model's listeners.
   *
   * @param request the request
   * @param handler the handler
   */
  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    start(request, ChatRequestOptions.EMPTY, handler, List.of());
  }

  private void start(ChatRequest request, ChatRequestOptions options,
      StreamingChatResponseHandler handler, List<ChatModelListener> notify) {
    CandidateRouter.Plan plan;
    try {
      plan = core.plan(request);
    } catch (RuntimeException e) {
      handler.onError(e);
      return;
    }
    new Call(request, options, handler, notify, plan).attempt(0, null);
  }

  /** One routed streaming call: its attempts in rank order. */
  private final class Call {
    private final ChatRequest request;
    private final ChatRequestOptions options;
    private final StreamingChatResponseHandler handler;
    private final List<ChatModelListener> notify;
    private final CandidateRouter.Plan plan;
    private final List<String> failures = new CopyOnWriteArrayList<>();

    Call(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler,
        List<ChatModelListener> notify, CandidateRouter.Plan plan) {
      this.request = request;
      this.options = options;
      this.handler = handler;
      this.notify = notify;
      this.plan = plan;
    }

    void attempt(int i, Throwable previous) {
      RankedCandidate rc = plan.attempts().get(i);
      CandidateRouter.Entry<StreamingChatModel> e = core.entry(rc.model());
      Map<Object, Object> attributes = new ConcurrentHashMap<>(options.listenerAttributes());
      ChatRequest prepared;
      try {
        prepared = core.prepare(request, rc);
        if (!notify.isEmpty()) {
          prepared = core.asSent(prepared, e);
        }
      } catch (RuntimeException ex) {
        failed(i, rc, ex, previous, false);
        return;
      }
      Listeners.onRequest(notify, prepared, e.provider(), attributes);
      Forwarder f = new Forwarder(i, rc, prepared, e.provider(), attributes, previous);
      try {
        e.model().chat(prepared, options, f);
      } catch (RuntimeException ex) {
        f.onError(ex);
      }
    }

    /** Moves on to the next candidate, or reports the error when there is none or output left. */
    void failed(int i, RankedCandidate rc, Throwable error, Throwable previous,
        boolean delivered) {
      failures.add(CandidateRouter.describe(rc.model(), error));
      if (previous != null && previous != error) {
        error.addSuppressed(previous);
      }
      if (!delivered && i + 1 < plan.attempts().size()
          && !Thread.currentThread().isInterrupted()) {
        attempt(i + 1, error);
      } else {
        handler.onError(error);
      }
    }

    /** Passes one attempt's stream on to the caller's handler, noting whether output went out. */
    private final class Forwarder implements StreamingChatResponseHandler {
      private final int index;
      private final RankedCandidate rc;
      private final ChatRequest prepared;
      private final ModelProvider provider;
      private final Map<Object, Object> attributes;
      private final Throwable previous;
      private volatile boolean delivered;
      private volatile boolean finished;

      Forwarder(int index, RankedCandidate rc, ChatRequest prepared, ModelProvider provider,
          Map<Object, Object> attributes, Throwable previous) {
        this.index = index;
        this.rc = rc;
        this.prepared = prepared;
        this.provider = provider;
        this.attributes = attributes;
        this.previous = previous;
      }

      @Override
      public void onPartialResponse(String partialResponse) {
        delivered = true;
        handler.onPartialResponse(partialResponse);
      }

      @Override
      public void onPartialResponse(PartialResponse partialResponse,
          PartialResponseContext context) {
        delivered = true;
        handler.onPartialResponse(partialResponse, context);
      }

      @Override
      public void onPartialThinking(PartialThinking partialThinking) {
        delivered = true;
        handler.onPartialThinking(partialThinking);
      }

      @Override
      public void onPartialThinking(PartialThinking partialThinking,
          PartialThinkingContext context) {
        delivered = true;
        handler.onPartialThinking(partialThinking, context);
      }

      @Override
      public void onPartialToolCall(PartialToolCall partialToolCall) {
        delivered = true;
        handler.onPartialToolCall(partialToolCall);
      }

      @Override
      public void onPartialToolCall(PartialToolCall partialToolCall,
          PartialToolCallContext context) {
        delivered = true;
        handler.onPartialToolCall(partialToolCall, context);
      }

      @Override
      public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        delivered = true;
        handler.onCompleteToolCall(completeToolCall);
      }

      @Override
      public void onUnmappedRawEvent(Object rawEvent) {
        handler.onUnmappedRawEvent(rawEvent);
      }

      @Override
      public void onCompleteResponse(ChatResponse r) {
        if (finished) {
          return;
        }
        finished = true;
        ChatResponse out;
        try {
          RoutingInfo info = core.done(plan, rc, r, new ArrayList<>(failures));
          out = ChatResponse.builder().aiMessage(r.aiMessage())
              .metadata(HapsChatResponseMetadata.of(r.metadata(), info)).build();
        } catch (RuntimeException ex) {
          handler.onError(ex);
          return;
        }
        Listeners.onResponse(notify, out, prepared, provider, attributes);
        handler.onCompleteResponse(out);
      }

      @Override
      public void onError(Throwable error) {
        if (finished) {
          return;
        }
        finished = true;
        Listeners.onError(notify, error, prepared, provider, attributes);
        failed(index, rc, error, previous, delivered);
      }
    }
  }

  /**
   * Reports how good a routed answer was; see {@link HapsChatModel#feedback(String, double)}.
   *
   * @param callId {@link RoutingInfo#callId()} of the response
   * @param score the quality in [0, 1]
   * @throws dev.haps.api.error.ConfigurationException if no feedback sink is configured
   * @throws dev.haps.api.error.InvalidRequestException if the score is outside [0, 1] or the
   *     call is unknown, already reported, or too old
   */
  public void feedback(String callId, double score) {
    core.feedback(callId, score);
  }

  /**
   * The router deciding.
   *
   * @return the router
   */
  public Router router() {
    return core.router();
  }

  /**
   * The bundle candidates this model routes to, in mapping order.
   *
   * @return an unmodifiable set of candidate ids
   */
  public Set<String> candidates() {
    return core.entries().keySet();
  }

  /**
   * Names the model as {@code "haps"}; a request's parameters are not merged with these.
   *
   * @return the default parameters
   */
  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return defaults;
  }

  @Override
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  /**
   * {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA} when a candidate is declared with
   * {@link CandidateFeature#JSON_SCHEMA}.
   *
   * @return the capabilities
   */
  @Override
  public Set<Capability> supportedCapabilities() {
    return capabilities;
  }

  /** Closes what the builder created; idempotent. */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return core.toString();
  }

  /**
   * Builds a {@link HapsStreamingChatModel}; the options are {@link HapsChatModel.Builder}'s.
   * Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final CandidateRouter.Settings<StreamingChatModel> settings =
        new CandidateRouter.Settings<>();
    private final List<ChatModelListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Routes with this router (not closed by the model).
     *
     * @param router the router
     * @return this builder
     * @throws IllegalStateException if a router or bundle is already set
     */
    public Builder router(Router router) {
      settings.router(router);
      return this;
    }

    /**
     * Routes with the bundle at a path, loaded on the default encoder and closed with the model.
     *
     * @param bundle the bundle
     * @return this builder
     * @throws IllegalStateException if a router or bundle is already set
     */
    public Builder bundle(Path bundle) {
      settings.bundle(bundle);
      return this;
    }

    /**
     * Maps a bundle candidate to one of your streaming models, declared with every feature.
     *
     * @param candidateId the candidate's id in the bundle
     * @param model your model
     * @return this builder
     */
    public Builder candidate(String candidateId, StreamingChatModel model) {
      return candidate(candidateId, model, CandidateFeature.all());
    }

    /**
     * Maps a bundle candidate to one of your streaming models, declared with what it supports.
     *
     * @param candidateId the candidate's id in the bundle
     * @param model your model
     * @param features what it supports; empty for plain chat only
     * @return this builder
     */
    public Builder candidate(String candidateId, StreamingChatModel model,
        Set<CandidateFeature> features) {
      Objects.requireNonNull(model, "model");
      settings.candidate(candidateId, model, features, model.defaultRequestParameters(),
          model.provider());
      return this;
    }

    /**
     * Sets the cost weight of requests that carry none (default 0.5).
     *
     * @param costWeight in [0, 1]
     * @return this builder
     */
    public Builder costWeight(double costWeight) {
      settings.costWeight(costWeight);
      return this;
    }

    /**
     * Sets how many candidates a call tries at most (default 3).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxCandidates(int n) {
      settings.maxCandidates(n);
      return this;
    }

    /**
     * Sets which part of the conversation routing reads.
     *
     * @param routingText the policy
     * @return this builder
     */
    public Builder routingText(RoutingText routingText) {
      settings.routingText(routingText);
      return this;
    }

    /**
     * Registers how to apply a routed parameter.
     *
     * @param name the parameter's name in the bundle
     * @param applier the applier
     * @return this builder
     */
    public Builder parameter(String name, ParameterApplier applier) {
      settings.parameter(name, applier);
      return this;
    }

    /**
     * Adds listeners that see every real call.
     *
     * @param listeners the listeners
     * @return this builder
     */
    public Builder listeners(List<ChatModelListener> listeners) {
      for (ChatModelListener l : listeners) {
        this.listeners.add(Objects.requireNonNull(l, "listener"));
      }
      return this;
    }

    /**
     * Appends reported feedback to this outcome log.
     *
     * @param outcomesJsonl the {@code outcomes.jsonl} file
     * @return this builder
     */
    public Builder feedbackSink(Path outcomesJsonl) {
      settings.feedbackSink(outcomesJsonl);
      return this;
    }

    /**
     * Sets the {@code task} written on each feedback line.
     *
     * @param task the task name
     * @return this builder
     */
    public Builder feedbackTask(String task) {
      settings.feedbackTask(task);
      return this;
    }

    /**
     * Builds the model, checking the mapping and the parameters against the bundle.
     *
     * @return the model
     * @throws dev.haps.api.error.ConfigurationException if the mapping or a parameter does not
     *     fit the bundle
     */
    public HapsStreamingChatModel build() {
      return new HapsStreamingChatModel(this);
    }
  }
}
