package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterValues;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.Fault;
import dev.haps.testing.FaultPlan;
import dev.haps.testing.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A fast fault-injection run: loopback servers answer with seeded faults (success, 429, 5xx,
 * slow headers, stalled bodies, garbage JSON, dropped connections, cut event streams, 400s),
 * while 8 threads call and stream through one client. Every call must succeed or fail with a
 * RoutingCallException naming its attempts; retries stay within the budget.
 */
class RoutingClientFaultTest {

  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 30;

  /** Faults by weight (per 100 requests), drawn from a seed per server. */
  private static FaultPlan plan(long seed) {
    return FaultPlan.builder().seed(seed).stall(Duration.ofMillis(800))
        .weight(Fault.OK, 45).weight(Fault.RATE_LIMITED, 10).weight(Fault.SERVER_500, 7)
        .weight(Fault.SERVER_503, 7).weight(Fault.SLOW_HEADERS, 5).weight(Fault.SLOW_BODY, 4)
        .weight(Fault.GARBAGE_JSON, 8).weight(Fault.DROP, 7).weight(Fault.TRUNCATED_STREAM, 4)
        .weight(Fault.BAD_REQUEST_ECHOING_KEY, 3).build();
  }

  @Test
  void concurrentCalls_underRandomFaults_succeedOrFailClassifiedWithinBudget() throws Exception {
    try (LoopbackServer a = LoopbackServer.start(); LoopbackServer b = LoopbackServer.start()) {
      a.chat(req -> ChatAnswer.of("ok").usage(2, 1)).faults(plan(2026));
      b.chat(req -> ChatAnswer.of("ok").usage(2, 1)).faults(plan(2027));
      FixedRouter router = new FixedRouter()
          .rank("gpt-4", 0.6, ParameterValues.builder().put("temperature", 0.2).build())
          .rank("small", 0.4, ParameterValues.builder().put("top_p", 0.9).build());
      int threadsBefore = Thread.activeCount();
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger attempts = new AtomicInteger();
      List<Throwable> unexpected = new ArrayList<>();
      try (RoutingClient c = RoutingClient.builder().router(router)
          .provider("a", RoutingClientTest.openai("a", a, Map.of("requestTimeout", "300")))
          .provider("b", RoutingClientTest.openai("b", b, Map.of("requestTimeout", "300")))
          .candidate("gpt-4", "a", "gpt-4o")
          .candidate("small", "b")
          .retry(RetryPolicy.builder().maxRetries(2)
              .backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2).budget(20, 0.2).build())
          .circuitBreaker(new CircuitBreakerPolicy(8, Duration.ofMillis(200)))
          .deadline(Duration.ofSeconds(3))
          .build()) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
              RouteRequest q = RouteRequest.of("question " + thread + "-" + i);
              try {
                CallResult r = (i % 2 == 0) ? c.call(q) : c.stream(q, d -> { });
                assertThat(r.text()).isEqualTo("ok");
                assertThat(r.attempts().get(r.attempts().size() - 1).succeeded()).isTrue();
                attempts.addAndGet(r.attempts().size());
                ok.incrementAndGet();
              } catch (RoutingCallException e) {
                assertThat(e.attempts()).isNotEmpty()
                    .noneMatch(Attempt::succeeded);
                assertThat(e.getMessage()).contains("[1] ");
                attempts.addAndGet(e.attempts().size());
                failed.incrementAndGet();
              } catch (Throwable e) {
                synchronized (unexpected) {
                  unexpected.add(e);
                }
              }
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int calls = THREADS * CALLS_PER_THREAD;
        assertThat(unexpected).isEmpty();
        assertThat(ok.get() + failed.get()).isEqualTo(calls);
        assertThat(ok.get()).isGreaterThan(calls / 2);
        assertThat((double) c.retriesMade()).isLessThanOrEqualTo(20 + 0.2 * calls);
        LoggerFactory.getLogger(RoutingClientFaultTest.class).info("fault run: {} calls, {} ok,"
                + " {} failed, {} attempts, {} retries, {} + {} requests served", calls, ok.get(),
            failed.get(), attempts.get(), c.retriesMade(), a.requestCount(), b.requestCount());
      }
      // The servers' stalled handlers finish within their stall; nothing stays open after.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while ((a.openExchanges() > 0 || b.openExchanges() > 0) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertThat(a.openExchanges() + b.openExchanges()).isZero();
      assertThat(Thread.activeCount()).isLessThan(threadsBefore + 40);
    }
  }
}
