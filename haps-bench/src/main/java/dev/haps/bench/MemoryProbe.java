package dev.haps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.EmbeddingCacheStats;
import dev.haps.runtime.HapsRouter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resident memory of a process that loaded the default router and routed 10,000 queries: prints
 * the figures and writes them as JSON for {@link Report}.
 *
 * <p>The router is {@link HapsRouter#withDefaults()} (default bundle, default encoder, default
 * caches). The queries are every query of the shared outcome logs when
 * {@code shared/data} is found (4,000 distinct texts, so the caches fill as in service), else the
 * fixed benchmark set, cycled to 10,000 routes, from one caller thread per core (at most 4).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.haps.bench.MemoryProbe [out.json] [routes]}.
 *
 * @since 0.1.0
 */
public final class MemoryProbe {

  private static final int DEFAULT_ROUTES = 10_000;

  /** Caller threads: one per core, at most 4. */
  private static final int CALLERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private MemoryProbe() {}

  /**
   * Runs the probe.
   *
   * @param args optional output JSON path, optional number of routes
   * @throws IOException if the output cannot be written or /proc cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path out = args.length > 0 ? Path.of(args[0]) : null;
    int routes = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUTES;

    List<String> queries = QuerySet.sharedDataDir().map(QuerySet::allSharedQueries)
        .filter(q -> !q.isEmpty()).orElseGet(QuerySet::load);
    long rssBefore = ProcStatus.read().rssKiB();

    long t0 = System.nanoTime();
    HapsRouter router = HapsRouter.withDefaults();
    long loadedNanos = System.nanoTime() - t0;
    long rssLoaded = ProcStatus.read().rssKiB();
    String bundle = router.bundle().toString();

    long t1 = System.nanoTime();
    long checksum = route(router, queries, routes);
    long routeNanos = System.nanoTime() - t1;
    EmbeddingCacheStats stats = router.cacheStats();
    ProcStatus after = ProcStatus.read();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();

    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("bundle", bundle);
    json.put("routes", routes);
    json.put("distinctQueries", Math.min(routes, queries.size()));
    json.put("callerThreads", CALLERS);
    json.put("rssBeforeRouterKiB", rssBefore);
    json.put("rssAfterLoadKiB", rssLoaded);
    json.put("rssKiB", after.rssKiB());
    json.put("peakRssKiB", after.hwmKiB());
    json.put("heapUsedBytes", heap.getUsed());
    json.put("heapCommittedBytes", heap.getCommitted());
    json.put("heapMaxBytes", heap.getMax());
    json.put("nonHeapUsedBytes", nonHeap.getUsed());
    json.put("loadSeconds", loadedNanos / 1e9);
    json.put("routeSeconds", routeNanos / 1e9);
    json.put("cacheHitRate", stats.hitRate());
    json.put("jvmArgs", String.join(" ",
        ManagementFactory.getRuntimeMXBean().getInputArguments()));
    json.put("checksum", checksum);
    router.close();

    String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
    System.out.println(text);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, text + "\n");
    }
  }

  /**
   * Routes query i (cycled) for i in [0, routes) from {@link #CALLERS} threads sharing the router,
   * as a service would; prints progress to stderr every 1,000 routes.
   */
  private static long route(HapsRouter router, List<String> queries, int routes) {
    AtomicInteger next = new AtomicInteger();
    LongAdder checksum = new LongAdder();
    Runnable caller = () -> {
      for (int i = next.getAndIncrement(); i < routes; i = next.getAndIncrement()) {
        String q = queries.get(i % queries.size());
        checksum.add(router.route(RouteRequest.of(q, (i % 5) / 4.0)).model().hashCode());
        if ((i + 1) % 1_000 == 0) {
          System.err.println("[MemoryProbe] " + (i + 1) + " routes");
        }
      }
    };
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CALLERS; t++) {
      Thread th = new Thread(caller, "memory-probe-" + t);
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while routing", e);
      }
    }
    return checksum.sum();
  }

  /** VmRSS and VmHWM of this process, from /proc/self/status (Linux). */
  record ProcStatus(long rssKiB, long hwmKiB) {
    static ProcStatus read() throws IOException {
      long rss = -1;
      long hwm = -1;
      Path status = Path.of("/proc/self/status");
      if (!Files.isReadable(status)) {
        return new ProcStatus(-1, -1);
      }
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      return new ProcStatus(rss, hwm);
    }

    private static long kib(String line) {
      String[] parts = line.trim().split("\\s+");
      return Long.parseLong(parts[1]);
    }
  }
}
