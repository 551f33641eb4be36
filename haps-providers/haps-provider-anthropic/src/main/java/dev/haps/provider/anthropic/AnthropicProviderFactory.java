package dev.haps.provider.anthropic;

import dev.haps.api.error.ConfigurationException;
import dev.haps.provider.http.EndpointSettings;
import dev.haps.provider.http.HttpTransport;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;
import java.util.Objects;

/**
 * Creates {@code anthropic} providers: clients of Anthropic's Messages API.
 *
 * <p>Settings (durations in milliseconds or ISO-8601):
 *
 * <table>
 *   <caption>anthropic settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code apiKey}</td><td><b>required</b>; sent as {@code x-api-key}; literal or
 *       {@code ${env:NAME}}</td><td>none</td></tr>
 *   <tr><td>{@code baseUrl}</td><td>the API root, without {@code /v1} (as
 *       {@code ANTHROPIC_BASE_URL})</td><td>{@code https://api.anthropic.com}</td></tr>
 *   <tr><td>{@code anthropicVersion}</td><td>the {@code anthropic-version} header</td>
 *       <td>{@code 2023-06-01}</td></tr>
 *   <tr><td>{@code maxTokens}</td><td>the default of {@code max_tokens}, sent when a call gives
 *       none, because the API requires the field</td><td>1024</td></tr>
 *   <tr><td>{@code includeThinking}</td><td>put extended thinking into the answer text,
 *       before the answer, between {@code <thinking>} and {@code </thinking>} lines (streamed
 *       too); otherwise thinking is dropped</td><td>{@code false}</td></tr>
 *   <tr><td>{@code connectTimeout} / {@code requestTimeout}</td><td>connect limit / cap on a
 *       whole call, streamed body included</td><td>10 s / 60 s</td></tr>
 *   <tr><td>{@code models}</td><td>declared model names; when given, other names are refused
 *       before any call</td><td>any name</td></tr>
 *   <tr><td>{@code price.<model>.input} / {@code .output}</td><td>USD per million tokens</td>
 *       <td>unknown (cost NaN)</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class AnthropicProviderFactory implements LlmProviderFactory {

  /** The provider type, as configuration files name it. */
  public static final String TYPE = "anthropic";

  /** The base URL used when none is configured. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The {@code anthropic-version} header used when none is configured. */
  public static final String DEFAULT_VERSION = "2023-06-01";

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public AnthropicProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Anthropic Messages API";
  }

  /**
   * Creates a provider.
   *
   * @throws ConfigurationException naming the setting (and, for {@code ${env:NAME}} references,
   *     the unset variable) that is missing or malformed
   */
  @Override
  public LlmProvider create(ProviderConfig config) {
    Objects.requireNonNull(config, "config");
    EndpointSettings settings = EndpointSettings.from(config, DEFAULT_BASE_URL, true);
    String version = config.get("anthropicVersion").orElse(DEFAULT_VERSION).trim();
    if (version.isEmpty()) {
      throw new ConfigurationException("provider '" + config.id()
          + "' setting 'anthropicVersion' is blank; leave it out for " + DEFAULT_VERSION);
    }
    long maxTokens = config.getLong("maxTokens", AnthropicProvider.DEFAULT_MAX_TOKENS, 1,
        AnthropicProvider.MAX_TOKENS_LIMIT);
    return new AnthropicProvider(HttpTransport.create(settings), version, maxTokens,
        config.getBoolean("includeThinking", false));
  }
}
