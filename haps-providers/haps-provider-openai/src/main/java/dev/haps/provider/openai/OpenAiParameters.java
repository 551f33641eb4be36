package dev.haps.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The tunable parameters an OpenAI-compatible endpoint declares, per model, and how each goes on
 * the wire. Only values given are written; nothing is defaulted.
 *
 * <p>Every model gets the common sampling parameters. A model's {@code model.<name>.*} settings
 * add {@code reasoning_effort} and {@code verbosity} (categoricals with the configured choices),
 * remove the parameters it rejects, and choose the wire name of {@code max_tokens}. OpenAI's
 * reasoning families (names starting {@code o1}, {@code o3}, {@code o4}, ... or {@code gpt-5},
 * except the {@code -chat} variants) need no setting for the last two: they take
 * {@code max_completion_tokens} and reject {@link #REASONING_REJECTS}.
 */
final class OpenAiParameters {

  /** The choice of {@code stop} that sends no stop sequences. */
  static final String NO_STOP = "none";

  static final String REASONING_EFFORT = "reasoning_effort";
  static final String VERBOSITY = "verbosity";
  static final String MAX_TOKENS = "max_tokens";
  static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

  /** What OpenAI's reasoning models refuse unless a model's {@code rejects} says otherwise. */
  static final List<String> REASONING_REJECTS =
      List.of("temperature", "top_p", "presence_penalty", "frequency_penalty");

  private static final String STOP_PREFIX = "stop.";
  private static final String MODEL_PREFIX = "model.";
  private static final List<String> MODEL_KEYS =
      List.of("reasoningEffort", "verbosity", "rejects", "maxTokensField");
  /** OpenAI's reasoning families: o1, o3, o4-mini, ... and gpt-5 (not gpt-5-chat). */
  private static final Pattern REASONING_FAMILY =
      Pattern.compile("^(o\\d+([-.].*)?|gpt-5(?!.*-chat).*)$");

  private final String providerId;
  private final List<ParameterSpec> common;
  private final Map<String, List<String>> stopSets;
  private final String maxTokensField;
  private final Map<String, ModelRules> configured;
  private final Map<String, ModelRules> resolved = new ConcurrentHashMap<>();

  private OpenAiParameters(String providerId, List<ParameterSpec> common,
      Map<String, List<String>> stopSets, String maxTokensField,
      Map<String, Map<String, String>> modelSettings) {
    this.providerId = providerId;
    this.common = common;
    this.stopSets = stopSets;
    this.maxTokensField = maxTokensField;
    Map<String, ModelRules> rules = new LinkedHashMap<>();
    modelSettings.forEach((model, keys) -> rules.put(model, build(model, keys)));
    this.configured = Collections.unmodifiableMap(rules);
  }

  /**
   * One model's rules: its space, the parameters it rejects and why, and the wire name of
   * {@code max_tokens}.
   */
  record ModelRules(ParameterSpace space, Map<String, String> rejected, String maxTokensField) {}

  static OpenAiParameters from(ProviderConfig config) {
    List<ParameterSpec> specs = new ArrayList<>(List.of(
        FloatSpec.of("temperature", 0.0, 2.0, 1.0),
        FloatSpec.of("top_p", 0.0, 1.0, 1.0),
        IntSpec.of(MAX_TOKENS, 1, 131_072, 1024),
        FloatSpec.of("presence_penalty", -2.0, 2.0, 0.0),
        FloatSpec.of("frequency_penalty", -2.0, 2.0, 0.0),
        IntSpec.of("seed", 0, Integer.MAX_VALUE, 0)));
    if (config.getBoolean("extraSampling", false)) {
      specs.add(IntSpec.of("top_k", -1, 1000, -1));
      specs.add(FloatSpec.of("min_p", 0.0, 1.0, 0.0));
      specs.add(FloatSpec.of("repetition_penalty", 0.5, 2.0, 1.0));
    }
    Map<String, List<String>> stopSets = stopSets(config);
    if (!stopSets.isEmpty()) {
      List<String> choices = new ArrayList<>();
      choices.add(NO_STOP);
      choices.addAll(stopSets.keySet());
      specs.add(new CategoricalSpec("stop", choices, NO_STOP));
    }
    String field = config.get("maxTokensField").orElse(MAX_TOKENS).trim();
    checkField(config.id(), field, "maxTokensField");
    return new OpenAiParameters(config.id(), List.copyOf(specs),
        Collections.unmodifiableMap(stopSets), field, modelSettings(config));
  }

  /**
   * The rules of one model: configured ones, else the family defaults. Cached per name, since an
   * endpoint without a {@code models} list serves any name.
   */
  ModelRules rules(String model) {
    ModelRules r = configured.get(model);
    return r != null ? r : resolved.computeIfAbsent(model, m -> build(m, Map.of()));
  }

  ParameterSpace space(String model) {
    return rules(model).space();
  }

  /** The configured models: those with {@code model.<name>.*} settings. */
  Set<String> configuredModels() {
    return configured.keySet();
  }

  /**
   * Refuses, before validation, what the model rejects or never declared, with the rule; the
   * generic "not a declared parameter" would not say why.
   */
  void checkRules(String model, ParameterValues values) {
    ModelRules r = rules(model);
    for (String name : values.names()) {
      Object value = values.get(name).orElseThrow();
      String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
      String refused = "provider '" + providerId + "' model '" + model + "': parameter '" + name
          + "' = " + shown + " is refused: ";
      String rule = r.rejected().get(name);
      if (rule != null) {
        throw new InvalidParameterException(name, String.valueOf(value), refused + rule);
      }
      if ((name.equals(REASONING_EFFORT) || name.equals(VERBOSITY))
          && r.space().spec(name).isEmpty()) {
        throw new InvalidParameterException(name, String.valueOf(value), refused
            + "the model declares no " + name + "; configure " + MODEL_PREFIX + model + "."
            + (name.equals(REASONING_EFFORT) ? "reasoningEffort" : "verbosity")
            + " with the values it accepts");
      }
    }
  }

  /** Writes checked values under their wire names. */
  void write(String model, ObjectNode body, ParameterValues values) {
    String tokensField = rules(model).maxTokensField();
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      String name = e.getKey();
      if (name.equals("stop")) {
        List<String> seqs = stopSets.get((String) e.getValue());
        if (seqs != null) {
          ArrayNode a = body.putArray("stop");
          seqs.forEach(a::add);
        }
      } else {
        Json.put(body, name.equals(MAX_TOKENS) ? tokensField : name, e.getValue());
      }
    }
  }

  static boolean reasoningFamily(String model) {
    String name = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return REASONING_FAMILY.matcher(name).matches();
  }

  /** The {@code model.<name>.<key>} settings, grouped by model. */
  private static Map<String, Map<String, String>> modelSettings(ProviderConfig config) {
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
            + MODEL_KEYS + ", e.g. \"model\": {\"o3-mini\": {\"reasoningEffort\":"
            + " [\"low\", \"medium\", \"high\"]}}");
      }
      byModel.computeIfAbsent(model, m -> new LinkedHashMap<>())
          .put(key, config.require(name).trim());
    }
    return byModel;
  }

  private ModelRules build(String model, Map<String, String> keys) {
    boolean family = reasoningFamily(model);
    String where = MODEL_PREFIX + model + ".";
    List<ParameterSpec> specs = new ArrayList<>(common);

    Map<String, String> rejected = new LinkedHashMap<>();
    if (keys.containsKey("rejects")) {
      for (String name : list(keys, where + "rejects")) {
        rejected.put(name, "the setting " + where + "rejects lists it");
      }
    } else if (family) {
      for (String name : REASONING_REJECTS) {
        rejected.put(name, "OpenAI reasoning models (o-series, gpt-5) accept only their default "
            + name + "; leave it out, or set " + where + "rejects if this model takes it");
      }
    }
    specs.removeIf(s -> rejected.containsKey(s.name()));
    for (String name : rejected.keySet()) {
      if (common.stream().noneMatch(s -> s.name().equals(name))) {
        throw new ConfigurationException("provider '" + providerId + "' setting '" + where
            + "rejects' names '" + name + "', which is not a parameter of this provider; its"
            + " parameters: " + names(common));
      }
    }
    if (keys.containsKey("reasoningEffort")) {
      specs.add(categorical(REASONING_EFFORT, list(keys, where + "reasoningEffort"),
          where + "reasoningEffort"));
    }
    if (keys.containsKey("verbosity")) {
      specs.add(categorical(VERBOSITY, list(keys, where + "verbosity"), where + "verbosity"));
    }
    String field = keys.containsKey("maxTokensField")
        ? checkField(providerId, keys.get("maxTokensField"), where + "maxTokensField")
        : family ? MAX_COMPLETION_TOKENS : maxTokensField;
    return new ModelRules(ParameterSpace.of(specs), Collections.unmodifiableMap(rejected), field);
  }

  private CategoricalSpec categorical(String name, List<String> choices, String setting) {
    if (choices.isEmpty()) {
      throw new ConfigurationException("provider '" + providerId + "' setting '" + setting
          + "' lists no value; give the values the model accepts, e.g. [\"low\", \"medium\","
          + " \"high\"]");
    }
    // "medium" is OpenAI's default effort and verbosity; otherwise the first listed.
    String dflt = choices.contains("medium") ? "medium" : choices.get(0);
    return new CategoricalSpec(name, choices, dflt);
  }

  /** A list value: a JSON array of strings or comma-separated text. */
  private List<String> list(Map<String, String> keys, String setting) {
    String raw = keys.get(setting.substring(setting.lastIndexOf('.') + 1));
    List<String> items = new ArrayList<>();
    if (raw.startsWith("[")) {
      items.addAll(Json.stringArraySetting(providerId, setting, raw));
    } else {
      for (String part : raw.split(",")) {
        items.add(part.trim());
      }
    }
    items.removeIf(String::isBlank);
    return List.copyOf(new LinkedHashSet<>(items));
  }

  private static String checkField(String providerId, String field, String setting) {
    if (!(field.equals(MAX_TOKENS) || field.equals(MAX_COMPLETION_TOKENS))) {
      throw new ConfigurationException("provider '" + providerId + "' setting '" + setting
          + "' = '" + field + "' is not supported; use " + MAX_TOKENS + " or "
          + MAX_COMPLETION_TOKENS + " (OpenAI reasoning models)");
    }
    return field;
  }

  private static Map<String, List<String>> stopSets(ProviderConfig config) {
    Map<String, List<String>> stopSets = new LinkedHashMap<>();
    for (String name : config.names()) {
      if (name.startsWith(STOP_PREFIX)) {
        String set = name.substring(STOP_PREFIX.length());
        if (set.isBlank() || set.equals(NO_STOP)) {
          throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
              + "' needs a set name other than '" + NO_STOP + "', e.g. stop.paragraph");
        }
        String raw = config.require(name).trim();
        List<String> seqs = raw.startsWith("[")
            ? Json.stringArraySetting(config.id(), name, raw)
            : List.of(raw);
        if (seqs.isEmpty() || seqs.size() > 4 || seqs.stream().anyMatch(String::isEmpty)) {
          throw new ConfigurationException("provider '" + config.id() + "' setting '" + name
              + "' must hold 1 to 4 non-empty stop sequences, got " + seqs.size());
        }
        stopSets.put(set, List.copyOf(seqs));
      }
    }
    return stopSets;
  }

  private static List<String> names(List<ParameterSpec> specs) {
    List<String> out = new ArrayList<>();
    specs.forEach(s -> out.add(s.name()));
    return out;
  }
}
