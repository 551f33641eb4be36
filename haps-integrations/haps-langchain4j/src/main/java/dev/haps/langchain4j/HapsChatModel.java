package dev.haps.langchain4j;

import dev.haps.api.RankedCandidate;
import dev.haps.api.RoutingText;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A LangChain4j {@link ChatModel} that routes each request, with HAPS, to one of the
 * application's own chat models <em>and</em> that model's parameters. Code that calls a
 * {@code ChatModel} (directly, or through AI services) works unchanged.
 *
 * <pre>{@code
 * ChatModel routed = HapsChatModel.builder()
 *     .router(router)                                   // or .bundle(path); default: the SDK's bundle
 *     .candidate("gpt-4", gpt4o)                        // bundle candidate id -> your model
 *     .candidate("mixtral-8x7b", mixtral, Set.of())     // declared without tools or JSON
 *     .costWeight(0.3)                                  // 0 = quality only, 1 = cost first
 *     .build();
 * String answer = routed.chat("Prove that sqrt(2) is irrational.");
 * }</pre>
 *
 * <p><b>Per request</b>: the conversation is routed (by default on its last user turn, see
 * {@link RoutingText}) at the request's cost weight ({@link HapsChatRequestParameters}) or the
 * builder's; candidates with no model, or without a {@link CandidateFeature} the request needs
 * (tools, JSON), are denied. The chosen model is called with the generated parameters applied
 * through {@link ChatRequestParameters} (temperature, topP, topK, maxOutputTokens, penalties),
 * OpenAI's parameter class (reasoning effort, seed) and a system message ({@code prompt_style});
 * a parameter the caller sets in the request wins over the routed one. If the call throws, the
 * next ranked candidate is called with <em>its own</em> parameters, up to
 * {@link Builder#maxCandidates(int)} candidates; when all fail, the last error is thrown with
 * the earlier ones suppressed. The response carries the decision in
 * {@link HapsChatResponseMetadata}.
 *
 * <p><b>Listeners</b>: the chosen model's own listeners see its call as usual; this model's
 * listeners ({@link Builder#listeners(List)}) see every real call — the chosen model's request
 * with its parameters and provider — once per candidate tried.
 *
 * <p><b>Coverage</b>: every mapped id must be a candidate of the bundle, or {@link
 * Builder#build()} fails saying how to cover the model; bundle candidates left unmapped are never
 * chosen. Every parameter the bundle generates for a mapped candidate must be applicable to its
 * model, or the build fails naming it.
 *
 * <p>Thread-safe: share one instance. {@link #close()} closes what the builder created (the
 * router of {@link Builder#bundle(Path)} or of the default bundle, the feedback log); the models
 * and a router passed in stay open.
 *
 * @since 0.1.0
 */
public final class HapsChatModel extends RoutedModel<ChatModel>
    implements ChatModel, AutoCloseable {

  private HapsChatModel(Builder b) {
    super("HapsChatModel", b);
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
  public ChatResponse chat(ChatRequest request) {
    return chat(request, ChatRequestOptions.EMPTY);
  }

  /**
   * Routes the request and calls the chosen model, falling back to the next ranked ones.
   *
   * @param request the request
   * @param options listener attributes, passed on to the chosen model
   * @return the chosen model's response, with {@link HapsChatResponseMetadata}
   * @throws dev.haps.api.error.NoEligibleCandidateException if no mapped candidate supports
   *     what the request needs (tools, JSON)
   * @throws dev.haps.api.error.InvalidRequestException if the conversation has no user text
   * @throws RuntimeException the last candidate's error when every candidate tried failed
   * @throws IllegalStateException if the model is closed
   */
  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    Objects.requireNonNull(request, "request");
    return execute(request, options == null ? ChatRequestOptions.EMPTY : options, listeners);
  }

  /**
   * Routes and calls without notifying this model's listeners.
   *
   * @param request the request
   * @return the response
   */
  @Override
  public ChatResponse doChat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return execute(request, ChatRequestOptions.EMPTY, List.of());
  }

  private ChatResponse execute(ChatRequest request, ChatRequestOptions options,
      List<ChatModelListener> notify) {
    CandidateRouter.Plan plan = core.plan(request);
    List<String> failures = new ArrayList<>();
    RuntimeException last = null;
    for (RankedCandidate rc : plan.attempts()) {
      if (last != null && Thread.currentThread().isInterrupted()) {
        break;
      }
      CandidateRouter.Entry<ChatModel> e = core.entry(rc.model());
      Map<Object, Object> attributes = new ConcurrentHashMap<>(options.listenerAttributes());
      ChatRequest prepared = null;
      try {
        prepared = core.prepare(request, rc);
        if (!notify.isEmpty()) {
          // Listeners see what the model sends: its own defaults under the routed parameters.
          prepared = core.asSent(prepared, e);
        }
        Listeners.onRequest(notify, prepared, e.provider(), attributes);
        ChatResponse r = e.model().chat(prepared, options);
        RoutingInfo info = core.done(plan, rc, r, failures);
        ChatResponse out = ChatResponse.builder().aiMessage(r.aiMessage())
            .metadata(HapsChatResponseMetadata.of(r.metadata(), info)).build();
        Listeners.onResponse(notify, out, prepared, e.provider(), attributes);
        return out;
      } catch (RuntimeException ex) {
        if (prepared != null) {
          Listeners.onError(notify, ex, prepared, e.provider(), attributes);
        }
        failures.add(CandidateRouter.describe(rc.model(), ex));
        if (last != null) {
          ex.addSuppressed(last);
        }
        last = ex;
      }
    }
    throw last;
  }

  /**
   * Builds a {@link HapsChatModel}; each option can be set once, and {@link #build()} checks the
   * whole configuration against the bundle. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder extends RoutedModelBuilder<ChatModel, Builder> {

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    @Override
    ChatRequestParameters defaultsOf(ChatModel model) {
      return model.defaultRequestParameters();
    }

    @Override
    ModelProvider providerOf(ChatModel model) {
      return model.provider();
    }

    /**
     * Builds the model, checking the mapping and the parameters against the bundle.
     *
     * @return the model
     * @throws dev.haps.api.error.ConfigurationException if no model is mapped, a mapped id is not
     *     a candidate of the bundle, or a generated parameter cannot be applied to its model
     */
    public HapsChatModel build() {
      return new HapsChatModel(this);
    }
  }
}
