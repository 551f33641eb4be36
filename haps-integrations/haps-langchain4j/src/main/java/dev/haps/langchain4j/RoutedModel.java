package dev.haps.langchain4j;

import dev.haps.api.Router;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import java.util.Set;

/**
 * What {@link HapsChatModel} and {@link HapsStreamingChatModel} expose alike, written once: the
 * router, the mapped candidates, feedback, the model-level answers LangChain4j asks for, and
 * closing. Each public method here is documented as a method of those two classes.
 *
 * @param <M> the model type ({@code ChatModel} or {@code StreamingChatModel})
 */
abstract class RoutedModel<M> implements AutoCloseable {

  final CandidateRouter<M> core;
  final List<ChatModelListener> listeners;
  private final ChatRequestParameters defaults;
  private final Set<Capability> capabilities;

  RoutedModel(String owner, RoutedModelBuilder<M, ?> b) {
    this.core = new CandidateRouter<>(owner, b.settings);
    this.listeners = List.copyOf(b.listeners);
    this.defaults = ChatRequestParameters.builder().modelName("haps").build();
    this.capabilities = core.anySupports(CandidateFeature.JSON_SCHEMA)
        ? Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA) : Set.of();
  }

  /**
   * Reports how good a routed answer was: appends one line to the feedback outcome log (the
   * routing text, the candidate that answered with its parameters, the score, the tokens), for
   * retraining. Each call can be reported once, within an hour.
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
   * Names the model as {@code "haps"}; a request's parameters are not merged with these (each
   * candidate's model has its own defaults).
   *
   * @return the default parameters
   */
  public ChatRequestParameters defaultRequestParameters() {
    return defaults;
  }

  /**
   * This model's listeners, which see every real call.
   *
   * @return the listeners
   */
  public List<ChatModelListener> listeners() {
    return listeners;
  }

  /**
   * {@link ModelProvider#OTHER}: the provider of each call is the chosen model's.
   *
   * @return the provider
   */
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  /**
   * {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA} when a candidate is declared with
   * {@link CandidateFeature#JSON_SCHEMA} (schema requests then go only to those).
   *
   * @return the capabilities
   */
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
}
