package dev.haps.client;

import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.internal.JsonConfigReader;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link RoutingClient} from the JSON configuration {@link RoutingClient#fromConfig(Path)}
 * reads ({@code docs/routing-client.md}: providers, candidates, bundle, policies, feedback,
 * system prompts), for applications whose own configuration file holds the client's keys, as
 * {@code haps serve}'s does. The JSON comes as text with a name for error messages; relative
 * paths resolve against a base directory; each provider created from the configuration can be
 * wrapped before the client uses it.
 *
 * <pre>{@code
 * RoutingClient client = ClientConfigLoader.fromJson(clientJson, "serve.json")
 *     .baseDirectory(Path.of("/etc/haps"))
 *     .router(router)
 *     .decorateProviders((type, config, provider) -> new MeteredProvider(provider))
 *     .load();
 * }</pre>
 *
 * <p>Each option can be set once. Not thread-safe; {@link #load()} may be called again.
 *
 * @since 0.1.0
 */
public final class ClientConfigLoader {

  /**
   * Wraps a provider the configuration created, before the client registers it.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface ProviderDecorator {

    /**
     * The provider the client uses in place of the created one. The client owns and closes what
     * this returns (which then closes the created provider); if this throws, the created
     * provider is closed and the load fails with the exception.
     *
     * <p>A wrapper must forward {@link LlmProvider#supportsStreaming()}, {@link
     * LlmProvider#stream} and {@link LlmProvider#close()} as well as the abstract methods:
     * their defaults (no streaming, nothing to close) would otherwise answer streamed calls
     * with one chunk from {@code complete} and leak the created provider.
     *
     * @param type the provider type of the configuration, e.g. {@code "openai"}
     * @param config the provider instance's settings ({@link ProviderConfig#id()} is its id)
     * @param provider the provider created from them
     * @return the provider to use
     */
    LlmProvider decorate(String type, ProviderConfig config, LlmProvider provider);
  }

  private final String json;
  private final String source;
  private Path baseDirectory;
  private UnaryOperator<String> environment;
  private Router router;
  private ProviderDecorator decorator;

  private ClientConfigLoader(String json, String source) {
    this.json = json;
    this.source = source;
  }

  /**
   * A loader of configuration JSON text.
   *
   * @param json the client's keys as a JSON object (other keys are refused)
   * @param source what error messages call it, e.g. the file it came from: {@code "config
   *     serve.json: \"retry.maxRetries\" ..."}
   * @return the loader
   */
  public static ClientConfigLoader fromJson(String json, String source) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
    return new ClientConfigLoader(json, source);
  }

  /**
   * The top-level keys a client configuration may hold ({@code providers}, {@code candidates},
   * {@code retry}, ...): an application that keeps them in its own file with keys of its own
   * checks its file's keys against these plus its own.
   *
   * @return an unmodifiable set
   */
  public static Set<String> keys() {
    return ClientConfig.TOP;
  }

  /**
   * Resolves relative paths ({@code bundle}, {@code feedback.path}, {@code feedback.log})
   * against this directory; default: the working directory.
   *
   * @param dir the directory
   * @return this loader
   * @throws IllegalStateException if already set
   */
  public ClientConfigLoader baseDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    once(baseDirectory, "baseDirectory");
    this.baseDirectory = dir;
    return this;
  }

  /**
   * Resolves {@code ${env:NAME}} against this environment; default: the process environment.
   *
   * @param environment variable name to value, {@code null} when unset
   * @return this loader
   * @throws IllegalStateException if already set
   */
  public ClientConfigLoader environment(UnaryOperator<String> environment) {
    Objects.requireNonNull(environment, "environment");
    once(this.environment, "environment");
    this.environment = environment;
    return this;
  }

  /**
   * Routes with this router (the client does not close it; the configuration's
   * {@code "bundle"} is then ignored). Default: the configuration's bundle, or the SDK's
   * default bundle, owned by the client.
   *
   * @param router the router
   * @return this loader
   * @throws IllegalStateException if already set
   */
  public ClientConfigLoader router(Router router) {
    Objects.requireNonNull(router, "router");
    once(this.router, "router");
    this.router = router;
    return this;
  }

  /**
   * Wraps each provider the configuration creates; default: none.
   *
   * @param decorator the decorator
   * @return this loader
   * @throws IllegalStateException if already set
   */
  public ClientConfigLoader decorateProviders(ProviderDecorator decorator) {
    Objects.requireNonNull(decorator, "decorator");
    once(this.decorator, "decorateProviders");
    this.decorator = decorator;
    return this;
  }

  /**
   * Builds the client, owning the providers it created (and the router, unless one was given).
   *
   * @return the client
   * @throws ConfigurationException naming the source, the key and (for an unset variable) the
   *     variable, when the JSON is malformed or inconsistent
   */
  public RoutingClient load() {
    UnaryOperator<String> env = environment == null ? System::getenv : environment;
    return ClientConfig.parse(new JsonConfigReader("config", source, baseDirectory, env),
        json.getBytes(StandardCharsets.UTF_8), env).build(router, decorator);
  }

  private static void once(Object current, String option) {
    if (current != null) {
      throw new IllegalStateException(option + " is already set (to " + current + "); set each"
          + " option once");
    }
  }
}
