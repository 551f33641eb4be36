package dev.haps.provider.gemini;

import dev.haps.provider.http.EndpointSettings;
import dev.haps.provider.http.HttpTransport;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;
import java.util.Objects;

/**
 * Creates {@code gemini} providers: clients of the Gemini API ({@code generateContent} and
 * {@code streamGenerateContent}).
 *
 * <p>Settings (durations in milliseconds or ISO-8601):
 *
 * <table>
 *   <caption>gemini settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code apiKey}</td><td><b>required</b>; sent as {@code x-goog-api-key}, never in the
 *       URL; write {@code ${env:GEMINI_API_KEY}} to read it from the environment</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code baseUrl}</td><td>the API root including the version</td>
 *       <td>{@code https://generativelanguage.googleapis.com/v1beta}</td></tr>
 *   <tr><td>{@code model.<name>.thinkingBudget}</td><td>that model's budget range
 *       {@code [min, max]}, or {@code none} for a model without thinking</td>
 *       <td>{@code [0, 24576]}</td></tr>
 *   <tr><td>{@code model.<name>.thinkingOff}</td><td>whether 0 (thinking off) is allowed below
 *       a range that starts above 0</td><td>{@code true} when the range starts at 0</td></tr>
 *   <tr><td>{@code includeThinking}</td><td>ask for thought summaries
 *       ({@code thinkingConfig.includeThoughts}) and put them into the answer text, before the
 *       answer, between {@code <thinking>} and {@code </thinking>} lines</td>
 *       <td>{@code false}</td></tr>
 *   <tr><td>{@code connectTimeout} / {@code requestTimeout}</td><td>connect limit / cap on a
 *       whole call, streamed body included</td><td>10 s / 60 s</td></tr>
 *   <tr><td>{@code models}</td><td>declared model names; when given, other names are refused
 *       before any call</td><td>any name</td></tr>
 *   <tr><td>{@code price.<model>.input} / {@code .output}</td><td>USD per million tokens; thinking
 *       tokens are output</td><td>unknown (cost NaN)</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class GeminiProviderFactory implements LlmProviderFactory {

  /** The provider type, as configuration files name it. */
  public static final String TYPE = "gemini";

  /** The base URL used when none is configured. */
  public static final String DEFAULT_BASE_URL =
      "https://generativelanguage.googleapis.com/v1beta";

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public GeminiProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Google Gemini API (generateContent, streamGenerateContent)";
  }

  /**
   * Creates a provider.
   *
   * @throws dev.haps.api.error.ConfigurationException naming the setting (and, for
   *     {@code ${env:NAME}} references, the unset variable) that is missing or malformed
   */
  @Override
  public LlmProvider create(ProviderConfig config) {
    Objects.requireNonNull(config, "config");
    EndpointSettings settings = EndpointSettings.from(config, DEFAULT_BASE_URL, true);
    return new GeminiProvider(HttpTransport.create(settings), GeminiParameters.from(config),
        config.getBoolean("includeThinking", false));
  }
}
