package dev.haps.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.JsonProblems;
import dev.haps.runtime.HapsRouter;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON configuration file of {@link RoutingClient#fromConfig(Path)}: provider instances,
 * candidate mappings and the optional policies. Provider settings are flattened to the string
 * settings of {@link ProviderConfig} (nested objects become dotted names, arrays their JSON text)
 * and keep their {@code ${env:NAME}} references, which the provider resolves and reports by
 * name; other strings are resolved here.
 */
final class ClientConfig {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Set<String> TOP = Set.of("providers", "candidates", "bundle", "deadline",
      "maxCandidates", "retry", "circuitBreaker", "feedback", "systemPrompts");
  private static final Set<String> RETRY = Set.of("maxRetries", "initialBackoff", "maxBackoff",
      "multiplier", "jitter", "maxRetryAfter", "budgetReserve", "budgetRatio");

  private final Path file;
  private final JsonNode root;
  private final UnaryOperator<String> env;

  private ClientConfig(Path file, JsonNode root, UnaryOperator<String> env) {
    this.file = file;
    this.root = root;
    this.env = env;
  }

  static ClientConfig read(Path file, UnaryOperator<String> env) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("config file " + file + " is not valid JSON: "
          + JsonProblems.message(e) + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")", e);
    } catch (IOException e) {
      throw new ConfigurationException("config file " + file + " cannot be read (" + e
          + "); check the path", e);
    }
    ClientConfig c = new ClientConfig(file, root, env);
    if (root == null || !root.isObject()) {
      throw c.error("", "must be a JSON object with \"providers\" and \"candidates\"");
    }
    c.onlyKeys(root, "", TOP);
    return c;
  }

  /** Builds the client; everything created is closed again if the build fails. */
  RoutingClient build(Router given) {
    List<AutoCloseable> created = new ArrayList<>();
    try {
      RoutingClient.Builder b = RoutingClient.builder();
      Map<String, LlmProvider> providers = providers(created);
      providers.forEach(b::provider);
      Router router = given;
      if (router == null) {
        router = router();
        created.add(router);
      }
      b.router(router);
      candidates(b);
      policies(b);
      created.forEach(b::own);
      return b.build();
    } catch (RuntimeException e) {
      for (AutoCloseable c : created) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        throw new ConfigurationException("config file " + file + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private Map<String, LlmProvider> providers(List<AutoCloseable> created) {
    JsonNode ps = root.path("providers");
    if (!ps.isObject() || ps.isEmpty()) {
      throw error("providers", "must be an object of provider instances, e.g. {\"local\":"
          + " {\"type\": \"openai\", \"baseUrl\": \"http://127.0.0.1:8000/v1\"}}");
    }
    ProviderRegistry registry = ProviderRegistry.load();
    Map<String, LlmProvider> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : ps.properties()) {
      String id = e.getKey();
      JsonNode p = e.getValue();
      if (!p.isObject() || !p.path("type").isTextual()) {
        throw error("providers." + id, "needs a \"type\" (installed: " + registry.types() + ")");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> s : p.properties()) {
        if (!s.getKey().equals("type")) {
          flatten(s.getKey(), s.getValue(), settings);
        }
      }
      String type = p.path("type").asText();
      LlmProvider provider;
      try {
        provider = registry.create(type, ProviderConfig.of(id, settings, env));
      } catch (ConfigurationException ex) {
        throw new ConfigurationException("config file " + file + ": " + ex.getMessage(), ex);
      }
      created.add(provider);
      out.put(id, provider);
    }
    return out;
  }

  private static void flatten(String name, JsonNode v, Map<String, String> out) {
    if (v.isObject()) {
      v.properties().forEach(e -> flatten(name + "." + e.getKey(), e.getValue(), out));
    } else if (v.isArray()) {
      out.put(name, v.toString());
    } else if (!v.isNull()) {
      out.put(name, v.asText());
    }
  }

  private Router router() {
    JsonNode bundle = root.path("bundle");
    if (bundle.isMissingNode() || bundle.isNull()) {
      return HapsRouter.withDefaults();
    }
    if (!bundle.isTextual()) {
      throw error("bundle", "must be the path of a bundle folder or zip");
    }
    Path path = resolvePath(text("bundle", bundle));
    return HapsRouter.builder().bundle(path).build();
  }

  private void candidates(RoutingClient.Builder b) {
    JsonNode cs = root.path("candidates");
    if (!cs.isObject() || cs.isEmpty()) {
      throw error("candidates", "must map bundle candidates to providers, e.g."
          + " {\"gpt-4\": {\"provider\": \"local\", \"model\": \"gpt-4o\"}, \"*\":"
          + " {\"provider\": \"local\"}}");
    }
    for (Map.Entry<String, JsonNode> e : cs.properties()) {
      String where = "candidates." + e.getKey();
      JsonNode c = e.getValue();
      if (!c.isObject() || !c.path("provider").isTextual()) {
        throw error(where, "needs a \"provider\" naming one of " + fieldNames(
            root.path("providers")));
      }
      onlyKeys(c, where, Set.of("provider", "model"));
      String provider = text(where + ".provider", c.path("provider"));
      if (c.has("model")) {
        if (!c.path("model").isTextual()) {
          throw error(where + ".model", "must be the backend's model name");
        }
        b.candidate(e.getKey(), provider, text(where + ".model", c.path("model")));
      } else {
        b.candidate(e.getKey(), provider);
      }
    }
  }

  private void policies(RoutingClient.Builder b) {
    if (root.has("deadline")) {
      b.deadline(duration("deadline", root.path("deadline")));
    }
    if (root.has("maxCandidates")) {
      b.maxCandidates((int) number("maxCandidates", root.path("maxCandidates")));
    }
    JsonNode r = root.path("retry");
    if (!r.isMissingNode()) {
      onlyKeys(r, "retry", RETRY);
      RetryPolicy d = RetryPolicy.defaults();
      RetryPolicy.Builder rb = RetryPolicy.builder()
          .maxRetries(r.has("maxRetries") ? (int) number("retry.maxRetries", r.path("maxRetries"))
              : d.maxRetries())
          .backoff(r.has("initialBackoff")
                  ? duration("retry.initialBackoff", r.path("initialBackoff"))
                  : d.initialBackoff(),
              r.has("maxBackoff") ? duration("retry.maxBackoff", r.path("maxBackoff"))
                  : d.maxBackoff(),
              r.has("multiplier") ? number("retry.multiplier", r.path("multiplier"))
                  : d.multiplier())
          .jitter(r.has("jitter") ? number("retry.jitter", r.path("jitter")) : d.jitter())
          .maxRetryAfter(r.has("maxRetryAfter")
              ? duration("retry.maxRetryAfter", r.path("maxRetryAfter")) : d.maxRetryAfter())
          .budget(r.has("budgetReserve")
                  ? (int) number("retry.budgetReserve", r.path("budgetReserve"))
                  : d.budgetReserve(),
              r.has("budgetRatio") ? number("retry.budgetRatio", r.path("budgetRatio"))
                  : d.budgetRatio());
      b.retry(rb.build());
    }
    JsonNode cb = root.path("circuitBreaker");
    if (!cb.isMissingNode()) {
      onlyKeys(cb, "circuitBreaker", Set.of("failureThreshold", "openFor"));
      CircuitBreakerPolicy d = CircuitBreakerPolicy.defaults();
      b.circuitBreaker(new CircuitBreakerPolicy(
          cb.has("failureThreshold")
              ? (int) number("circuitBreaker.failureThreshold", cb.path("failureThreshold"))
              : d.failureThreshold(),
          cb.has("openFor") ? duration("circuitBreaker.openFor", cb.path("openFor"))
              : d.openFor()));
    }
    JsonNode fb = root.path("feedback");
    if (!fb.isMissingNode()) {
      onlyKeys(fb, "feedback", Set.of("path", "log", "task"));
      if (fb.has("log")) {
        // A bandit feedback log folder (calls.jsonl + scores.jsonl): docs/learning-loop.md.
        if (fb.has("path")) {
          throw error("feedback", "set either \"path\" (an outcomes.jsonl file) or \"log\" (a"
              + " bandit feedback log folder), not both");
        }
        b.feedbackLog(resolvePath(text("feedback.log", fb.path("log"))));
      } else if (!fb.path("path").isTextual()) {
        throw error("feedback.path", "must be the outcomes.jsonl file feedback is appended to"
            + " (or set \"log\": a bandit feedback log folder)");
      } else {
        b.feedbackSink(resolvePath(text("feedback.path", fb.path("path"))));
      }
      if (fb.has("task")) {
        b.feedbackTask(text("feedback.task", fb.path("task")));
      }
    }
    JsonNode sp = root.path("systemPrompts");
    if (!sp.isMissingNode()) {
      if (!sp.isObject()) {
        throw error("systemPrompts", "must map a parameter to {choice: system prompt}");
      }
      for (Map.Entry<String, JsonNode> e : sp.properties()) {
        String where = "systemPrompts." + e.getKey();
        Map<String, String> prompts = new LinkedHashMap<>();
        if (!e.getValue().isObject() || e.getValue().isEmpty()) {
          throw error(where, "must map each choice to its system prompt");
        }
        for (Map.Entry<String, JsonNode> choice : e.getValue().properties()) {
          if (!choice.getValue().isTextual()) {
            throw error(where + "." + choice.getKey(), "must be a system prompt (text)");
          }
          prompts.put(choice.getKey(), text(where + "." + choice.getKey(), choice.getValue()));
        }
        b.transformer(e.getKey(), RequestTransformers.systemPrompt(prompts));
      }
    }
  }

  private Path resolvePath(String p) {
    Path path = Path.of(p);
    Path dir = file.toAbsolutePath().getParent();
    return path.isAbsolute() || dir == null ? path : dir.resolve(path);
  }

  private String text(String where, JsonNode v) {
    String raw = v.asText();
    Matcher m = ENV_REF.matcher(raw);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.apply(m.group(1));
      if (value == null) {
        throw error(where, "references environment variable " + m.group(1) + ", which is not"
            + " set; export " + m.group(1) + " or write the value in the file");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private double number(String where, JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      String s = text(where, v).trim();
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw error(where, "= '" + s + "' is not a number");
      }
    }
    throw error(where, "must be a number");
  }

  private Duration duration(String where, JsonNode v) {
    if (v.isIntegralNumber()) {
      return Duration.ofMillis(v.asLong());
    }
    if (v.isTextual()) {
      String s = text(where, v).trim();
      try {
        return s.matches("\\d+") ? Duration.ofMillis(Long.parseLong(s)) : Duration.parse(s);
      } catch (DateTimeParseException | NumberFormatException e) {
        throw error(where, "= '" + s + "' is not a duration; use milliseconds (30000) or"
            + " ISO-8601 (\"PT30S\")");
      }
    }
    throw error(where, "must be a duration: milliseconds (30000) or ISO-8601 (\"PT30S\")");
  }

  private void onlyKeys(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw error(where, "must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error(where.isEmpty() ? k : where + "." + k, "is not a known key; known here: "
            + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private ConfigurationException error(String where, String what) {
    return new ConfigurationException("config file " + file
        + (where.isEmpty() ? "" : ": \"" + where + "\"") + " " + what);
  }
}
