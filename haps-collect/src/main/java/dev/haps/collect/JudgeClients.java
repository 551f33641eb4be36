package dev.haps.collect;

import dev.haps.api.Candidate;
import dev.haps.api.ChatMessage;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.Configuration;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.LlmProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The judges' access to the configured models: each (provider, model) a judge calls gets a
 * routing client of its own, built on first use with the collection's retry, circuit-breaker
 * and deadline policies, so that a judge's call is as reliable as an answer's.
 */
final class JudgeClients implements JudgeContext, AutoCloseable {

  private final Map<String, LlmProvider> providers;
  private final Consumer<RoutingClient.Builder> policies;
  private final Map<String, Entry> clients = new ConcurrentHashMap<>();

  private record Entry(RoutingClient client, PlanRouter router) {}

  /**
   * @param providers the provider instances by id (not closed here)
   * @param policies applies the collection's policies to a client builder
   */
  JudgeClients(Map<String, LlmProvider> providers, Consumer<RoutingClient.Builder> policies) {
    this.providers = providers;
    this.policies = policies;
  }

  @Override
  public Set<String> providers() {
    return providers.keySet();
  }

  @Override
  public Completion complete(String provider, ChatRequest request, ParameterValues parameters) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(parameters, "parameters");
    if (!providers.containsKey(provider)) {
      throw new ConfigurationException("a judge called provider instance '" + provider
          + "', which is not configured; configured: " + providers.keySet());
    }
    Entry e = clients.computeIfAbsent(provider + "\u0000" + request.model(),
        k -> build(provider, request.model()));
    List<ChatMessage> messages = new ArrayList<>(request.messages());
    CallResult r = e.client().call(RouteRequest.builder().messages(messages).build(),
        e.router().decision(provider, new Configuration("judge", parameters)));
    return r.completion();
  }

  private Entry build(String provider, String model) {
    PlanRouter router = new PlanRouter("judge", List.of(Candidate.of(provider, "judge")),
        Map.of());
    RoutingClient.Builder b = RoutingClient.builder().router(router)
        .provider(provider, providers.get(provider))
        .candidate("judge", provider, model);
    policies.accept(b);
    return new Entry(b.build(), router);
  }

  @Override
  public void close() {
    clients.values().forEach(e -> e.client().close());
    clients.clear();
  }
}
