package dev.haps.serve;

import dev.haps.client.RoutingClient;
import dev.haps.runtime.HapsRouter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's meters (Micrometer, scraped as Prometheus text at {@code /metrics}): requests by
 * endpoint and status, routing and upstream latency, decisions per model, fallbacks, circuit
 * breaker states, cache hit rate, in-flight requests, refused requests by reason.
 */
final class ServeMetrics {

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final AtomicInteger inFlight = new AtomicInteger();
  /** Requests that reached the handler, and how they ended: answered, or failed unanswered. */
  final java.util.concurrent.atomic.LongAdder accepted = new java.util.concurrent.atomic.LongAdder();
  final java.util.concurrent.atomic.LongAdder answered = new java.util.concurrent.atomic.LongAdder();
  final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
  private final Timer routing;

  ServeMetrics() {
    routing = Timer.builder("haps.serve.routing")
        .description("time the router took to decide, per routed request")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
    Gauge.builder("haps.serve.requests.in.flight", inFlight, AtomicInteger::get)
        .description("requests being handled now").register(registry);
    FunctionCounter.builder("haps.serve.requests.unanswered", failed,
            java.util.concurrent.atomic.LongAdder::doubleValue)
        .description("requests that ended without a complete response (the client left, or"
            + " the server failed)").register(registry);
  }

  void request(String endpoint, int status, long nanos) {
    Timer.builder("haps.serve.requests")
        .description("requests by endpoint and HTTP status, with their latency")
        .tag("endpoint", endpoint).tag("status", Integer.toString(status))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  void routing(long nanos) {
    routing.record(nanos, TimeUnit.NANOSECONDS);
  }

  void upstream(String provider, String outcome, long nanos) {
    Timer.builder("haps.serve.upstream")
        .description("upstream calls by provider instance and outcome, with their latency")
        .tag("provider", provider).tag("outcome", outcome)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  void decision(String model, boolean routed) {
    Counter.builder("haps.serve.decisions")
        .description("answered requests by candidate model")
        .tag("model", model).tag("routed", Boolean.toString(routed))
        .register(registry).increment();
  }

  void fallback(String from, String to) {
    Counter.builder("haps.serve.fallbacks")
        .description("requests answered by another candidate than the router's first choice")
        .tag("from", from).tag("to", to)
        .register(registry).increment();
  }

  void refused(String reason) {
    Counter.builder("haps.serve.refused")
        .description("requests refused before routing, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  /** Gauges that read the live client and router; the router may be swapped under them. */
  void bind(Collection<String> providerIds, Supplier<RoutingClient> client, HapsRouter router) {
    for (String id : providerIds) {
      Gauge.builder("haps.serve.breaker.state", () -> switch (client.get().circuitState(id)) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
          })
          .description("circuit breaker per provider instance: 0 closed, 1 half-open, 2 open")
          .tag("provider", id).register(registry);
    }
    FunctionCounter.builder("haps.serve.cache.hits", router,
            r -> r.cacheStats().hits())
        .description("routing cache hits (embedding or decision)").register(registry);
    FunctionCounter.builder("haps.serve.cache.misses", router,
            r -> r.cacheStats().misses())
        .description("routing cache misses").register(registry);
    Gauge.builder("haps.serve.cache.hit.ratio", router, r -> r.cacheStats().hitRate())
        .description("routing cache hits / lookups since start").register(registry);
  }

  String scrape() {
    return registry.scrape();
  }
}
