package dev.haps.spi;

import dev.haps.api.error.ConfigurationException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A judge's type and its settings, a plain map of strings (a JSON configuration's nested objects
 * flatten to dotted names). The typed getters fail with a message naming the judge, the setting
 * and the value.
 *
 * <pre>{@code
 * JudgeConfig c = JudgeConfig.of("numeric", Map.of("tolerance", "0.01"));
 * double tol = c.getDouble("tolerance", 1e-6);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Two configs are equal when type and settings are; the
 * collector records {@link #toString()} with each grade, to tell judges apart.
 *
 * @since 0.1.0
 */
public final class JudgeConfig {

  private final String type;
  private final Map<String, String> settings;

  private JudgeConfig(String type, Map<String, String> settings) {
    if (type == null || type.isBlank()) {
      throw new ConfigurationException("a judge needs a type, e.g. exact, choice, numeric, f1,"
          + " regex or llm");
    }
    this.type = type;
    Map<String, String> copy = new TreeMap<>();
    settings.forEach((k, v) -> copy.put(
        Objects.requireNonNull(k, "setting name must not be null"),
        Objects.requireNonNull(v, () -> "setting '" + k + "' of judge '" + type + "' is null")));
    this.settings = Collections.unmodifiableMap(copy);
  }

  /**
   * A judge's settings.
   *
   * @param type the judge type, e.g. {@code exact}
   * @param settings setting name to value
   * @return the config
   * @throws ConfigurationException if the type is blank
   */
  public static JudgeConfig of(String type, Map<String, String> settings) {
    return new JudgeConfig(type, settings);
  }

  /**
   * A judge without settings.
   *
   * @param type the judge type
   * @return the config
   * @throws ConfigurationException if the type is blank
   */
  public static JudgeConfig of(String type) {
    return new JudgeConfig(type, Map.of());
  }

  /**
   * The judge type.
   *
   * @return the type
   */
  public String type() {
    return type;
  }

  /**
   * Every setting, sorted by name.
   *
   * @return an unmodifiable map
   */
  public Map<String, String> settings() {
    return settings;
  }

  /**
   * A setting's value.
   *
   * @param name the setting name
   * @return the value, if present
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(settings.get(name));
  }

  /**
   * A required, non-blank setting.
   *
   * @param name the setting name
   * @return the value
   * @throws ConfigurationException if it is missing or blank, naming the judge and the setting
   */
  public String require(String name) {
    String v = settings.get(name);
    if (v == null || v.isBlank()) {
      throw new ConfigurationException("judge '" + type + "' needs setting '" + name + "'"
          + (v == null ? "" : " (it is blank)") + "; present: " + settings.keySet());
    }
    return v;
  }

  /**
   * A numeric setting.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is not a finite number
   */
  public double getDouble(String name, double fallback) {
    String v = settings.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException("judge '" + type + "' setting '" + name + "' = '" + v
        + "' is not a finite number");
  }

  /**
   * A whole-number setting.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is not a whole number
   */
  public long getLong(String name, long fallback) {
    String v = settings.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return new BigDecimal(v.trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigurationException("judge '" + type + "' setting '" + name + "' = '" + v
          + "' is not a whole number", e);
    }
  }

  /**
   * A boolean setting: {@code true} or {@code false}, in any case.
   *
   * @param name the setting name
   * @param fallback used when the setting is absent
   * @return the value
   * @throws ConfigurationException if the value is neither
   */
  public boolean getBoolean(String name, boolean fallback) {
    String v = settings.get(name);
    if (v == null) {
      return fallback;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw new ConfigurationException("judge '" + type + "' setting '" + name + "' = '" + v
        + "' is not a boolean; use true or false");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JudgeConfig && ((JudgeConfig) o).type.equals(type)
        && ((JudgeConfig) o).settings.equals(settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, settings);
  }

  /** The type and the settings, e.g. {@code numeric{tolerance=0.01}}; stable across runs. */
  @Override
  public String toString() {
    return settings.isEmpty() ? type : type + settings;
  }
}
