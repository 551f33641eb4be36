package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteRequest;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.runtime.RouterBundle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Found by the soak's heap figures: a swapped-out bundle must become garbage once its last
 * request ends, even though the pool threads that routed on it live on. (Per-thread scratch
 * buffers that point back at their bundle kept every swapped-out bundle, with its direct
 * buffers, reachable from every routing thread: heap and native memory grew with each swap.)
 */
class SwapRetentionTest {

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void swap_threadsThatRoutedOnTheOldBundle_doNotKeepItAlive() throws Exception {
    RouterBundle first = ReliabilityFixtures.spec().seed(1).id("retained", "1").bundle(RouterBundle::fromBytes);
    WeakReference<RouterBundle> ref = new WeakReference<>(first);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (HapsRouter router = HapsRouter.builder().bundle(first)
        .encoder(ReliabilityFixtures.hashingEncoder()).build()) {
      first = null;
      routeOnEveryThread(pool, router);
      for (int s = 2; s < 6; s++) {
        router.swap(ReliabilityFixtures.spec().seed(s).id("retained", "" + s).bundle(RouterBundle::fromBytes));
        routeOnEveryThread(pool, router);
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ref.get() != null && System.nanoTime() < until) {
        System.gc();
        Thread.sleep(50);
        routeOnEveryThread(pool, router); // lets thread-local maps drop stale entries
      }
      assertThat(ref.get()).as("the swapped-out bundle, still reachable").isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void routeOnEveryThread(ExecutorService pool, HapsRouter router)
      throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      fs.add(pool.submit(() -> router.route(RouteRequest.of("retention query " + n, 0.4))));
    }
    for (Future<?> f : fs) {
      f.get(30, TimeUnit.SECONDS);
    }
  }
}
