package dev.haps.provider.openai;

import dev.haps.provider.http.EndpointSettings;
import dev.haps.provider.http.HttpTransport;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;
import java.util.Objects;

/**
 * Creates {@code openai} providers: clients of an OpenAI-compatible Chat Completions endpoint.
 *
 * <p>Settings (all optional; durations in milliseconds or ISO-8601):
 *
 * <table>
 *   <caption>openai settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code baseUrl}</td><td>the API root, including {@code /v1}</td>
 *       <td>{@code https://api.openai.com/v1}</td></tr>
 *   <tr><td>{@code apiKey}</td><td>sent as {@code Authorization: Bearer}; literal or
 *       {@code ${env:NAME}}; leave out for local servers without authentication</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code connectTimeout} / {@code requestTimeout}</td><td>connect limit / cap on a
 *       whole call, streamed body included</td><td>10 s / 60 s</td></tr>
 *   <tr><td>{@code models}</td><td>declared model names (comma-separated or a JSON array);
 *       when given, other names are refused before any call</td><td>any name</td></tr>
 *   <tr><td>{@code price.<model>.input} / {@code .output}</td><td>USD per million tokens</td>
 *       <td>unknown (cost NaN)</td></tr>
 *   <tr><td>{@code extraSampling}</td><td>also declare {@code top_k}, {@code min_p},
 *       {@code repetition_penalty} (vLLM, llama.cpp, LM Studio)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code stop.<name>}</td><td>a named stop set (JSON array of strings, or one
 *       string); declares the categorical parameter {@code stop}</td><td>none</td></tr>
 *   <tr><td>{@code maxTokensField}</td><td>wire name of {@code max_tokens}:
 *       {@code max_tokens} or {@code max_completion_tokens} (newer OpenAI models)</td>
 *       <td>{@code max_tokens}</td></tr>
 *   <tr><td>{@code model.<name>.reasoningEffort}</td><td>declares the categorical
 *       {@code reasoning_effort} for that model with these values (JSON array or
 *       comma-separated), e.g. {@code ["low","medium","high"]}</td><td>not declared</td></tr>
 *   <tr><td>{@code model.<name>.verbosity}</td><td>declares the categorical {@code verbosity}
 *       for that model with these values</td><td>not declared</td></tr>
 *   <tr><td>{@code model.<name>.rejects}</td><td>parameters the model refuses: removed from its
 *       space and refused before any call, naming the rule</td><td>OpenAI reasoning families
 *       ({@code o1}, {@code o3}, {@code o4-mini}, {@code gpt-5}): {@code temperature},
 *       {@code top_p}, {@code presence_penalty}, {@code frequency_penalty}; others none</td></tr>
 *   <tr><td>{@code model.<name>.maxTokensField}</td><td>that model's wire name of
 *       {@code max_tokens}</td><td>{@code max_completion_tokens} for the OpenAI reasoning
 *       families, else {@code maxTokensField}</td></tr>
 *   <tr><td>{@code streamUsage}</td><td>ask for usage in streams
 *       ({@code stream_options.include_usage}); turn off for servers that reject it</td>
 *       <td>{@code true}</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {

  /** The provider type, as configuration files name it. */
  public static final String TYPE = "openai";

  /** The base URL used when none is configured. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public OpenAiProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "OpenAI-compatible Chat Completions (OpenAI, vLLM, Ollama, llama.cpp, LM Studio,"
        + " gateways)";
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
    EndpointSettings settings = EndpointSettings.from(config, DEFAULT_BASE_URL, false);
    return new OpenAiProvider(HttpTransport.create(settings), OpenAiParameters.from(config),
        config.getBoolean("streamUsage", true));
  }
}
