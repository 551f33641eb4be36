package dev.haps.spi;

/**
 * Creates {@link LlmProvider} instances of one backend type. Implementations are found through
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.haps.spi.LlmProviderFactory} and give it a public no-argument
 * constructor.
 *
 * @since 0.1.0
 */
public interface LlmProviderFactory {

  /**
   * The backend type this factory creates, unique among installed factories, e.g.
   * {@code openai}. Configuration files name it as {@code "type"}.
   *
   * @return the type
   */
  String type();

  /**
   * A one-line description for listings and error messages.
   *
   * @return the description
   */
  default String description() {
    return type();
  }

  /**
   * Creates a provider instance.
   *
   * @param config the instance id and its settings
   * @return the provider
   * @throws dev.haps.api.error.ConfigurationException if a setting is missing or malformed; the
   *     message names the setting (and, for secrets, the environment variable) but never a secret
   */
  LlmProvider create(ProviderConfig config);
}
