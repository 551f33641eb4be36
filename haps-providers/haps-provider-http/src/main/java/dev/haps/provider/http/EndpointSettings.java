package dev.haps.provider.http;

import dev.haps.api.error.ConfigurationException;
import dev.haps.spi.PriceTable;
import dev.haps.spi.ProviderConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings every HTTP provider reads, parsed and checked once when the provider is created:
 *
 * <table>
 *   <caption>Common settings</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code baseUrl}</td><td>the endpoint's base URL (http or https)</td>
 *       <td>per provider</td></tr>
 *   <tr><td>{@code apiKey}</td><td>the credential, literal or {@code ${env:NAME}}</td>
 *       <td>per provider (optional or required)</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>TCP/TLS connect limit</td><td>10 s</td></tr>
 *   <tr><td>{@code requestTimeout}</td><td>cap on one whole call, headers and body</td>
 *       <td>60 s</td></tr>
 *   <tr><td>{@code models}</td><td>declared model names: comma-separated or a JSON array;
 *       when given, other names are refused</td><td>none (any name is served)</td></tr>
 *   <tr><td>{@code price.<model>.input|output}</td><td>see {@link PriceTable}</td>
 *       <td>none</td></tr>
 * </table>
 *
 * <p>Durations are milliseconds ({@code 30000}) or ISO-8601 ({@code PT30S}). Immutable and
 * thread-safe; {@link #toString()} never shows the key.
 *
 * @since 0.1.0
 */
public final class EndpointSettings {

  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String providerId;
  private final URI baseUrl;
  private final ApiKey apiKey;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final List<String> models;
  private final PriceTable prices;

  private EndpointSettings(ProviderConfig config, String defaultBaseUrl, boolean keyRequired) {
    this.providerId = config.id();
    this.baseUrl = parseBaseUrl(config, defaultBaseUrl);
    this.apiKey = parseKey(config, keyRequired);
    this.connectTimeout = positive(config, "connectTimeout", DEFAULT_CONNECT_TIMEOUT);
    this.requestTimeout = positive(config, "requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    this.models = parseList(config, "models");
    this.prices = PriceTable.from(config);
  }

  /**
   * Reads the common settings.
   *
   * @param config the provider's settings
   * @param defaultBaseUrl the base URL used when {@code baseUrl} is absent
   * @param keyRequired whether {@code apiKey} must be present
   * @return the settings
   * @throws ConfigurationException naming the setting (and, for {@code ${env:NAME}} references,
   *     the variable) that is missing or malformed; never showing the key
   */
  public static EndpointSettings from(
      ProviderConfig config, String defaultBaseUrl, boolean keyRequired) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl");
    return new EndpointSettings(config, defaultBaseUrl, keyRequired);
  }

  /**
   * The provider instance id.
   *
   * @return the id
   */
  public String providerId() {
    return providerId;
  }

  /**
   * The base URL, without a trailing slash.
   *
   * @return the URL
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * The base URL with a path appended.
   *
   * @param path a path starting with {@code /}, e.g. {@code /chat/completions}
   * @return the endpoint's URL
   */
  public URI endpoint(String path) {
    return URI.create(baseUrl + path);
  }

  /**
   * The credential.
   *
   * @return the key, if one is configured
   */
  public Optional<ApiKey> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * The connect timeout.
   *
   * @return a positive duration
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The longest one whole call may take; a request's own timeout can only shorten it.
   *
   * @return a positive duration
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * The declared model names.
   *
   * @return an unmodifiable list; empty when any name is served
   */
  public List<String> models() {
    return models;
  }

  /**
   * The price table.
   *
   * @return the prices
   */
  public PriceTable prices() {
    return prices;
  }

  /**
   * Whether the endpoint serves a model name: any name when no {@code models} are declared.
   *
   * @param model the backend's model name
   * @return {@code true} if the model may be called
   */
  public boolean serves(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /**
   * Checks that the endpoint serves a model.
   *
   * @param model the backend's model name
   * @throws ConfigurationException if {@code models} is declared and does not list it
   */
  public void requireServed(String model) {
    if (!serves(model)) {
      throw new ConfigurationException("provider '" + providerId + "' does not serve model '"
          + model + "'; its 'models' setting declares " + models
          + ". Add the model there or map the candidate to another model");
    }
  }

  /**
   * The timeout of one call: the request's own, capped by {@link #requestTimeout()}.
   *
   * @param requested the request's timeout
   * @return the shorter of the two
   */
  public Duration callTimeout(Duration requested) {
    return requested.compareTo(requestTimeout) < 0 ? requested : requestTimeout;
  }

  /**
   * Reads a list setting: a JSON array of strings ({@code ["a","b"]}) or comma-separated text.
   *
   * @param config the provider's settings
   * @param name the setting name
   * @return the distinct, non-blank entries in order; empty when the setting is absent
   * @throws ConfigurationException if a JSON array does not parse or holds a non-string
   */
  public static List<String> parseList(ProviderConfig config, String name) {
    Optional<String> v = config.get(name);
    if (v.isEmpty()) {
      return List.of();
    }
    String s = v.get().trim();
    List<String> items = new ArrayList<>();
    if (s.startsWith("[")) {
      items.addAll(Json.stringArray(s, () -> "provider '" + config.id() + "' setting '" + name
          + "' = " + s + " is not a JSON array of strings; write [\"a\", \"b\"] or a,b"));
    } else {
      for (String part : s.split(",")) {
        items.add(part.trim());
      }
    }
    items.removeIf(String::isBlank);
    return List.copyOf(new LinkedHashSet<>(items));
  }

  private static URI parseBaseUrl(ProviderConfig config, String fallback) {
    String raw = config.get("baseUrl").orElse(fallback).trim();
    while (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw badUrl(config, raw, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getQuery() != null || uri.getFragment() != null) {
      throw badUrl(config, raw, null);
    }
    return uri;
  }

  private static ConfigurationException badUrl(ProviderConfig config, String raw, Exception e) {
    return new ConfigurationException("provider '" + config.id() + "' setting 'baseUrl' = '"
        + raw + "' is not an http(s) base URL without query; e.g. http://127.0.0.1:8000/v1", e);
  }

  private static ApiKey parseKey(ProviderConfig config, boolean required) {
    Optional<String> raw = config.get("apiKey");
    if (raw.isEmpty() || raw.get().isBlank()) {
      if (required) {
        throw new ConfigurationException("provider '" + config.id() + "' needs setting 'apiKey'"
            + (raw.isEmpty() ? "" : ", which is blank")
            + "; set it to ${env:NAME} to read the key from an environment variable");
      }
      return null;
    }
    return ApiKey.of(raw.get());
  }

  private static Duration positive(ProviderConfig config, String name, Duration fallback) {
    Duration d = config.getDuration(name, fallback);
    if (d.isZero()) {
      throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
          + "' is zero; give a positive duration such as PT30S");
    }
    return d;
  }

  /** The settings without the key. */
  @Override
  public String toString() {
    return "EndpointSettings{provider=" + providerId + ", baseUrl=" + baseUrl + ", apiKey="
        + (apiKey == null ? "none" : apiKey) + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", models=" + models + ", prices="
        + prices.asMap().keySet() + "}";
  }
}
