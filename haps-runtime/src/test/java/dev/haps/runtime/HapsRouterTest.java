package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.BundleException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterSpec;
import dev.haps.runtime.decode.CandidateHead;
import dev.haps.runtime.execution.ExecutionProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.haps.testing.TestBundles;
import dev.haps.testing.TestRequests;
import dev.haps.testing.HashingEncoder;

class HapsRouterTest {

  @TempDir Path dir;

  static HapsRouter router(RouterBundle b, CacheSettings cache) {
    return HapsRouter.builder().bundle(b).encoder(new HashingEncoder()).cache(cache).build();
  }


  /** The decision without timings: ranking (probabilities bitwise), exclusions, bundle. */
  static String fingerprint(RouteDecision d) {
    StringBuilder sb = new StringBuilder(d.bundle().toString()).append('|');
    for (RankedCandidate r : d.ranking()) {
      sb.append(r.model()).append(':').append(Double.doubleToLongBits(r.probability()))
          .append(':').append(r.parameters()).append(':')
          .append(Double.doubleToLongBits(r.expectedCostUsd())).append(';');
    }
    return sb.append(d.excluded()).toString();
  }

  static void assertInsideSpaces(RouterBundle b, RouteDecision d) {
    for (RankedCandidate r : d.ranking()) {
      CandidateHead h = b.head(r.model()).orElseThrow();
      h.space().validate(r.parameters());
      assertThat(r.parameters().names()).hasSize(h.slots().size());
      for (ParameterSpec s : h.space().specs()) {
        s.validate(r.parameters().get(s.name()).orElseThrow());
      }
    }
  }

  @Test
  void route_validBundle_choosesModelWithParametersInsideItsSpace() throws Exception {
    RouterBundle b = RouterBundle.load(TestBundles.create().writeZip(dir.resolve("b.zip")));
    try (HapsRouter router = router(b, CacheSettings.defaults())) {
      RouteDecision d = router.route(RouteRequest.of("Prove that sqrt 2 is irrational", 0.2));
      assertThat(d.bundle().toString()).isEqualTo("test-bundle@1");
      assertThat(d.ranking()).hasSize(3);
      assertThat(d.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(d.ranking()).isSortedAccordingTo(
          (x, y) -> Double.compare(y.probability(), x.probability()));
      assertInsideSpaces(b, d);
      assertThat(d.timings().embeddingCacheHit()).isFalse();
      assertThat(d.timings().encodeNanos()).isPositive();
      assertThat(d.timings().inferNanos()).isPositive();
      assertThat(d.timings().totalNanos()).isGreaterThanOrEqualTo(d.timings().inferNanos());
      for (RouteRequest r : TestRequests.random(300, 3)) {
        assertInsideSpaces(b, router.route(r));
      }
    }
  }

  @Test
  void route_expectedCostOutput_isUsedForCostAndLimit() {
    RouterBundle b = TestBundles.create().expectedCost(true).bundle(RouterBundle::fromBytes);
    try (HapsRouter router = router(b, CacheSettings.disabled())) {
      RouteDecision d = router.route(RouteRequest.of("hello there"));
      for (RankedCandidate r : d.ranking()) {
        // sigmoid(..) * 0.05: never the manifest's mean cost
        assertThat(r.expectedCostUsd()).isBetween(0.0, 0.05);
      }
      double limit = d.ranking().stream().mapToDouble(RankedCandidate::expectedCostUsd).max()
          .orElseThrow() - 1e-9;
      RouteDecision capped = router.route(RouteRequest.builder().query("hello there")
          .maxCostPerCallUsd(limit).build());
      assertThat(capped.ranking()).hasSize(2);
      assertThat(capped.excluded().values().iterator().next()).contains("exceeds"
          + " maxCostPerCallUsd");
    }
  }

  @Test
  void route_sameTextTwice_secondHitsCacheAndDecidesIdentically() {
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes),
        CacheSettings.of(100, Duration.ofMinutes(5)).withDecisions(false))) {
      RouteDecision a = router.route(RouteRequest.of("What  is\nthe capital of Peru?"));
      RouteDecision b = router.route(RouteRequest.of(" What is the capital of Peru? "));
      assertThat(a.timings().embeddingCacheHit()).isFalse();
      assertThat(b.timings().embeddingCacheHit()).isTrue();
      assertThat(b.timings().encodeNanos()).isZero();
      assertThat(fingerprint(b)).isEqualTo(fingerprint(a));
      EmbeddingCacheStats s = router.cacheStats();
      assertThat(s.hits()).isEqualTo(1);
      assertThat(s.misses()).isEqualTo(1);
      assertThat(s.size()).isEqualTo(1);
      assertThat(s.hitRate()).isEqualTo(0.5);
    }
  }

  @Test
  void route_decisionCache_servesSameDecisionPerConstraints() {
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.defaults())) {
      RouteRequest r = RouteRequest.of("sum of primes below ten", 0.3);
      RouteDecision first = router.route(r);
      RouteDecision second = router.route(r);
      RouteDecision denied = router.route(r.toBuilder().deny(first.model()).build());
      assertThat(second.timings().embeddingCacheHit()).isTrue();
      assertThat(fingerprint(second)).isEqualTo(fingerprint(first));
      assertThat(denied.model()).isNotEqualTo(first.model());
      assertThat(router.cacheStats().decisionHits()).isEqualTo(1);
    }
  }

  @Test
  void route_cacheDisabled_neverHits() {
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      router.route(RouteRequest.of("a b c"));
      assertThat(router.route(RouteRequest.of("a b c")).timings().embeddingCacheHit()).isFalse();
      assertThat(router.cacheStats().hits()).isZero();
      assertThat(router.cacheStats().misses()).isEqualTo(2);
    }
  }

  @Test
  void routeList_equalsRoutingOneByOne_bitForBit() {
    List<RouteRequest> reqs = TestRequests.random(200, 7);
    try (HapsRouter batched = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled());
        HapsRouter single = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      List<RouteDecision> all = batched.route(reqs);
      for (int i = 0; i < reqs.size(); i++) {
        assertThat(fingerprint(all.get(i))).as("request %d", i)
            .isEqualTo(fingerprint(single.route(reqs.get(i))));
      }
      // A request's decision does not depend on its batch-mates or the batch size.
      for (int size : new int[] {1, 3, 32}) {
        List<RouteDecision> part = batched.route(reqs.subList(50, 50 + size));
        for (int i = 0; i < size; i++) {
          assertThat(fingerprint(part.get(i))).isEqualTo(fingerprint(all.get(50 + i)));
        }
      }
    }
  }

  @Test
  void routeList_realisticSizesWithGemmOrMatMul_equalsOneByOneBitForBit() {
    dev.haps.spi.EncoderInfo info = new dev.haps.spi.EncoderInfo(
        "test-hash-encoder", 384, "mean", true, 64, HashingEncoder.INFO.truncation(),
        HashingEncoder.INFO.sha256());
    List<RouteRequest> reqs = TestRequests.random(64, 13);
    for (boolean matMul : new boolean[] {false, true}) {
      RouterBundle b = TestBundles.create().encoder(info).hidden(256).matMul(matMul)
          .bundle(RouterBundle::fromBytes);
      try (HapsRouter router = HapsRouter.builder().bundle(b).encoder(new HashingEncoder(info))
          .cache(CacheSettings.disabled()).build()) {
        List<RouteDecision> all = router.route(reqs);
        for (int i = 0; i < reqs.size(); i++) {
          assertThat(fingerprint(all.get(i))).as("matMul=%s request %d", matMul, i)
              .isEqualTo(fingerprint(router.route(reqs.get(i))));
        }
      }
    }
  }

  @Test
  void route_candidatesSharingOneOutput_decodeLikeSeparateOutputs() {
    List<RouteRequest> reqs = TestRequests.random(100, 17);
    try (HapsRouter shared = router(TestBundles.create().sharedParams(true).bundle(RouterBundle::fromBytes),
        CacheSettings.disabled());
        HapsRouter separate = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      assertThat(shared.currentBundle().head("mixtral-8x7b").orElseThrow().outputOffset())
          .isEqualTo(6);
      List<RouteDecision> batch = shared.route(reqs);
      for (int i = 0; i < reqs.size(); i++) {
        RouteDecision a = shared.route(reqs.get(i));
        RouteDecision b = separate.route(reqs.get(i));
        assertThat(fingerprint(batch.get(i))).isEqualTo(fingerprint(a));
        assertInsideSpaces(shared.currentBundle(), a);
        assertThat(a.ranking()).hasSameSizeAs(b.ranking());
        for (int r = 0; r < a.ranking().size(); r++) {
          RankedCandidate x = a.ranking().get(r);
          RankedCandidate y = b.ranking().get(r);
          assertThat(x.model()).isEqualTo(y.model());
          assertThat(x.probability()).isCloseTo(y.probability(),
              org.assertj.core.data.Offset.offset(1e-5));
          for (String name : x.parameters().names()) {
            Object vx = x.parameters().get(name).orElseThrow();
            Object vy = y.parameters().get(name).orElseThrow();
            if (vx instanceof Double) {
              assertThat((Double) vx).isCloseTo((Double) vy,
                  org.assertj.core.data.Offset.offset(1e-4));
            }
          }
        }
      }
    }
  }

  @Test
  void routeList_withCachesAndDuplicates_equalsOneByOne() {
    List<RouteRequest> reqs = new ArrayList<>(TestRequests.random(50, 9));
    reqs.addAll(reqs.subList(0, 20));
    try (HapsRouter cached = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.defaults());
        HapsRouter single = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      cached.route(reqs.subList(0, 10)); // warm part of the caches
      List<RouteDecision> all = cached.route(reqs);
      for (int i = 0; i < reqs.size(); i++) {
        assertThat(fingerprint(all.get(i))).isEqualTo(fingerprint(single.route(reqs.get(i))));
      }
      assertThat(all.get(0).timings().embeddingCacheHit()).isTrue();
      assertThat(cached.route(List.of())).isEmpty();
    }
  }

  @Test
  void routeEmbedding_equalsRouteOnTheEncodersVector() {
    HashingEncoder enc = new HashingEncoder();
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      for (RouteRequest r : TestRequests.random(50, 11)) {
        RouteDecision heads = router.routeEmbedding(
            enc.encode(TextNormalizer.normalize(r.routingText())), r);
        assertThat(fingerprint(heads)).isEqualTo(fingerprint(router.route(r)));
        assertThat(heads.timings().encodeNanos()).isZero();
      }
      assertThatThrownBy(() -> router.routeEmbedding(new float[3], RouteRequest.of("x")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("embedding has 3 values; expected 16 (encoder test-hash-encoder)");
      float[] nan = new float[16];
      nan[4] = Float.NaN;
      assertThatThrownBy(() -> router.routeEmbedding(nan, RouteRequest.of("x")))
          .hasMessage("embedding value 4 is NaN; expected finite values");
    }
  }

  @Test
  void route_allCandidatesExcluded_listsEachReason() {
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.defaults())) {
      RouteRequest r = RouteRequest.builder().query("hi").deny("gpt-4").allow("gpt-4",
          "mixtral-8x7b").maxCostPerCallUsd(0.0001).build();
      assertThatThrownBy(() -> router.route(r))
          .isInstanceOf(NoEligibleCandidateException.class)
          .hasMessage("no candidate model is eligible for this request; excluded: gpt-4 (denied"
              + " by the request); mixtral-8x7b (expected cost 0.000600000 USD exceeds"
              + " maxCostPerCallUsd 0.000100000); claude-instant (not in the request's allow"
              + " list " + r.allowedModels() + "). Relax the request's allow(...)/deny(...)"
              + " lists or raise maxCostPerCallUsd.");
      assertThatThrownBy(() -> router.route(List.of(RouteRequest.of("ok"), r)))
          .isInstanceOf(NoEligibleCandidateException.class);
    }
  }

  @Test
  void route_sixteenThreads_sameDecisionsAsSequential() throws Exception {
    List<RouteRequest> reqs = TestRequests.random(1000, 21);
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      List<String> expected = new ArrayList<>();
      for (RouteRequest r : reqs) {
        expected.add(fingerprint(router.route(r)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          int offset = t * 61;
          futures.add(pool.submit(() -> {
            int mismatches = 0;
            for (int i = 0; i < reqs.size(); i++) {
              int j = (i + offset) % reqs.size();
              if (!fingerprint(router.route(reqs.get(j))).equals(expected.get(j))) {
                mismatches++;
              }
            }
            return mismatches;
          }));
        }
        for (Future<Integer> f : futures) {
          assertThat(f.get(120, TimeUnit.SECONDS)).isZero();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void swap_underSixteenThreads_everyDecisionMatchesTheBundleItNames() throws Exception {
    RouterBundle a = TestBundles.create().seed(1).id("bundle", "a").bundle(RouterBundle::fromBytes);
    RouterBundle b = TestBundles.create().seed(2).id("bundle", "b").bundle(RouterBundle::fromBytes);
    List<RouteRequest> reqs = TestRequests.random(200, 5);
    java.util.Map<String, List<String>> expected = new java.util.HashMap<>();
    for (RouterBundle x : List.of(a, b)) {
      try (HapsRouter r = router(x, CacheSettings.disabled())) {
        List<String> fps = new ArrayList<>();
        for (RouteRequest q : reqs) {
          fps.add(fingerprint(r.route(q)));
        }
        expected.put(x.info().toString(), fps);
      }
    }
    assertThat(expected.get("bundle@a")).isNotEqualTo(expected.get("bundle@b"));
    int openBefore = LoadedBundle.openCount();
    HapsRouter router = router(a, CacheSettings.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int offset = t * 13;
        futures.add(pool.submit(() -> {
          int[] counts = new int[3]; // ok, mismatch, bundle b seen
          for (int i = 0; i < 1000; i++) {
            int j = (i + offset) % reqs.size();
            RouteDecision d = router.route(reqs.get(j));
            String bundle = d.bundle().toString();
            counts[fingerprint(d).equals(expected.get(bundle).get(j)) ? 0 : 1]++;
            if (bundle.equals("bundle@b")) {
              counts[2]++;
            }
          }
          return counts;
        }));
      }
      for (int s = 0; s < 20; s++) {
        router.swap(s % 2 == 0 ? b : a);
        Thread.sleep(5);
      }
      int ok = 0;
      int seenB = 0;
      for (Future<int[]> f : futures) {
        int[] c = f.get(120, TimeUnit.SECONDS);
        assertThat(c[1]).as("decisions inconsistent with their bundle").isZero();
        ok += c[0];
        seenB += c[2];
      }
      assertThat(ok).isEqualTo(16_000);
      assertThat(seenB).isPositive();
    } finally {
      pool.shutdownNow();
      router.close();
    }
    assertThat(LoadedBundle.openCount()).isEqualTo(openBefore);
  }

  @Test
  void swap_invalidBundle_keepsServingTheOldOne() {
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.defaults())) {
      RouterBundle bad = TestBundles.create().id("bad", "1").encoder(
          new dev.haps.spi.EncoderInfo("other", 16, "mean", true, 64,
              HashingEncoder.INFO.truncation(), HashingEncoder.INFO.sha256())).bundle(RouterBundle::fromBytes);
      assertThatThrownBy(() -> router.swap(bad)).isInstanceOf(BundleException.class)
          .hasMessageContaining("field 'encoder.id': found other, expected test-hash-encoder");
      assertThat(router.bundle().toString()).isEqualTo("test-bundle@1");
      assertThat(router.route(RouteRequest.of("still works")).bundle().id())
          .isEqualTo("test-bundle");
    }
  }

  @Test
  void reload_pathOfNewBundle_switches() throws Exception {
    Path next = TestBundles.create().seed(4).id("test-bundle", "2").writeDir(dir.resolve("v2"));
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.defaults())) {
      router.route(RouteRequest.of("q"));
      router.reload(next);
      assertThat(router.route(RouteRequest.of("q")).bundle().version()).isEqualTo("2");
      assertThat(router.currentBundle().source()).isEqualTo(next.toString());
    }
  }

  @Test
  void close_waitsForInFlightRequestAndIsIdempotent() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HashingEncoder slow = new HashingEncoder() {
      @Override
      public float[] encode(String text) {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.encode(text);
      }
    };
    HapsRouter router = HapsRouter.builder().bundle(TestBundles.create().bundle(RouterBundle::fromBytes)).encoder(slow)
        .cache(CacheSettings.disabled()).build();
    int open = LoadedBundle.openCount();
    CompletableFuture<RouteDecision> inFlight =
        CompletableFuture.supplyAsync(() -> router.route(RouteRequest.of("slow one")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(router::close);
    CompletableFuture<Void> closing2 = CompletableFuture.runAsync(router::close);
    Thread.sleep(200);
    assertThat(closing).isNotDone();
    assertThat(closing2).isNotDone();
    assertThatThrownBy(() -> router.route(RouteRequest.of("late")))
        .isInstanceOf(IllegalStateException.class).hasMessage("router is closed; build a new"
            + " HapsRouter");
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS).model()).isNotBlank();
    closing.get(10, TimeUnit.SECONDS);
    closing2.get(10, TimeUnit.SECONDS);
    router.close();
    assertThat(LoadedBundle.openCount()).isEqualTo(open - 1);
    assertThat(slow.isClosed()).isFalse(); // the caller's encoder stays the caller's
    assertThat(router.routeAsync(RouteRequest.of("x"))).isCompletedExceptionally();
  }

  @Test
  void routeAsync_defaultAndCallerExecutors_completeWithTheSameDecision() throws Exception {
    ExecutorService mine = Executors.newSingleThreadExecutor();
    try (HapsRouter router = router(TestBundles.create().bundle(RouterBundle::fromBytes), CacheSettings.disabled())) {
      RouteRequest r = RouteRequest.of("write a poem about cats", 0.9);
      String expected = fingerprint(router.route(r));
      CompletableFuture<RouteDecision> f1 = router.routeAsync(r);
      CompletableFuture<String> thread = CompletableFuture.supplyAsync(
          () -> Thread.currentThread().getName(), mine);
      CompletableFuture<RouteDecision> f2 = router.routeAsync(r, mine);
      assertThat(fingerprint(f1.get(10, TimeUnit.SECONDS))).isEqualTo(expected);
      assertThat(fingerprint(f2.get(10, TimeUnit.SECONDS))).isEqualTo(expected);
      assertThat(thread.get()).doesNotStartWith("haps-router");
      String name = router.routeAsync(r).thenApply(d -> Thread.currentThread().getName())
          .get(10, TimeUnit.SECONDS);
      assertThat(name).matches("haps-router-\\d+-async-\\d+|main");
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void builder_optionSetTwice_failsNamingOptionAndValue() {
    HapsRouter.Builder b = HapsRouter.builder().cache(CacheSettings.disabled());
    assertThatThrownBy(() -> b.cache(CacheSettings.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cache was already set to " + CacheSettings.disabled());
    HapsRouter.Builder c = HapsRouter.builder().intraOpThreads(2);
    assertThatThrownBy(() -> c.intraOpThreads(3)).hasMessage("intraOpThreads was already set to"
        + " 2");
    HapsRouter.Builder d = HapsRouter.builder().bundle(Path.of("x"));
    assertThatThrownBy(() -> d.bundle(Path.of("y"))).hasMessage("bundle was already set to x");
    HapsRouter.Builder e = HapsRouter.builder().executionProvider(ExecutionProvider.cpu());
    assertThatThrownBy(() -> e.executionProvider(ExecutionProvider.auto()))
        .hasMessage("executionProvider was already set to CPU");
  }

  @Test
  void build_withoutBundleOrWithConflicts_fails() {
    assertThatThrownBy(() -> HapsRouter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no bundle set");
    assertThatThrownBy(() -> HapsRouter.builder().bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder()).executionProvider(ExecutionProvider.auto()).build())
        .hasMessageStartingWith("executionProvider(AUTO) applies to the default encoder only");
  }

  @Test
  void withDefaults_withoutDefaultBundle_failsSayingItIsMissing() {
    boolean shipped = HapsRouter.class.getClassLoader()
        .getResource(HapsRouter.DEFAULT_BUNDLE + "manifest.json") != null;
    if (shipped) {
      try (HapsRouter r = HapsRouter.withDefaults()) {
        assertThat(r.route(RouteRequest.of("What is 2 + 2?")).model()).isNotBlank();
      }
    } else {
      assertThatThrownBy(HapsRouter::withDefaults)
          .isInstanceOf(BundleException.class)
          .hasMessageContaining("the default router bundle is missing or broken on the class"
              + " path (dev/haps/bundles/default/)")
          .hasMessageContaining("not found on the class path");
    }
  }
}
