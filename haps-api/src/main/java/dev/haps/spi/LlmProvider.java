package dev.haps.spi;

import dev.haps.api.error.ProviderException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import java.util.function.Consumer;

/**
 * One configured LLM backend instance (an OpenAI-compatible endpoint, the Anthropic API, the
 * in-process replay backend...), created by its {@link LlmProviderFactory}.
 *
 * <p>Contract for implementers:
 *
 * <ul>
 *   <li>Thread-safe: one instance serves every request thread.
 *   <li>{@link #complete} checks the parameters against {@link #parameterSpace(String)} and
 *       rejects what it cannot honour with {@link ProviderException.Kind#UNSUPPORTED} or
 *       {@link dev.haps.api.error.InvalidParameterException} <em>before</em> any network call;
 *       it sends only the parameters it was given, never hidden defaults.
 *   <li>Failures are {@link ProviderException}s classified by kind; messages never contain
 *       secrets.
 * </ul>
 *
 * @since 0.1.0
 */
public interface LlmProvider extends AutoCloseable {

  /**
   * This instance's id, unique within an application (e.g. {@code local} or {@code openai}).
   *
   * @return the id
   */
  String id();

  /**
   * The models this instance declares. A backend that serves any model name (such as an
   * OpenAI-compatible endpoint) lists the ones it was configured with, possibly none.
   *
   * @return the declared models
   */
  List<ModelInfo> models();

  /**
   * The parameters a model accepts on this backend.
   *
   * @param model the backend's model name
   * @return the parameter space
   * @throws dev.haps.api.error.ConfigurationException if this backend cannot serve the model
   */
  ParameterSpace parameterSpace(String model);

  /**
   * Calls the backend once, synchronously.
   *
   * @param request the model, conversation and timeout
   * @param parameters values inside {@link #parameterSpace(String)}
   * @return the completion
   * @throws ProviderException on a backend failure, classified by kind
   * @throws dev.haps.api.error.InvalidParameterException for a value outside its range
   */
  Completion complete(ChatRequest request, ParameterValues parameters);

  /**
   * Whether {@link #stream} is supported.
   *
   * @return {@code true} if this backend streams
   */
  default boolean supportsStreaming() {
    return false;
  }

  /**
   * Calls the backend and hands each text delta to {@code onDelta} as it arrives.
   *
   * @param request the model, conversation and timeout
   * @param parameters values inside {@link #parameterSpace(String)}
   * @param onDelta receives text deltas in order, on the calling thread
   * @return the full completion once the stream ends
   * @throws ProviderException on a backend failure, or {@link ProviderException.Kind#UNSUPPORTED}
   *     if this backend does not stream
   */
  default Completion stream(
      ChatRequest request, ParameterValues parameters, Consumer<String> onDelta) {
    throw new ProviderException(id(), ProviderException.Kind.UNSUPPORTED,
        "provider '" + id() + "' does not support streaming; call complete() instead");
  }

  /** Releases connections and threads; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
