package dev.haps.spi;

import dev.haps.api.params.ParameterValues;
import java.util.Set;

/**
 * What a running {@link Judge} may use besides its settings: the provider instances of the
 * application, so that an LLM judge can call any configured model. Calls go through the
 * caller's retry, circuit-breaker and deadline policies.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface JudgeContext {

  /**
   * The provider instance ids a judge may call.
   *
   * @return the ids, possibly none
   */
  Set<String> providers();

  /**
   * Calls a model of a configured provider instance once (with the caller's retries).
   *
   * @param provider a provider instance id from {@link #providers()}
   * @param request the backend model and the conversation; the caller's deadline policy bounds
   *     the call and may take the place of the request's timeout
   * @param parameters values the provider declares for the model
   * @return the completion, with its usage and cost
   * @throws dev.haps.api.error.ConfigurationException if no such provider instance exists, or
   *     it cannot serve the model
   * @throws dev.haps.api.error.HapsException if the call failed after the retries
   */
  Completion complete(String provider, ChatRequest request, ParameterValues parameters);

  /**
   * A context with no provider: for judges that call no model.
   *
   * @return the context; its {@link #complete} fails with a configuration error
   */
  static JudgeContext none() {
    return new JudgeContext() {
      @Override
      public Set<String> providers() {
        return Set.of();
      }

      @Override
      public Completion complete(String provider, ChatRequest request,
          ParameterValues parameters) {
        throw new dev.haps.api.error.ConfigurationException("this judge wants to call provider '"
            + provider + "', but no provider instance is configured here; configure the"
            + " provider beside the judge");
      }
    };
  }
}
