package dev.haps.client;

import dev.haps.api.params.ParameterSpec;
import dev.haps.spi.ChatRequest;

/**
 * Applies a routed parameter that no backend knows by rewriting the chat request, for example a
 * {@code prompt_style} that selects a system prompt. The routing client removes a transformed
 * parameter from what it sends to the provider.
 *
 * <pre>{@code
 * RoutingClient.builder()
 *     .transformer("persona", (request, value) -> request.withMessages(
 *         prepend(ChatMessage.system(PERSONAS.get(value)), request.messages())))
 * }</pre>
 *
 * <p>Implementations must be thread-safe and side-effect free: a call may apply a transformer
 * once per attempt.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RequestTransformer {

  /**
   * Rewrites a request for one parameter value.
   *
   * @param request the request as built so far (backend model name, conversation, timeout)
   * @param value the routed value, in canonical form (Double, Long or String)
   * @return the rewritten request
   * @throws dev.haps.api.error.InvalidParameterException if the value cannot be applied
   */
  ChatRequest apply(ChatRequest request, Object value);

  /**
   * Checks, at start-up, that every value the router may generate for a candidate can be applied.
   * The default accepts any spec.
   *
   * @param candidate the candidate's model id, for messages
   * @param spec the parameter's declared spec
   * @throws dev.haps.api.error.ConfigurationException naming the parameter, the candidate and
   *     the values that cannot be applied
   */
  default void check(String candidate, ParameterSpec spec) {}
}
