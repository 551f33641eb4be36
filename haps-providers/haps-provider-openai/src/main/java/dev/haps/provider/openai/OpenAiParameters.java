package dev.haps.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.ConfigurationException;
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
import java.util.List;
import java.util.Map;

/**
 * The tunable parameters an OpenAI-compatible endpoint declares, and how each goes on the wire.
 * Only values given are written; nothing is defaulted.
 */
final class OpenAiParameters {

  /** The choice of {@code stop} that sends no stop sequences. */
  static final String NO_STOP = "none";

  private static final String STOP_PREFIX = "stop.";

  private final ParameterSpace space;
  private final Map<String, List<String>> stopSets;
  private final String maxTokensField;

  private OpenAiParameters(
      ParameterSpace space, Map<String, List<String>> stopSets, String maxTokensField) {
    this.space = space;
    this.stopSets = stopSets;
    this.maxTokensField = maxTokensField;
  }

  static OpenAiParameters from(ProviderConfig config) {
    List<ParameterSpec> specs = new ArrayList<>(List.of(
        FloatSpec.of("temperature", 0.0, 2.0, 1.0),
        FloatSpec.of("top_p", 0.0, 1.0, 1.0),
        IntSpec.of("max_tokens", 1, 131_072, 1024),
        FloatSpec.of("presence_penalty", -2.0, 2.0, 0.0),
        FloatSpec.of("frequency_penalty", -2.0, 2.0, 0.0),
        IntSpec.of("seed", 0, Integer.MAX_VALUE, 0)));
    if (config.getBoolean("extraSampling", false)) {
      specs.add(IntSpec.of("top_k", -1, 1000, -1));
      specs.add(FloatSpec.of("min_p", 0.0, 1.0, 0.0));
      specs.add(FloatSpec.of("repetition_penalty", 0.5, 2.0, 1.0));
    }
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
    if (!stopSets.isEmpty()) {
      List<String> choices = new ArrayList<>();
      choices.add(NO_STOP);
      choices.addAll(stopSets.keySet());
      specs.add(new CategoricalSpec("stop", choices, NO_STOP));
    }
    String field = config.get("maxTokensField").orElse("max_tokens").trim();
    if (!(field.equals("max_tokens") || field.equals("max_completion_tokens"))) {
      throw new ConfigurationException("provider '" + config.id() + "' setting 'maxTokensField'"
          + " = '" + field + "' is not supported; use max_tokens or max_completion_tokens");
    }
    return new OpenAiParameters(ParameterSpace.of(specs),
        Collections.unmodifiableMap(stopSets), field);
  }

  ParameterSpace space() {
    return space;
  }

  /** Writes checked values under their wire names. */
  void write(ObjectNode body, ParameterValues values) {
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      String name = e.getKey();
      if (name.equals("stop")) {
        List<String> seqs = stopSets.get((String) e.getValue());
        if (seqs != null) {
          ArrayNode a = body.putArray("stop");
          seqs.forEach(a::add);
        }
      } else {
        Json.put(body, name.equals("max_tokens") ? maxTokensField : name, e.getValue());
      }
    }
  }
}
