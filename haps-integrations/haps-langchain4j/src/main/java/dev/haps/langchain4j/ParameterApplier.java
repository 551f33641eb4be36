package dev.haps.langchain4j;

import dev.haps.api.params.ParameterSpec;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;

/**
 * Applies one routed parameter to the LangChain4j request going to the chosen model. The
 * adapters apply the common parameters ({@code temperature}, {@code top_p}, {@code top_k},
 * {@code max_tokens}, {@code presence_penalty}, {@code frequency_penalty}), OpenAI's
 * {@code reasoning_effort} and {@code seed}, and {@code prompt_style} themselves; register an
 * applier for any other parameter a bundle generates.
 *
 * <pre>{@code
 * .parameter("persona", (request, value) -> ChatRequest.builder()
 *     .messages(prepend(SystemMessage.from(PERSONAS.get(value)), request.messages()))
 *     .parameters(request.parameters())
 *     .build())
 * }</pre>
 *
 * <p>Implementations must be thread-safe and free of side effects: a call applies them once per
 * candidate it tries.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ParameterApplier {

  /**
   * Returns the request with the value applied.
   *
   * @param request the request as built so far: the caller's messages and the routed parameters
   *     applied before this one (the caller's own parameters are laid over the result last)
   * @param value the routed value in canonical form: {@code Double}, {@code Long} or
   *     {@code String}
   * @return the new request
   * @throws dev.haps.api.error.InvalidParameterException if the value cannot be applied
   */
  ChatRequest apply(ChatRequest request, Object value);

  /**
   * Checks at build time that every value the router may generate for a candidate can be applied
   * to that candidate's model. The default accepts.
   *
   * @param candidate the candidate id, for messages
   * @param spec the parameter as the bundle declares it
   * @param modelDefaults the candidate model's {@code defaultRequestParameters()}, which tell its
   *     provider-specific parameter class
   * @throws dev.haps.api.error.ConfigurationException naming the parameter, the candidate and
   *     what to do
   */
  default void check(String candidate, ParameterSpec spec, ChatRequestParameters modelDefaults) {}
}
