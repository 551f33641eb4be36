package dev.haps.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.internal.JsonConfigReader;
import dev.haps.runtime.HapsRouter;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The JSON configuration of {@link RoutingClient#fromConfig(Path)} and
 * {@link ClientConfigLoader}: provider instances,
 * candidate mappings and the optional policies. Provider settings are flattened to the string
 * settings of {@link ProviderConfig} (nested objects become dotted names, arrays their JSON text)
 * and keep their {@code ${env:NAME}} references, which the provider resolves and reports by
 * name; other strings are resolved here.
 */
final class ClientConfig {

  static final Set<String> TOP = Set.of("providers", "candidates", "bundle", "deadline",
      "maxCandidates", "retry", "circuitBreaker", "feedback", "systemPrompts");
  private static final Set<String> RETRY = Set.of("maxRetries", "initialBackoff", "maxBackoff",
      "multiplier", "jitter", "maxRetryAfter", "budgetReserve", "budgetRatio");

  /** Reads the keys; messages start {@code "config file <path>"} or the embedder's name. */
  private final JsonConfigReader r;
  private final JsonNode root;
  private final UnaryOperator<String> env;

  private ClientConfig(JsonConfigReader r, JsonNode root, UnaryOperator<String> env) {
    this.r = r;
    this.root = root;
    this.env = env;
  }

  static ClientConfig read(Path file, UnaryOperator<String> env) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigurationException("config file " + file + " cannot be read (" + e
          + "); check the path", e);
    }
    return parse(new JsonConfigReader("config file", file.toString(),
        file.toAbsolutePath().getParent(), env), bytes, env);
  }

  /** The configuration as JSON bytes, read with {@code r} (which names it in messages). */
  static ClientConfig parse(JsonConfigReader r, byte[] json, UnaryOperator<String> env) {
    JsonNode root = JsonConfigReader.parse(r.source(), json);
    if (root == null || !root.isObject()) {
      throw r.error("", "must be a JSON object with \"providers\" and \"candidates\"");
    }
    r.onlyKeys(root, "", TOP);
    return new ClientConfig(r, root, env);
  }

  /**
   * Builds the client; everything created is closed again if the build fails.
   *
   * @param given the router, or null for the configuration's bundle
   * @param decorator wraps each created provider, or null
   */
  RoutingClient build(Router given, ClientConfigLoader.ProviderDecorator decorator) {
    List<AutoCloseable> created = new ArrayList<>();
    try {
      RoutingClient.Builder b = RoutingClient.builder();
      Map<String, LlmProvider> providers = providers(created, decorator);
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
        throw new ConfigurationException(r.source() + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private Map<String, LlmProvider> providers(List<AutoCloseable> created,
      ClientConfigLoader.ProviderDecorator decorator) {
    JsonNode ps = root.path("providers");
    if (!ps.isObject() || ps.isEmpty()) {
      throw r.error("providers", "must be an object of provider instances, e.g. {\"local\":"
          + " {\"type\": \"openai\", \"baseUrl\": \"http://127.0.0.1:8000/v1\"}}");
    }
    ProviderRegistry registry = ProviderRegistry.load();
    Map<String, LlmProvider> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : ps.properties()) {
      String id = e.getKey();
      JsonNode p = e.getValue();
      if (!p.isObject() || !p.path("type").isTextual()) {
        throw r.error("providers." + id, "needs a \"type\" (installed: " + registry.types() + ")");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> s : p.properties()) {
        if (!s.getKey().equals("type")) {
          flatten(s.getKey(), s.getValue(), settings);
        }
      }
      String type = p.path("type").asText();
      ProviderConfig config = ProviderConfig.of(id, settings, env);
      LlmProvider provider;
      try {
        provider = registry.create(type, config);
      } catch (ConfigurationException ex) {
        throw new ConfigurationException(r.source() + ": " + ex.getMessage(), ex);
      }
      created.add(provider);
      if (decorator != null) {
        LlmProvider decorated = Objects.requireNonNull(
            decorator.decorate(type, config, provider), "decorated provider");
        // The decorated provider now owns the created one: closing both would close it twice.
        created.set(created.size() - 1, decorated);
        provider = decorated;
      }
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
      throw r.error("bundle", "must be the path of a bundle folder or zip");
    }
    Path path = r.resolvePath(r.text("bundle", bundle));
    return HapsRouter.builder().bundle(path).build();
  }

  private void candidates(RoutingClient.Builder b) {
    JsonNode cs = root.path("candidates");
    if (!cs.isObject() || cs.isEmpty()) {
      throw r.error("candidates", "must map bundle candidates to providers, e.g."
          + " {\"gpt-4\": {\"provider\": \"local\", \"model\": \"gpt-4o\"}, \"*\":"
          + " {\"provider\": \"local\"}}");
    }
    for (Map.Entry<String, JsonNode> e : cs.properties()) {
      String where = "candidates." + e.getKey();
      JsonNode c = e.getValue();
      if (!c.isObject() || !c.path("provider").isTextual()) {
        throw r.error(where, "needs a \"provider\" naming one of " + fieldNames(
            root.path("providers")));
      }
      r.onlyKeys(c, where, Set.of("provider", "model"));
      String provider = r.text(where + ".provider", c.path("provider"));
      if (c.has("model")) {
        if (!c.path("model").isTextual()) {
          throw r.error(where + ".model", "must be the backend's model name");
        }
        b.candidate(e.getKey(), provider, r.text(where + ".model", c.path("model")));
      } else {
        b.candidate(e.getKey(), provider);
      }
    }
  }

  private void policies(RoutingClient.Builder b) {
    if (root.has("deadline")) {
      b.deadline(r.duration("deadline", root.path("deadline")));
    }
    if (root.has("maxCandidates")) {
      b.maxCandidates(r.integer("maxCandidates", root.path("maxCandidates"), 1, 1000));
    }
    JsonNode rt = root.path("retry");
    if (!rt.isMissingNode()) {
      r.onlyKeys(rt, "retry", RETRY);
      RetryPolicy d = RetryPolicy.defaults();
      RetryPolicy.Builder rb = RetryPolicy.builder()
          .maxRetries(rt.has("maxRetries")
              ? r.integer("retry.maxRetries", rt.path("maxRetries"), 0, 100) : d.maxRetries())
          .backoff(rt.has("initialBackoff")
                  ? r.duration("retry.initialBackoff", rt.path("initialBackoff"))
                  : d.initialBackoff(),
              rt.has("maxBackoff") ? r.duration("retry.maxBackoff", rt.path("maxBackoff"))
                  : d.maxBackoff(),
              rt.has("multiplier") ? r.number("retry.multiplier", rt.path("multiplier"))
                  : d.multiplier())
          .jitter(rt.has("jitter") ? r.number("retry.jitter", rt.path("jitter")) : d.jitter())
          .maxRetryAfter(rt.has("maxRetryAfter")
              ? r.duration("retry.maxRetryAfter", rt.path("maxRetryAfter")) : d.maxRetryAfter())
          .budget(rt.has("budgetReserve")
                  ? r.integer("retry.budgetReserve", rt.path("budgetReserve"), 0,
                      Integer.MAX_VALUE)
                  : d.budgetReserve(),
              rt.has("budgetRatio") ? r.number("retry.budgetRatio", rt.path("budgetRatio"))
                  : d.budgetRatio());
      b.retry(rb.build());
    }
    JsonNode cb = root.path("circuitBreaker");
    if (!cb.isMissingNode()) {
      r.onlyKeys(cb, "circuitBreaker", Set.of("failureThreshold", "openFor"));
      CircuitBreakerPolicy d = CircuitBreakerPolicy.defaults();
      b.circuitBreaker(new CircuitBreakerPolicy(
          cb.has("failureThreshold")
              ? r.integer("circuitBreaker.failureThreshold", cb.path("failureThreshold"), 1,
                  1_000_000)
              : d.failureThreshold(),
          cb.has("openFor") ? r.duration("circuitBreaker.openFor", cb.path("openFor"))
              : d.openFor()));
    }
    JsonNode fb = root.path("feedback");
    if (!fb.isMissingNode()) {
      r.onlyKeys(fb, "feedback", Set.of("path", "log", "task"));
      if (fb.has("log")) {
        // A bandit feedback log folder (calls.jsonl + scores.jsonl): docs/learning-loop.md.
        if (fb.has("path")) {
          throw r.error("feedback", "set either \"path\" (an outcomes.jsonl file) or \"log\" (a"
              + " bandit feedback log folder), not both");
        }
        b.feedbackLog(r.resolvePath(r.text("feedback.log", fb.path("log"))));
      } else if (!fb.path("path").isTextual()) {
        throw r.error("feedback.path", "must be the outcomes.jsonl file feedback is appended to"
            + " (or set \"log\": a bandit feedback log folder)");
      } else {
        b.feedbackSink(r.resolvePath(r.text("feedback.path", fb.path("path"))));
      }
      if (fb.has("task")) {
        b.feedbackTask(r.text("feedback.task", fb.path("task")));
      }
    }
    JsonNode sp = root.path("systemPrompts");
    if (!sp.isMissingNode()) {
      if (!sp.isObject()) {
        throw r.error("systemPrompts", "must map a parameter to {choice: system prompt}");
      }
      for (Map.Entry<String, JsonNode> e : sp.properties()) {
        String where = "systemPrompts." + e.getKey();
        Map<String, String> prompts = new LinkedHashMap<>();
        if (!e.getValue().isObject() || e.getValue().isEmpty()) {
          throw r.error(where, "must map each choice to its system prompt");
        }
        for (Map.Entry<String, JsonNode> choice : e.getValue().properties()) {
          if (!choice.getValue().isTextual()) {
            throw r.error(where + "." + choice.getKey(), "must be a system prompt (text)");
          }
          prompts.put(choice.getKey(), r.text(where + "." + choice.getKey(), choice.getValue()));
        }
        b.transformer(e.getKey(), RequestTransformers.systemPrompt(prompts));
      }
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
