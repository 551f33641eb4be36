package dev.haps.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.client.CircuitBreakerPolicy;
import dev.haps.client.RetryPolicy;
import dev.haps.data.internal.JsonConfigReader;
import dev.haps.spi.JudgeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The collect configuration file, parsed and checked for shape (docs/collect.md): provider
 * instances as in the routing client's file, the candidates with their parameter grids or
 * explicit configurations, the judge, the client's policies and per-provider rate limits.
 * Provider settings are flattened to strings and keep their {@code ${env:NAME}} references,
 * which the provider resolves.
 */
final class CollectConfig {

  private static final Set<String> TOP = Set.of("benchmark", "providers", "candidates", "judge",
      "retry", "circuitBreaker", "deadline", "systemPrompts", "rateLimits");
  private static final Set<String> CANDIDATE = Set.of("provider", "model", "parameters",
      "configurations");
  private static final Set<String> RETRY = Set.of("maxRetries", "initialBackoff", "maxBackoff",
      "multiplier", "jitter", "maxRetryAfter", "budgetReserve", "budgetRatio");

  /** A provider instance: its type and flattened settings. */
  record ProviderSpec(String type, Map<String, String> settings) {}

  /** A candidate: provider instance, backend model, and its grid as written. */
  record CandidateSpec(String id, String provider, String backendModel, JsonNode parameters,
      JsonNode configurations) {}

  /** A provider's rate limit: requests started per minute (0: none) and calls at once (0: any). */
  record RateLimit(double requestsPerMinute, int concurrency) {}

  final Path file;
  private final JsonConfigReader reader;
  final Optional<String> benchmark;
  final Map<String, ProviderSpec> providers;
  final List<CandidateSpec> candidates;
  final Optional<JudgeConfig> judge;
  final Optional<RetryPolicy> retry;
  final Optional<CircuitBreakerPolicy> circuitBreaker;
  final Optional<Duration> deadline;
  final Map<String, Map<String, String>> systemPrompts;
  final Map<String, RateLimit> rateLimits;

  private CollectConfig(Path file, JsonNode root) {
    this.file = file;
    // No ${env:NAME} here: provider settings resolve their own, and nothing else reads it.
    this.reader = new JsonConfigReader("collect config", file.toString(), null, null);
    reader.onlyKeys(root, "", TOP);
    this.benchmark = root.has("benchmark")
        ? Optional.of(text("benchmark", root.path("benchmark"))) : Optional.empty();
    this.providers = providers(root.path("providers"));
    this.candidates = candidates(root.path("candidates"));
    this.judge = root.has("judge") ? Optional.of(judge(root.path("judge"))) : Optional.empty();
    this.retry = root.has("retry") ? Optional.of(retry(root.path("retry"))) : Optional.empty();
    this.circuitBreaker = root.has("circuitBreaker")
        ? Optional.of(breaker(root.path("circuitBreaker"))) : Optional.empty();
    this.deadline = root.has("deadline")
        ? Optional.of(reader.duration("deadline", root.path("deadline"))) : Optional.empty();
    this.systemPrompts = systemPrompts(root.path("systemPrompts"));
    this.rateLimits = rateLimits(root.path("rateLimits"));
  }

  static CollectConfig read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigurationException("collect config " + file + " cannot be read (" + e
          + "); check the path", e);
    }
    JsonNode root = JsonConfigReader.parse("collect config " + file, bytes);
    if (root == null || !root.isObject()) {
      throw new ConfigurationException("collect config " + file + " must be a JSON object with"
          + " \"providers\" and \"candidates\"");
    }
    return new CollectConfig(file, root);
  }

  private Map<String, ProviderSpec> providers(JsonNode ps) {
    if (!ps.isObject() || ps.isEmpty()) {
      throw error("providers", "must be an object of provider instances, e.g. {\"local\":"
          + " {\"type\": \"openai\", \"baseUrl\": \"http://127.0.0.1:8000/v1\"}}");
    }
    Map<String, ProviderSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : ps.properties()) {
      JsonNode p = e.getValue();
      if (!p.isObject() || !p.path("type").isTextual()) {
        throw error("providers." + e.getKey(), "needs a \"type\", e.g. openai, anthropic,"
            + " gemini or replay");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> s : p.properties()) {
        if (!s.getKey().equals("type")) {
          flatten(s.getKey(), s.getValue(), settings);
        }
      }
      out.put(e.getKey(), new ProviderSpec(p.path("type").asText(), settings));
    }
    return out;
  }

  static void flatten(String name, JsonNode v, Map<String, String> out) {
    if (v.isObject()) {
      v.properties().forEach(e -> flatten(name + "." + e.getKey(), e.getValue(), out));
    } else if (v.isArray()) {
      out.put(name, v.toString());
    } else if (!v.isNull()) {
      out.put(name, v.asText());
    }
  }

  private List<CandidateSpec> candidates(JsonNode cs) {
    if (!cs.isObject() || cs.isEmpty()) {
      throw error("candidates", "must map each candidate to its provider and parameters, e.g."
          + " {\"gpt-4o-mini\": {\"provider\": \"openai\", \"parameters\": {\"temperature\":"
          + " [0, 0.7]}}}");
    }
    List<CandidateSpec> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : cs.properties()) {
      String where = "candidates." + e.getKey();
      JsonNode c = e.getValue();
      if (!c.isObject() || !c.path("provider").isTextual()) {
        throw error(where, "needs a \"provider\" naming one of " + providers.keySet());
      }
      reader.onlyKeys(c, where, CANDIDATE);
      String provider = c.path("provider").asText();
      if (!providers.containsKey(provider)) {
        throw error(where + ".provider", "= '" + provider + "' is not a provider instance of"
            + " this file; defined: " + providers.keySet());
      }
      String model = e.getKey();
      if (c.has("model")) {
        model = text(where + ".model", c.path("model"));
      }
      JsonNode params = c.path("parameters");
      if (!params.isMissingNode() && !params.isObject()) {
        throw error(where + ".parameters", "must map each parameter to its values, e.g."
            + " {\"temperature\": [0, 0.7]}");
      }
      JsonNode configs = c.path("configurations");
      if (!configs.isMissingNode() && (!configs.isArray() || configs.isEmpty())) {
        throw error(where + ".configurations", "must be a non-empty array of parameter objects,"
            + " e.g. [{\"temperature\": 0}, {\"temperature\": 1, \"max_tokens\": 512}]");
      }
      out.add(new CandidateSpec(e.getKey(), provider, model, params, configs));
    }
    return out;
  }

  private JudgeConfig judge(JsonNode j) {
    if (j.isTextual()) {
      return JudgeConfig.of(j.asText());
    }
    if (!j.isObject() || !j.path("type").isTextual()) {
      throw error("judge", "must name a judge, e.g. {\"type\": \"exact\"} or {\"type\":"
          + " \"llm\", \"provider\": \"local\", \"model\": \"grader\"}");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> s : j.properties()) {
      if (!s.getKey().equals("type")) {
        flatten(s.getKey(), s.getValue(), settings);
      }
    }
    return JudgeConfig.of(j.path("type").asText(), settings);
  }

  private RetryPolicy retry(JsonNode r) {
    reader.onlyKeys(r, "retry", RETRY);
    RetryPolicy d = RetryPolicy.defaults();
    try {
      return RetryPolicy.builder()
          .maxRetries(r.has("maxRetries")
              ? reader.integer("retry.maxRetries", r.path("maxRetries"), 0, 100) : d.maxRetries())
          .backoff(r.has("initialBackoff")
                  ? reader.duration("retry.initialBackoff", r.path("initialBackoff"))
                  : d.initialBackoff(),
              r.has("maxBackoff") ? reader.duration("retry.maxBackoff", r.path("maxBackoff"))
                  : d.maxBackoff(),
              r.has("multiplier") ? reader.number("retry.multiplier", r.path("multiplier"))
                  : d.multiplier())
          .jitter(r.has("jitter") ? reader.number("retry.jitter", r.path("jitter")) : d.jitter())
          .maxRetryAfter(r.has("maxRetryAfter")
              ? reader.duration("retry.maxRetryAfter", r.path("maxRetryAfter")) : d.maxRetryAfter())
          .budget(r.has("budgetReserve")
                  ? reader.integer("retry.budgetReserve", r.path("budgetReserve"), 0,
                      Integer.MAX_VALUE)
                  : d.budgetReserve(),
              r.has("budgetRatio") ? reader.number("retry.budgetRatio", r.path("budgetRatio"))
                  : d.budgetRatio())
          .build();
    } catch (IllegalArgumentException e) {
      throw error("retry", e.getMessage());
    }
  }

  private CircuitBreakerPolicy breaker(JsonNode cb) {
    reader.onlyKeys(cb, "circuitBreaker", Set.of("failureThreshold", "openFor"));
    CircuitBreakerPolicy d = CircuitBreakerPolicy.defaults();
    try {
      return new CircuitBreakerPolicy(
          cb.has("failureThreshold")
              ? reader.integer("circuitBreaker.failureThreshold", cb.path("failureThreshold"), 1,
                  1_000_000)
              : d.failureThreshold(),
          cb.has("openFor") ? reader.duration("circuitBreaker.openFor", cb.path("openFor"))
              : d.openFor());
    } catch (IllegalArgumentException e) {
      throw error("circuitBreaker", e.getMessage());
    }
  }

  private Map<String, Map<String, String>> systemPrompts(JsonNode sp) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (sp.isMissingNode()) {
      return out;
    }
    if (!sp.isObject()) {
      throw error("systemPrompts", "must map a parameter to {choice: system prompt}");
    }
    for (Map.Entry<String, JsonNode> e : sp.properties()) {
      String where = "systemPrompts." + e.getKey();
      if (!e.getValue().isObject() || e.getValue().isEmpty()) {
        throw error(where, "must map each choice to its system prompt");
      }
      Map<String, String> prompts = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> choice : e.getValue().properties()) {
        if (!choice.getValue().isTextual()) {
          throw error(where + "." + choice.getKey(), "must be a system prompt (text)");
        }
        prompts.put(choice.getKey(), choice.getValue().asText());
      }
      out.put(e.getKey(), prompts);
    }
    return out;
  }

  private Map<String, RateLimit> rateLimits(JsonNode rl) {
    Map<String, RateLimit> out = new LinkedHashMap<>();
    if (rl.isMissingNode()) {
      return out;
    }
    if (!rl.isObject()) {
      throw error("rateLimits", "must map provider instances to {\"requestsPerMinute\": N,"
          + " \"concurrency\": N}");
    }
    for (Map.Entry<String, JsonNode> e : rl.properties()) {
      String where = "rateLimits." + e.getKey();
      if (!providers.containsKey(e.getKey())) {
        throw error(where, "names no provider instance of this file; defined: "
            + providers.keySet());
      }
      reader.onlyKeys(e.getValue(), where, Set.of("requestsPerMinute", "concurrency"));
      double rpm = e.getValue().has("requestsPerMinute")
          ? reader.number(where + ".requestsPerMinute", e.getValue().path("requestsPerMinute")) : 0;
      double conc = e.getValue().has("concurrency")
          ? reader.number(where + ".concurrency", e.getValue().path("concurrency")) : 0;
      if (!(rpm >= 0) || Double.isInfinite(rpm)) {
        throw error(where + ".requestsPerMinute", "= " + rpm + " must be a positive number");
      }
      if (conc < 0 || conc != Math.rint(conc) || conc > 10_000) {
        throw error(where + ".concurrency", "= " + conc + " must be a whole number from 1");
      }
      out.put(e.getKey(), new RateLimit(rpm, (int) conc));
    }
    return out;
  }

  private String text(String where, JsonNode v) {
    if (!v.isTextual() || v.asText().isBlank()) {
      throw error(where, "must be a non-blank string");
    }
    return v.asText();
  }

  ConfigurationException error(String where, String what) {
    return reader.error(where, what);
  }
}
