package dev.haps.langchain4j;

import dev.haps.api.RankedCandidate;
import dev.langchain4j.model.ModelProvider;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
public final class HapsStreamingChatModel extends RoutedModel<StreamingChatModel>
    implements StreamingChatModel, AutoCloseable {

  private HapsStreamingChatModel(Builder b) {
    super("HapsStreamingChatModel", b);
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
   * Builds a {@link HapsStreamingChatModel}; the options are {@link HapsChatModel.Builder}'s.
   * Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder extends RoutedModelBuilder<StreamingChatModel, Builder> {

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    ChatRequestParameters defaultsOf(StreamingChatModel model) {
      return model.defaultRequestParameters();
    }

    @Override
    ModelProvider providerOf(StreamingChatModel model) {
      return model.provider();
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
