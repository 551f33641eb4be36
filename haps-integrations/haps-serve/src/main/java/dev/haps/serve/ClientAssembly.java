package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import dev.haps.client.CircuitBreakerPolicy;
import dev.haps.client.RequestTransformers;
import dev.haps.client.RetryPolicy;
import dev.haps.client.RoutingClient;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the routing client from the client part of the configuration (the same keys and
 * meaning as {@code RoutingClient.fromConfig}, docs/routing-client.md), with every provider
 * wrapped in a {@link ServeProvider} so that OpenAI-compatible backends receive the client's raw
 * body.
 */
final class ClientAssembly {

  private static final Set<String> RETRY = Set.of("maxRetries", "initialBackoff", "maxBackoff",
      "multiplier", "jitter", "maxRetryAfter", "budgetReserve", "budgetRatio");

  final RoutingClient client;
  final Map<String, ServeProvider> providers;
  final ChatRouting.CandidateMap candidates;

  private ClientAssembly(RoutingClient client, Map<String, ServeProvider> providers,
      ChatRouting.CandidateMap candidates) {
    this.client = client;
    this.providers = providers;
    this.candidates = candidates;
  }

  static ClientAssembly build(ServeConfig config, Router router, ServeMetrics metrics) {
    ConfigReader r = config.reader;
    JsonNode root = config.client;
    Map<String, ServeProvider> providers = new LinkedHashMap<>();
    try {
      JsonNode ps = root.path("providers");
      if (!ps.isObject() || ps.isEmpty()) {
        throw r.error("providers", "must be an object of provider instances, e.g. {\"local\":"
            + " {\"type\": \"openai\", \"baseUrl\": \"http://127.0.0.1:8000/v1\"}}");
      }
      ProviderRegistry registry = ProviderRegistry.load();
      for (Map.Entry<String, JsonNode> e : ps.properties()) {
        String id = e.getKey();
        JsonNode p = e.getValue();
        if (!p.isObject() || !p.path("type").isTextual()) {
          throw r.error("providers." + id, "needs a \"type\" (installed: " + registry.types()
              + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> s : p.properties()) {
          if (!s.getKey().equals("type")) {
            flatten(s.getKey(), s.getValue(), settings);
          }
        }
        String type = p.path("type").asText();
        ProviderConfig pc = ProviderConfig.of(id, settings, r.env());
        LlmProvider delegate;
        try {
          delegate = registry.create(type, pc);
        } catch (ConfigurationException ex) {
          throw new ConfigurationException("config " + r.file() + ": " + ex.getMessage(), ex);
        }
        ServeProvider.Forwarder fw = null;
        if (type.equals("openai")) {
          try {
            fw = ServeProvider.Forwarder.of(pc);
          } catch (RuntimeException ex) {
            delegate.close();
            throw ex;
          }
        }
        providers.put(id, new ServeProvider(delegate, fw, metrics));
      }
      RoutingClient.Builder b = RoutingClient.builder().router(router);
      providers.forEach(b::provider);
      ChatRouting.CandidateMap map = candidates(r, root, b, providers);
      policies(r, root, b);
      return new ClientAssembly(b.build(), Map.copyOf(providers), map);
    } catch (RuntimeException e) {
      for (ServeProvider p : providers.values()) {
        try {
          p.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        throw new ConfigurationException("config " + r.file() + ": " + e.getMessage(), e);
      }
      throw e;
    }
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

  private static ChatRouting.CandidateMap candidates(ConfigReader r, JsonNode root,
      RoutingClient.Builder b, Map<String, ServeProvider> providers) {
    JsonNode cs = root.path("candidates");
    if (!cs.isObject() || cs.isEmpty()) {
      throw r.error("candidates", "must map bundle candidates to providers, e.g."
          + " {\"gpt-4\": {\"provider\": \"local\", \"model\": \"gpt-4o\"}, \"*\":"
          + " {\"provider\": \"local\"}}");
    }
    Map<String, ChatRouting.Target> byName = new LinkedHashMap<>();
    ChatRouting.Target wildcard = null;
    for (Map.Entry<String, JsonNode> e : cs.properties()) {
      String where = "candidates." + e.getKey();
      JsonNode c = e.getValue();
      if (!c.isObject() || !c.path("provider").isTextual()) {
        throw r.error(where, "needs a \"provider\" naming one of " + providers.keySet());
      }
      r.onlyKeys(c, where, Set.of("provider", "model"));
      String provider = r.text(where + ".provider", c.path("provider"));
      if (!providers.containsKey(provider)) {
        throw r.error(where + ".provider", "= '" + provider + "' is not a configured provider;"
            + " configured: " + providers.keySet());
      }
      if (c.has("model")) {
        String model = r.text(where + ".model", c.path("model"));
        b.candidate(e.getKey(), provider, model);
        byName.put(e.getKey(), new ChatRouting.Target(provider, model));
      } else {
        b.candidate(e.getKey(), provider);
        if (e.getKey().equals("*")) {
          wildcard = new ChatRouting.Target(provider, "*");
        } else {
          byName.put(e.getKey(), new ChatRouting.Target(provider, e.getKey()));
        }
      }
    }
    return new ChatRouting.CandidateMap(byName, wildcard, providers);
  }

  private static void policies(ConfigReader r, JsonNode root, RoutingClient.Builder b) {
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
      b.retry(RetryPolicy.builder()
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
              ? r.duration("retry.maxRetryAfter", rt.path("maxRetryAfter"))
              : d.maxRetryAfter())
          .budget(rt.has("budgetReserve")
                  ? r.integer("retry.budgetReserve", rt.path("budgetReserve"), 0,
                      Integer.MAX_VALUE)
                  : d.budgetReserve(),
              rt.has("budgetRatio") ? r.number("retry.budgetRatio", rt.path("budgetRatio"))
                  : d.budgetRatio())
          .build());
    }
    JsonNode cb = root.path("circuitBreaker");
    if (!cb.isMissingNode()) {
      r.onlyKeys(cb, "circuitBreaker", Set.of("failureThreshold", "openFor"));
      CircuitBreakerPolicy d = CircuitBreakerPolicy.defaults();
      b.circuitBreaker(new CircuitBreakerPolicy(
          cb.has("failureThreshold") ? r.integer("circuitBreaker.failureThreshold",
              cb.path("failureThreshold"), 1, 1_000_000) : d.failureThreshold(),
          cb.has("openFor") ? r.duration("circuitBreaker.openFor", cb.path("openFor"))
              : d.openFor()));
    }
    JsonNode fb = root.path("feedback");
    if (!fb.isMissingNode()) {
      r.onlyKeys(fb, "feedback", Set.of("path", "task"));
      if (!fb.has("path")) {
        throw r.error("feedback.path", "must be the outcomes.jsonl file feedback is appended"
            + " to");
      }
      b.feedbackSink(r.path("feedback.path", fb.path("path")));
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
        if (!e.getValue().isObject() || e.getValue().isEmpty()) {
          throw r.error(where, "must map each choice to its system prompt");
        }
        Map<String, String> prompts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> choice : e.getValue().properties()) {
          prompts.put(choice.getKey(), r.text(where + "." + choice.getKey(), choice.getValue()));
        }
        b.transformer(e.getKey(), RequestTransformers.systemPrompt(prompts));
      }
    }
  }

  /** Closes the client and every provider; failures are attached to the first. */
  void close() {
    List<Runnable> steps = new ArrayList<>();
    steps.add(client::close);
    providers.values().forEach(p -> steps.add(p::close));
    RuntimeException failure = null;
    for (Runnable s : steps) {
      try {
        s.run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
