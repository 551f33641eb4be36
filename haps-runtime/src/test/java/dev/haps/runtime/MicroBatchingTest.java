package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.TestBundles;
import dev.haps.testing.TestRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MicroBatchingTest {

  private static HapsRouter router(MicroBatching batching, CacheSettings cache) {
    HapsRouter.Builder b = HapsRouter.builder()
        .bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder()).cache(cache);
    if (batching != null) {
      b.microBatching(batching);
    }
    return b.build();
  }

  @Test
  void concurrentCallers_getTheDecisionsOfOneByOneRouting() throws Exception {
    List<RouteRequest> reqs = TestRequests.random(400, 11);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (HapsRouter batched = router(new MicroBatching(8, Duration.ofMillis(2), 2),
            CacheSettings.disabled());
        HapsRouter single = router(null, CacheSettings.disabled())) {
      List<Future<RouteDecision>> fs = new ArrayList<>();
      for (RouteRequest r : reqs) {
        fs.add(pool.submit(() -> batched.route(r)));
      }
      for (int i = 0; i < reqs.size(); i++) {
        assertThat(HapsRouterTest.fingerprint(fs.get(i).get())).as("request %d", i)
            .isEqualTo(HapsRouterTest.fingerprint(single.route(reqs.get(i))));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingRequest_failsAlone_andItsBatchMatesAreRouted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (HapsRouter router = router(new MicroBatching(16, Duration.ofMillis(20), 1),
        CacheSettings.disabled())) {
      List<Future<RouteDecision>> good = new ArrayList<>();
      List<Future<RouteDecision>> bad = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        good.add(pool.submit(() -> router.route(RouteRequest.of("question " + n, 0.3))));
        bad.add(pool.submit(() -> router.route(RouteRequest.builder().query("question " + n)
            .allow("no-such-model").build())));
      }
      for (Future<RouteDecision> f : good) {
        assertThat(f.get().model()).isNotBlank();
      }
      for (Future<RouteDecision> f : bad) {
        assertThatThrownBy(f::get).hasCauseInstanceOf(NoEligibleCandidateException.class);
      }
      // Blank text is refused on the caller's thread, before it is queued.
      assertThatThrownBy(() -> router.route(RouteRequest.of("   \n ", 0.3)))
          .isInstanceOf(InvalidRequestException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void decisionCacheHits_skipTheQueue_andCloseRefusesLaterCalls() {
    HapsRouter router = router(new MicroBatching(4, Duration.ZERO, 1), CacheSettings.defaults());
    RouteDecision first = router.route(RouteRequest.of("cached question", 0.4));
    RouteDecision again = router.route(RouteRequest.of("cached question", 0.4));
    assertThat(first.timings().embeddingCacheHit()).isFalse();
    assertThat(again.timings().embeddingCacheHit()).isTrue();
    assertThat(again.model()).isEqualTo(first.model());
    router.close();
    assertThatThrownBy(() -> router.route(RouteRequest.of("after close", 0.4)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName()
        .matches("haps-router-\\d+-batch-\\d+") && t.isAlive() && !t.isDaemon());
  }

  @Test
  void settings_areChecked() {
    assertThatThrownBy(() -> new MicroBatching(0, Duration.ZERO, 1))
        .hasMessageContaining("maxBatch must be at least 1, got 0");
    assertThatThrownBy(() -> MicroBatching.of(4, Duration.ofSeconds(2)))
        .hasMessageContaining("maxWait must be in [0, 1 s]");
    assertThatThrownBy(() -> new MicroBatching(4, Duration.ZERO, 0))
        .hasMessageContaining("workers must be at least 1");
  }
}
