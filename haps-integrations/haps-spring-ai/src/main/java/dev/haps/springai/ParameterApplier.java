package dev.haps.springai;

import dev.haps.api.params.ParameterSpec;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Applies one routed parameter to the prompt going to the chosen model. The common options
 * ({@code temperature}, {@code top_p}, {@code top_k}, {@code max_tokens},
 * {@code presence_penalty}, {@code frequency_penalty}), OpenAI's {@code reasoning_effort} and
 * {@code seed}, and {@code prompt_style} are built in; register an applier for any other
 * parameter a bundle generates.
 *
 * <p>The prompt handed in holds a private, mutable copy of the caller's options (never the
 * caller's own object), so an applier may set options on it or return a new prompt. A value the
 * caller set should win: the built-in appliers only fill options that are unset. Implementations
 * must be thread-safe.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ParameterApplier {

  /**
   * Returns the prompt with the value applied.
   *
   * @param prompt the prompt as built so far
   * @param value the routed value in canonical form: {@code Double}, {@code Long} or
   *     {@code String}
   * @return the prompt to send
   * @throws dev.haps.api.error.InvalidParameterException if the value cannot be applied
   */
  Prompt apply(Prompt prompt, Object value);

  /**
   * Checks at build time that every value the router may generate for a candidate can be
   * applied to that candidate's model. The default accepts.
   *
   * @param candidate the candidate id, for messages
   * @param spec the parameter as the bundle declares it
   * @param model the candidate's model
   * @throws dev.haps.api.error.ConfigurationException naming the parameter, the candidate and
   *     what to do
   */
  default void check(String candidate, ParameterSpec spec, ChatModel model) {}
}
