package dev.haps.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.provider.http.Json;
import dev.haps.spi.ProviderConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tunable parameters of Gemini's {@code generateContent}, per model, and where each goes in
 * {@code generationConfig}. Only values given are written; nothing is defaulted.
 *
 * <p>{@code thinking_budget} is declared per model: by default [0, 24576] (Gemini 2.5 Flash, 0 =
 * off); {@code model.<name>.thinkingBudget} sets another range ({@code [128, 32768]} for 2.5 Pro,
 * which cannot turn thinking off) or {@code none} (models without thinking), and
 * {@code model.<name>.thinkingOff = true} also allows 0 below a range that starts higher
 * (2.5 Flash-Lite: 0 or 512 to 24576).
 */
final class GeminiParameters {

  static final String THINKING_BUDGET = "thinking_budget";
  static final long DEFAULT_THINKING_MAX = 24_576;

  private static final String MODEL_PREFIX = "model.";
  private static final List<String> MODEL_KEYS = List.of("thinkingBudget", "thinkingOff");
  /** Our names to {@code generationConfig} fields. */
  private static final Map<String, String> WIRE = Map.of(
      "temperature", "temperature",
      "top_p", "topP",
      "top_k", "topK",
      "max_tokens", "maxOutputTokens");

  private final String providerId;
  private final List<ParameterSpec> common;
  private final Map<String, Thinking> configured;
  private final Thinking fallback = new Thinking(0, DEFAULT_THINKING_MAX, true);

  /**
   * A model's thinking budgets: {@code min}..{@code max}, and 0 (off) when {@code off}; a
   * {@code max} of -1 means the model does not think.
   */
  record Thinking(long min, long max, boolean off) {
    Optional<IntSpec> spec() {
      if (max < 0) {
        return Optional.empty();
      }
      long lo = off ? 0 : min;
      return Optional.of(IntSpec.of(THINKING_BUDGET, lo, max, lo));
    }
  }

  private GeminiParameters(String providerId, Map<String, Thinking> configured) {
    this.providerId = providerId;
    this.common = List.of(
        FloatSpec.of("temperature", 0.0, 2.0, 1.0),
        FloatSpec.of("top_p", 0.0, 1.0, 0.95),
        IntSpec.of("top_k", 1, 100, 40),
        IntSpec.of("max_tokens", 1, 65_536, 8192));
    this.configured = configured;
  }

  static GeminiParameters from(ProviderConfig config) {
    Map<String, Map<String, String>> byModel = new LinkedHashMap<>();
    for (String name : config.names()) {
      if (!name.startsWith(MODEL_PREFIX)) {
        continue;
      }
      String rest = name.substring(MODEL_PREFIX.length());
      int dot = rest.lastIndexOf('.');
      String key = dot < 0 ? "" : rest.substring(dot + 1);
      String model = dot < 0 ? "" : rest.substring(0, dot);
      if (model.isEmpty() || !MODEL_KEYS.contains(key)) {
        throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
            + "' is not a model setting; write " + MODEL_PREFIX + "<model>.<key> with key one of "
            + MODEL_KEYS + ", e.g. \"model\": {\"gemini-2.5-pro\": {\"thinkingBudget\":"
            + " [128, 32768]}}");
      }
      byModel.computeIfAbsent(model, m -> new LinkedHashMap<>()).put(key, name);
    }
    Map<String, Thinking> configured = new LinkedHashMap<>();
    byModel.forEach((model, keys) -> configured.put(model, thinking(config, keys)));
    return new GeminiParameters(config.id(), Collections.unmodifiableMap(configured));
  }

  private static Thinking thinking(ProviderConfig config, Map<String, String> keys) {
    long min = 0;
    long max = DEFAULT_THINKING_MAX;
    String budget = keys.get("thinkingBudget");
    if (budget != null) {
      String raw = config.require(budget).trim();
      if (raw.equalsIgnoreCase("none")) {
        return new Thinking(0, -1, false);
      }
      String[] parts = raw.replace("[", "").replace("]", "").split(",");
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        min = Long.parseLong(parts[0].trim());
        max = Long.parseLong(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException("provider '" + config.id() + "' setting '" + budget
            + "' = '" + raw + "' is not a budget range; write [min, max], e.g. [128, 32768],"
            + " or none for a model without thinking", e);
      }
      if (min < 0 || max < min) {
        throw new ConfigurationException("provider '" + config.id() + "' setting '" + budget
            + "' = '" + raw + "' needs 0 <= min <= max");
      }
    }
    boolean off = keys.containsKey("thinkingOff")
        ? config.getBoolean(keys.get("thinkingOff"), false)
        : min == 0;
    return new Thinking(min, max, off);
  }

  Thinking thinking(String model) {
    return configured.getOrDefault(model, fallback);
  }

  ParameterSpace space(String model) {
    List<ParameterSpec> specs = new ArrayList<>(common);
    thinking(model).spec().ifPresent(specs::add);
    return ParameterSpace.of(specs);
  }

  /** The budget rule a range cannot express: 0 (off) or at least the model's minimum. */
  void checkRules(String model, ParameterValues values) {
    if (!values.names().contains(THINKING_BUDGET)) {
      return;
    }
    Thinking t = thinking(model);
    long b = values.getLong(THINKING_BUDGET);
    if (t.off() && b > 0 && b < t.min()) {
      throw new InvalidParameterException(THINKING_BUDGET, Long.toString(b), "provider '"
          + providerId + "' model '" + model + "': thinking_budget = " + b + " is below the"
          + " model's minimum of " + t.min() + " thinking tokens; use 0 (thinking off) or at"
          + " least " + t.min());
    }
  }

  /** Writes checked values into {@code generationConfig}; nothing when there is none. */
  void write(String model, ObjectNode body, ParameterValues values, boolean includeThoughts) {
    ObjectNode config = Json.object();
    ObjectNode thinking = Json.object();
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      if (e.getKey().equals(THINKING_BUDGET)) {
        thinking.put("thinkingBudget", (Long) e.getValue());
      } else {
        Json.put(config, WIRE.get(e.getKey()), e.getValue());
      }
    }
    if (includeThoughts && thinking(model).spec().isPresent()) {
      thinking.put("includeThoughts", true);
    }
    if (!thinking.isEmpty()) {
      config.set("thinkingConfig", thinking);
    }
    if (!config.isEmpty()) {
      body.set("generationConfig", config);
    }
  }
}
