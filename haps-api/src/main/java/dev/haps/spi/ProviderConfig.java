package dev.haps.spi;

import dev.haps.api.error.ConfigurationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings for one provider instance: its id and a plain map of string settings. Values may
 * reference environment variables as {@code ${env:NAME}}; references are resolved when a value is
 * read, so a missing variable is reported by name at that moment. Settings whose name contains
 * {@code key}, {@code secret}, {@code token} or {@code password} are never shown by
 * {@link #toString()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ProviderConfig {

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private final String id;
  private final Map<String, String> settings;
  private final UnaryOperator<String> environment;

  private ProviderConfig(String id, Map<String, String> settings, UnaryOperator<String> env) {
    if (id == null || id.isBlank()) {
      throw new ConfigurationException("provider instance id must not be blank");
    }
    this.id = id;
    Map<String, String> copy = new LinkedHashMap<>();
    settings.forEach((k, v) -> copy.put(
        Objects.requireNonNull(k, "setting name must not be null"),
        Objects.requireNonNull(v, () -> "setting '" + k + "' of provider '" + id + "' is null")));
    this.settings = Collections.unmodifiableMap(copy);
    this.environment = Objects.requireNonNull(env, "environment");
  }

  /**
   * Settings resolved against the process environment.
   *
   * @param id the instance id
   * @param settings setting name to raw value
   * @return the config
   */
  public static ProviderConfig of(String id, Map<String, String> settings) {
    return new ProviderConfig(id, settings, System::getenv);
  }

  /**
   * Settings resolved against a given environment (for tests and embedding).
   *
   * @param id the instance id
   * @param settings setting name to raw value
   * @param environment variable name to value, returning {@code null} when unset
   * @return the config
   */
  public static ProviderConfig of(
      String id, Map<String, String> settings, UnaryOperator<String> environment) {
    return new ProviderConfig(id, settings, environment);
  }

  /**
   * The instance id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The setting names present.
   *
   * @return an unmodifiable set
   */
  public Set<String> names() {
    return settings.keySet();
  }

  /**
   * A setting's value with environment references resolved.
   *
   * @param name the setting name
   * @return the value, if the setting is present
   * @throws ConfigurationException if it references an unset environment variable
   */
  public Optional<String> get(String name) {
    String raw = settings.get(name);
    return raw == null ? Optional.empty() : Optional.of(resolve(name, raw));
  }

  /**
   * A required setting's value.
   *
   * @param name the setting name
   * @return the resolved value, non-blank
   * @throws ConfigurationException if it is missing or blank, naming the setting and provider
   */
  public String require(String name) {
    String v = get(name).orElseThrow(() -> new ConfigurationException(
        "provider '" + id + "' needs setting '" + name + "'; present: " + settings.keySet()));
    if (v.isBlank()) {
      throw new ConfigurationException(
          "provider '" + id + "' setting '" + name + "' is blank; give it a value");
    }
    return v;
  }

  /**
   * A duration setting in ISO-8601 ({@code PT30S}) or as plain milliseconds ({@code 30000}).
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the duration
   * @throws ConfigurationException if the value does not parse or is negative
   */
  public Duration getDuration(String name, Duration fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    Duration d;
    try {
      d = s.matches("\\d+") ? Duration.ofMillis(Long.parseLong(s)) : Duration.parse(s);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new ConfigurationException("provider '" + id + "' setting '" + name + "' = '" + s
          + "' is not a duration; use milliseconds (30000) or ISO-8601 (PT30S)", e);
    }
    if (d.isNegative()) {
      throw new ConfigurationException(
          "provider '" + id + "' setting '" + name + "' = " + s + " must not be negative");
    }
    return d;
  }

  /**
   * A numeric setting.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value does not parse
   */
  public double getDouble(String name, double fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException("provider '" + id + "' setting '" + name + "' = '"
          + v.get() + "' is not a number", e);
    }
  }

  /**
   * A whole-number setting, such as a token limit. {@code 2048} and {@code 2048.0} (what a JSON
   * configuration file's number may flatten to) are both 2048.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is not a whole number that fits a {@code long};
   *     the message names the provider, the setting and the value
   */
  public long getLong(String name, long fallback) {
    return getLong(name, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * A whole-number setting that must lie in [min, max].
   *
   * @param name the setting name
   * @param fallback used when the setting is absent (not checked against the range)
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @return the value
   * @throws ConfigurationException if the value is not a whole number or lies outside [min, max];
   *     the message names the provider, the setting, the value and the range
   */
  public long getLong(String name, long fallback, long min, long max) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim();
    String range = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? ""
        : " in [" + min + ", " + max + "]";
    long n;
    try {
      n = new BigDecimal(s).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigurationException("provider '" + id + "' setting '" + name + "' = '" + s
          + "' is not a whole number" + (range.isEmpty() ? "" : "; give one" + range), e);
    }
    if (n < min || n > max) {
      throw new ConfigurationException("provider '" + id + "' setting '" + name + "' = " + n
          + " is outside" + range.substring(3) + "; give a whole number in that range");
    }
    return n;
  }

  /**
   * A whole-number setting that fits an {@code int}.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is not a whole number in the {@code int} range;
   *     the message names the provider, the setting and the value
   */
  public int getInt(String name, int fallback) {
    return (int) getLong(name, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A boolean setting: {@code true} or {@code false}, in any case.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is neither, naming the provider, the setting and
   *     the value
   */
  public boolean getBoolean(String name, boolean fallback) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return fallback;
    }
    String s = v.get().trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw new ConfigurationException("provider '" + id + "' setting '" + name + "' = '"
        + v.get() + "' is not a boolean; use true or false");
  }

  private String resolve(String name, String raw) {
    Matcher m = ENV_REF.matcher(raw);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String var = m.group(1);
      String value = environment.apply(var);
      if (value == null) {
        throw new ConfigurationException("provider '" + id + "' setting '" + name
            + "' references environment variable " + var + ", which is not set; export " + var
            + " or put the value in the configuration");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static boolean isSecretName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("key") || n.contains("secret") || n.contains("token")
        || n.contains("password");
  }

  /** Shows setting names and raw values, with secret-looking settings masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ProviderConfig{id=").append(id);
    settings.forEach((k, v) -> sb.append(", ").append(k).append('=')
        .append(isSecretName(k) ? "****" : v));
    return sb.append('}').toString();
  }
}
