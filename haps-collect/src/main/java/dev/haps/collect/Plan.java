package dev.haps.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.RequestTransformers;
import dev.haps.data.Configuration;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.PriceTable;
import dev.haps.spi.ProviderConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The candidates of a collection with their declared parameter spaces, prices and
 * configurations, expanded from the configuration file against the providers that serve them.
 *
 * <p>A parameter's declared space (what {@code candidates.json} records and a trained bundle
 * may generate) is the provider's own spec for the backend model, with the file's {@code min},
 * {@code max} and {@code default} applied on top; a parameter that a system-prompt transformer
 * applies ({@code prompt_style}, or a {@code systemPrompts} entry) is categorical over the values
 * the file lists, its default the first of them unless the file names one.
 */
final class Plan {

  /** One candidate: where it is served, its declared space, prices and configurations. */
  record Candidate(String id, String providerId, String backendModel, ParameterSpace space,
      double inputPricePerMtok, double outputPricePerMtok, List<Configuration> configurations) {

    boolean priced() {
      return !Double.isNaN(inputPricePerMtok) && !Double.isNaN(outputPricePerMtok);
    }
  }

  final List<Candidate> candidates;
  final List<Configuration> configurations;
  final Map<String, Candidate> byId;

  private Plan(List<Candidate> candidates) {
    this.candidates = List.copyOf(candidates);
    List<Configuration> all = new ArrayList<>();
    Map<String, Candidate> ids = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      all.addAll(c.configurations());
      ids.put(c.id(), c);
    }
    this.configurations = List.copyOf(all);
    this.byId = Collections.unmodifiableMap(ids);
  }

  Candidate candidate(String model) {
    return byId.get(model);
  }

  static Plan build(CollectConfig cfg, Map<String, LlmProvider> providers,
      Map<String, ProviderConfig> settings) {
    List<Candidate> out = new ArrayList<>();
    for (CollectConfig.CandidateSpec c : cfg.candidates) {
      out.add(candidate(cfg, c, providers.get(c.provider()), settings.get(c.provider())));
    }
    return new Plan(out);
  }

  private static Candidate candidate(CollectConfig cfg, CollectConfig.CandidateSpec c,
      LlmProvider provider, ProviderConfig settings) {
    String where = "candidates." + c.id();
    ParameterSpace served;
    try {
      served = provider.parameterSpace(c.backendModel());
    } catch (ConfigurationException e) {
      throw cfg.error(where, "cannot be served: " + e.getMessage());
    }
    // Every parameter named anywhere, in first-mention order, with the values listed for it.
    Map<String, List<Object>> listed = new LinkedHashMap<>();
    Map<String, JsonNode> overrides = new LinkedHashMap<>();
    List<String> gridNames = new ArrayList<>();
    List<List<Object>> gridValues = new ArrayList<>();
    if (c.parameters().isObject()) {
      for (Map.Entry<String, JsonNode> e : c.parameters().properties()) {
        String pw = where + ".parameters." + e.getKey();
        JsonNode v = e.getValue();
        JsonNode values = v;
        if (v.isObject()) {
          overrides.put(e.getKey(), v);
          values = v.path("values");
          if (!values.isArray() && !isScalar(values)) {
            throw cfg.error(pw, "needs \"values\": the list of values to run");
          }
        }
        List<Object> vs = new ArrayList<>();
        if (values.isArray()) {
          if (values.isEmpty()) {
            throw cfg.error(pw, "lists no value; give at least one");
          }
          for (JsonNode x : values) {
            vs.add(raw(cfg, pw, x));
          }
        } else {
          vs.add(raw(cfg, pw, values));
        }
        gridNames.add(e.getKey());
        gridValues.add(vs);
        listed.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(vs);
      }
    }
    List<Map<String, Object>> explicit = new ArrayList<>();
    if (c.configurations().isArray()) {
      int i = 0;
      for (JsonNode conf : c.configurations()) {
        String cw = where + ".configurations[" + i++ + "]";
        if (!conf.isObject()) {
          throw cfg.error(cw, "must be an object of parameter values, e.g. {\"temperature\": 0}");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : conf.properties()) {
          Object v = raw(cfg, cw + "." + e.getKey(), e.getValue());
          m.put(e.getKey(), v);
          listed.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(v);
        }
        explicit.add(m);
      }
    }
    List<ParameterSpec> specs = new ArrayList<>();
    for (Map.Entry<String, List<Object>> e : listed.entrySet()) {
      specs.add(spec(cfg, where + ".parameters." + e.getKey(), c, e.getKey(), e.getValue(),
          overrides.get(e.getKey()), served));
    }
    ParameterSpace space = ParameterSpace.of(specs);
    Set<String> keys = new LinkedHashSet<>();
    List<Configuration> configs = new ArrayList<>();
    if (!gridNames.isEmpty() || explicit.isEmpty()) {
      // The grid; with neither a grid nor explicit configurations, one run at the defaults.
      for (Map<String, Object> values : product(gridNames, gridValues)) {
        add(cfg, where, c.id(), space, values, keys, configs);
      }
    }
    for (Map<String, Object> values : explicit) {
      add(cfg, where, c.id(), space, values, keys, configs);
    }
    double[] price = price(provider, settings, c.backendModel());
    return new Candidate(c.id(), c.provider(), c.backendModel(), space, price[0], price[1],
        List.copyOf(configs));
  }

  private static void add(CollectConfig cfg, String where, String model, ParameterSpace space,
      Map<String, Object> values, Set<String> keys, List<Configuration> configs) {
    ParameterValues.Builder b = ParameterValues.builder();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      ParameterSpec spec = space.spec(e.getKey()).orElseThrow();
      try {
        b.put(e.getKey(), spec.validate(e.getValue()));
      } catch (InvalidParameterException ex) {
        throw cfg.error(where + ".parameters." + e.getKey(), ex.getMessage());
      }
    }
    Configuration conf = new Configuration(model, b.build());
    if (keys.add(conf.key())) {
      configs.add(conf);
    }
  }

  /** The cartesian product, the last parameter varying fastest; one empty map for no grid. */
  private static List<Map<String, Object>> product(List<String> names,
      List<List<Object>> values) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    if (names.isEmpty()) {
      return out;
    }
    for (int i = 0; i < names.size(); i++) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        for (Object v : values.get(i)) {
          Map<String, Object> m = new LinkedHashMap<>(partial);
          m.put(names.get(i), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  private static ParameterSpec spec(CollectConfig cfg, String where,
      CollectConfig.CandidateSpec c, String name, List<Object> values, JsonNode override,
      ParameterSpace served) {
    boolean prompt = cfg.systemPrompts.containsKey(name)
        || (served.spec(name).isEmpty() && name.equals(RequestTransformers.PROMPT_STYLE));
    try {
      if (prompt) {
        List<String> choices = new ArrayList<>();
        if (override != null && override.has("choices")) {
          for (JsonNode ch : override.path("choices")) {
            choices.add(ch.asText());
          }
        }
        for (Object v : values) {
          if (!(v instanceof String)) {
            throw cfg.error(where, "value " + v + " is not a choice: parameter '" + name
                + "' selects a system prompt, so its values are strings");
          }
          if (!choices.contains(v)) {
            choices.add((String) v);
          }
        }
        String def = override != null && override.has("default")
            ? override.path("default").asText() : choices.get(0);
        return new CategoricalSpec(name, choices, def);
      }
      ParameterSpec s = served.spec(name).orElseThrow(() -> cfg.error(where, "is declared"
          + " neither by provider '" + c.provider() + "' for model '" + c.backendModel()
          + "' (it declares " + names(served) + ") nor applied by a system prompt (add a"
          + " \"systemPrompts\" entry for it, or drop it)"));
      if (override == null) {
        return s;
      }
      if (s instanceof FloatSpec) {
        FloatSpec f = (FloatSpec) s;
        return new FloatSpec(name, num(override, "min", f.min()), num(override, "max", f.max()),
            num(override, "default", f.defaultValue()));
      }
      if (s instanceof IntSpec) {
        IntSpec f = (IntSpec) s;
        return new IntSpec(name, (long) num(override, "min", f.min()),
            (long) num(override, "max", f.max()),
            (long) num(override, "default", f.defaultValue()));
      }
      if (s instanceof CategoricalSpec) {
        CategoricalSpec f = (CategoricalSpec) s;
        List<String> choices = new ArrayList<>(f.choices());
        if (override.has("choices")) {
          choices.clear();
          override.path("choices").forEach(ch -> choices.add(ch.asText()));
        }
        return new CategoricalSpec(name, choices, override.has("default")
            ? override.path("default").asText() : f.defaultValue());
      }
      throw cfg.error(where, "is a " + s.kind() + " parameter; collect records float, int and"
          + " categorical parameters only");
    } catch (IllegalArgumentException e) {
      throw cfg.error(where, e.getMessage());
    }
  }

  private static double num(JsonNode o, String field, double fallback) {
    JsonNode v = o.path(field);
    return v.isNumber() ? v.asDouble() : fallback;
  }

  private static boolean isScalar(JsonNode v) {
    return v.isNumber() || v.isTextual();
  }

  private static Object raw(CollectConfig cfg, String where, JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      return v.asText();
    }
    throw cfg.error(where, "value " + v + " must be a number or a string");
  }

  private static List<String> names(ParameterSpace s) {
    List<String> out = new ArrayList<>();
    s.specs().forEach(p -> out.add(p.name()));
    return out;
  }

  /** The model's price: the provider's price table, else its declared models; NaN if none. */
  private static double[] price(LlmProvider provider, ProviderConfig settings, String model) {
    if (settings != null) {
      var p = PriceTable.from(settings).price(model);
      if (p.isPresent()) {
        return new double[] {p.get().inputPerMtok(), p.get().outputPerMtok()};
      }
    }
    for (ModelInfo m : provider.models()) {
      if (m.id().equals(model) && !Double.isNaN(m.inputPricePerMtok())
          && !Double.isNaN(m.outputPricePerMtok())) {
        return new double[] {m.inputPricePerMtok(), m.outputPricePerMtok()};
      }
    }
    return new double[] {Double.NaN, Double.NaN};
  }
}
