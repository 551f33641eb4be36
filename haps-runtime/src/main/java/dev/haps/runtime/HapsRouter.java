package dev.haps.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.Exploration;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.RouteTimings;
import dev.haps.api.Router;
import dev.haps.api.error.BundleException;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.runtime.decode.Ranking;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.runtime.internal.Background;
import dev.haps.runtime.internal.StartupTrace;
import dev.haps.spi.QueryEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HAPS router: encodes each query, runs the trained router network (high-level model logits
 * and one parameter generator per candidate) in ONNX Runtime, and decodes a {@link
 * RouteDecision} with the chosen model, its parameters and the ranked alternatives.
 *
 * <pre>{@code
 * try (HapsRouter router = HapsRouter.builder()
 *     .bundle(Path.of("bundles/concise-cot.zip"))
 *     .cache(CacheSettings.of(50_000, Duration.ofMinutes(30)))
 *     .build()) {
 *   RouteDecision d = router.route(RouteRequest.of("Prove that sqrt(2) is irrational.", 0.3));
 *   d.model();        // e.g. "gpt-4-1106-preview"
 *   d.parameters();   // e.g. {temperature=0.21, prompt_style=chain_of_thought}
 * }
 * }</pre>
 *
 * <p><b>Validation.</b> {@link Builder#build()}, {@link #swap(RouterBundle)} and {@link
 * #reload(Path)} check the whole bundle before it serves a request: the manifest, the network's
 * inputs and outputs in ONNX Runtime, finite weights, a test run, and the encoder identity
 * (id, dimension, SHA-256, pooling, normalisation, token budget, truncation). Failures are
 * {@link BundleException}s naming the file, the field, what was found and what was expected.
 *
 * <p><b>Caching.</b> Routing texts are normalised with {@link TextNormalizer} (NFC, whitespace
 * collapsed, trimmed); the normalised text is what gets encoded and what keys the embedding
 * cache. A second cache holds decoded decisions by (normalised text, cost weight, allowed and
 * denied models, cost limit, bundle generation). See {@link CacheSettings}.
 *
 * <p><b>Batching.</b> {@link #route(List)} encodes all cache misses with one {@link
 * QueryEncoder#encodeAll(List)} call and runs the network once for the whole batch. A decision
 * never depends on its batch-mates: the encoder contract makes each embedding independent of the
 * others, and each row of the network is computed independently.
 *
 * <p><b>Hot swap.</b> {@link #swap(RouterBundle)} validates the new bundle, then switches.
 * Requests that started before finish on the old bundle; requests that start after use the new
 * one; no request sees both (its decision's {@link RouteDecision#bundle()} names the bundle whose
 * weights decided). The old bundle's native session closes when its last request finishes.
 *
 * <p><b>Threads.</b> Thread-safe; share one router. {@link #close()} is idempotent, may be called
 * from any thread, waits for requests in flight, and closes the encoder if the router built it.
 *
 * @since 0.1.0
 */
public final class HapsRouter implements Router {

  private static final Logger LOG = LoggerFactory.getLogger(HapsRouter.class);

  /** Class path folder of the bundle that ships with the SDK. */
  public static final String DEFAULT_BUNDLE = "dev/haps/bundles/default/";

  private static final AtomicInteger ROUTERS = new AtomicInteger();

  private final QueryEncoder encoder;
  private final boolean ownsEncoder;
  private final EncoderInfo encoderInfo;
  private final Cache<String, float[]> embeddings;
  private final Cache<DecisionKey, Ranking> decisions;
  private final int maxKeyChars;
  private final Executor callerExecutor;
  private final int routerId = ROUTERS.incrementAndGet();
  private final Object lifecycle = new Object();
  private final AtomicLong generations = new AtomicLong();
  private volatile LoadedBundle current;
  private volatile boolean closed;
  private final CompletableFuture<Void> closeDone = new CompletableFuture<>();
  private ExecutorService defaultExecutor; // guarded by lifecycle
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder decisionHits = new LongAdder();
  private final RouteBatcher batcher; // null unless micro-batching was asked for
  private final Explorer explorer;

  private HapsRouter(Builder b, RouterBundle bundle, QueryEncoder encoder, boolean ownsEncoder) {
    this.encoder = encoder;
    this.ownsEncoder = ownsEncoder;
    this.encoderInfo = encoder.info();
    CacheSettings cache = b.cache == null ? CacheSettings.defaults() : b.cache;
    this.embeddings = cache.enabled() ? newCache(cache) : null;
    this.decisions = cache.enabled() && cache.cacheDecisions() ? newCache(cache) : null;
    this.maxKeyChars = cache.maxKeyChars();
    this.callerExecutor = b.executor;
    long t = StartupTrace.start();
    this.explorer = new Explorer(b.exploration == null ? Exploration.none() : b.exploration,
        b.explorationSeed);
    this.current = LoadedBundle.open(bundle, encoderInfo, generations.incrementAndGet());
    StartupTrace.end("router session", t);
    this.batcher = b.batching == null ? null
        : new RouteBatcher(b.batching, "haps-router-" + routerId, this::route, this::routeOne);
  }

  private static <K, V> Cache<K, V> newCache(CacheSettings s) {
    Caffeine<Object, Object> c = Caffeine.newBuilder().maximumSize(s.maximumSize()).recordStats();
    if (!s.expireAfterAccess().isZero()) {
      c.expireAfterAccess(s.expireAfterAccess());
    }
    return c.build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A router on the bundle that ships with the SDK (class path folder {@value #DEFAULT_BUNDLE}),
   * the default encoder, CPU execution and default caches.
   *
   * @return the router
   * @throws BundleException if the default bundle is not on the class path or is invalid
   */
  public static HapsRouter withDefaults() {
    // Cold start: the bundle (manifest, ONNX checks) loads beside the encoder (tokenizer and
    // ONNX Runtime session). The shipped bundle is trained with the encoder's default settings;
    // if a replaced resource asks for others, the encoder is rebuilt to match.
    FutureTask<RouterBundle> bundleLoad = Background.start("haps-bundle-load", () -> {
      long t = StartupTrace.start();
      RouterBundle loaded = RouterBundle.fromClasspath(DEFAULT_BUNDLE);
      StartupTrace.end("bundle", t);
      return loaded;
    });
    OnnxQueryEncoder encoder;
    try {
      encoder = OnnxQueryEncoder.builder().defaultModel().build();
    } catch (RuntimeException e) {
      try {
        Background.join(bundleLoad);
      } catch (RuntimeException bundleFailure) {
        e.addSuppressed(bundleFailure);
      }
      throw e;
    }
    RouterBundle bundle;
    try {
      bundle = Background.join(bundleLoad);
    } catch (BundleException e) {
      encoder.close();
      throw new BundleException("the default router bundle is missing or broken on the class"
          + " path (" + DEFAULT_BUNDLE + "): " + e.getMessage() + ". Use a HAPS build that"
          + " ships it, or HapsRouter.builder().bundle(path) with a bundle of your own", e);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
    Builder b = builder().bundle(bundle);
    EncoderInfo want = bundle.encoder();
    EncoderInfo have = encoder.info();
    if (!want.id().equals(have.id()) || want.maxTokens() != have.maxTokens()
        || want.truncation() != have.truncation()) {
      encoder.close();
      return b.build(); // builds the encoder the bundle names, or says why it cannot
    }
    try {
      return new HapsRouter(b, bundle, encoder, true);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>With {@link Builder#microBatching(MicroBatching)}, a request that misses the decision
   * cache is queued and routed in a batch with other threads' requests; the decision is the one
   * it would get alone.
   */
  @Override
  public RouteDecision route(RouteRequest request) {
    if (batcher == null) {
      return routeOne(request);
    }
    RouteDecision hit = cachedDecision(Objects.requireNonNull(request,
        "request must not be null"));
    return hit != null ? hit : batcher.route(request);
  }

  /** A decision-cache hit, or null; for the batching front, which routes misses in batches. */
  private RouteDecision cachedDecision(RouteRequest request) {
    long t0 = System.nanoTime();
    String text = normalized(request);
    if (decisions == null || text.length() > maxKeyChars) {
      return null;
    }
    LoadedBundle b = acquire();
    try {
      Ranking r = decisions.getIfPresent(new DecisionKey(text, request, b.generation));
      if (r == null) {
        return null;
      }
      hits.increment();
      decisionHits.increment();
      long t1 = System.nanoTime();
      return decision(r, b, new RouteTimings(0, t1 - t0, t1 - t0, true), request);
    } finally {
      b.release();
    }
  }

  private RouteDecision routeOne(RouteRequest request) {
    long t0 = System.nanoTime();
    Objects.requireNonNull(request, "request must not be null");
    String text = normalized(request);
    boolean cacheable = text.length() <= maxKeyChars;
    LoadedBundle b = acquire();
    try {
      DecisionKey key = null;
      if (decisions != null && cacheable) {
        key = new DecisionKey(text, request, b.generation);
        Ranking r = decisions.getIfPresent(key);
        if (r != null) {
          hits.increment();
          decisionHits.increment();
          long t1 = System.nanoTime();
          return decision(r, b, new RouteTimings(0, t1 - t0, t1 - t0, true), request);
        }
      }
      float[] embedding = embeddings != null && cacheable ? embeddings.getIfPresent(text) : null;
      boolean hit = embedding != null;
      long encodeNanos = 0;
      if (hit) {
        hits.increment();
      } else {
        misses.increment();
        long s = System.nanoTime();
        embedding = encode(text);
        encodeNanos = System.nanoTime() - s;
        if (embeddings != null && cacheable) {
          embeddings.put(text, embedding);
        }
      }
      long s = System.nanoTime();
      Ranking r = b.routeOne(embedding, request);
      long end = System.nanoTime();
      if (key != null) {
        decisions.put(key, r);
      }
      return decision(r, b, new RouteTimings(encodeNanos, end - s, end - t0, hit), request);
    } finally {
      b.release();
    }
  }

  @Override
  public List<RouteDecision> route(List<RouteRequest> requests) {
    long t0 = System.nanoTime();
    Objects.requireNonNull(requests, "requests must not be null");
    int n = requests.size();
    if (n == 0) {
      return List.of();
    }
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      texts[i] = normalized(Objects.requireNonNull(requests.get(i),
          "requests must not contain null (index " + i + ")"));
    }
    LoadedBundle b = acquire();
    try {
      Ranking[] rankings = new Ranking[n];
      boolean[] hit = new boolean[n];
      DecisionKey[] keys = new DecisionKey[n];
      Map<String, float[]> vectors = new LinkedHashMap<>();
      List<String> toEncode = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean cacheable = texts[i].length() <= maxKeyChars;
        if (decisions != null && cacheable) {
          keys[i] = new DecisionKey(texts[i], requests.get(i), b.generation);
          rankings[i] = decisions.getIfPresent(keys[i]);
          if (rankings[i] != null) {
            hit[i] = true;
            hits.increment();
            decisionHits.increment();
            continue;
          }
        }
        if (vectors.containsKey(texts[i])) {
          hit[i] = vectors.get(texts[i]) != null;
          continue;
        }
        float[] e = embeddings != null && cacheable ? embeddings.getIfPresent(texts[i]) : null;
        vectors.put(texts[i], e);
        if (e == null) {
          toEncode.add(texts[i]);
          misses.increment();
        } else {
          hit[i] = true;
          hits.increment();
        }
      }
      long encodeNanos = 0;
      if (!toEncode.isEmpty()) {
        long s = System.nanoTime();
        float[][] encoded = encoder.encodeAll(toEncode);
        encodeNanos = System.nanoTime() - s;
        if (encoded.length != toEncode.size()) {
          throw new IllegalStateException("encoder " + encoderInfo.id() + " returned "
              + encoded.length + " embeddings for " + toEncode.size() + " texts");
        }
        for (int j = 0; j < encoded.length; j++) {
          checkLength(encoded[j]);
          String t = toEncode.get(j);
          vectors.put(t, encoded[j]);
          if (embeddings != null && t.length() <= maxKeyChars) {
            embeddings.put(t, encoded[j]);
          }
        }
      }
      int rows = 0;
      for (Ranking r : rankings) {
        if (r == null) {
          rows++;
        }
      }
      long s = System.nanoTime();
      if (rows > 0) {
        float[][] batch = new float[rows][];
        List<RouteRequest> batchRequests = new ArrayList<>(rows);
        int[] at = new int[rows];
        int j = 0;
        for (int i = 0; i < n; i++) {
          if (rankings[i] == null) {
            batch[j] = vectors.get(texts[i]);
            batchRequests.add(requests.get(i));
            at[j++] = i;
          }
        }
        Ranking[] decoded = b.routeBatch(batch, batchRequests);
        for (j = 0; j < rows; j++) {
          rankings[at[j]] = decoded[j];
          if (keys[at[j]] != null) {
            decisions.put(keys[at[j]], decoded[j]);
          }
        }
      }
      long end = System.nanoTime();
      List<RouteDecision> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(decision(rankings[i], b, new RouteTimings(encodeNanos, end - s, end - t0,
            hit[i]), requests.get(i)));
      }
      return out;
    } finally {
      b.release();
    }
  }

  /**
   * Routes from a ready embedding, skipping the encoder and the caches: the network and the
   * decoder only ("heads only"). For benchmarks, and for callers that embed queries themselves
   * with the bundle's encoder.
   *
   * @param embedding the query embedding, {@code encoder.dimension} finite floats, as the
   *     bundle's encoder computes it
   * @param request the request whose cost weight and constraints apply (its text is not read)
   * @return the decision; its timings have encode time 0 and no cache hit
   * @throws InvalidRequestException if the embedding has the wrong length or a non-finite value
   * @throws dev.haps.api.error.NoEligibleCandidateException if the constraints exclude every
   *     candidate
   * @throws IllegalStateException if the router is closed
   */
  public RouteDecision routeEmbedding(float[] embedding, RouteRequest request) {
    long t0 = System.nanoTime();
    Objects.requireNonNull(embedding, "embedding must not be null");
    Objects.requireNonNull(request, "request must not be null");
    if (embedding.length != encoderInfo.dimension()) {
      throw new InvalidRequestException("embedding has " + embedding.length + " values; expected "
          + encoderInfo.dimension() + " (encoder " + encoderInfo.id() + ")");
    }
    for (int i = 0; i < embedding.length; i++) {
      if (!Float.isFinite(embedding[i])) {
        throw new InvalidRequestException("embedding value " + i + " is " + embedding[i]
            + "; expected finite values");
      }
    }
    LoadedBundle b = acquire();
    try {
      Ranking r = b.routeOne(embedding, request);
      long end = System.nanoTime();
      return decision(r, b, new RouteTimings(0, end - t0, end - t0, false), request);
    } finally {
      b.release();
    }
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request) {
    Executor ex;
    try {
      ex = callerExecutor != null ? callerExecutor : defaultExecutor();
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    return routeAsync(request, ex);
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(executor, "executor must not be null");
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    try {
      return CompletableFuture.supplyAsync(() -> route(request), executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Replaces the bundle on the live router. The new bundle is validated fully first (against
   * ONNX Runtime and this router's encoder); if that fails, the current bundle keeps serving and
   * the exception says why. Requests in flight finish on the old bundle, whose session closes
   * when the last of them ends. Swaps are serialised.
   *
   * @param bundle the new bundle
   * @throws BundleException if the bundle is invalid or was trained with another encoder
   * @throws IllegalStateException if the router is closed
   */
  public void swap(RouterBundle bundle) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    synchronized (lifecycle) {
      if (closed) {
        throw closedException();
      }
      LoadedBundle next = LoadedBundle.open(bundle, encoderInfo, generations.incrementAndGet());
      LoadedBundle old = current;
      current = next;
      if (decisions != null) {
        decisions.invalidateAll(); // keys carry the generation; this only frees memory early
      }
      LOG.info("router {} swapped bundle {} for {}", routerId, old.info, next.info);
      old.release();
    }
  }

  /**
   * Loads a bundle from a directory or zip and {@linkplain #swap(RouterBundle) swaps} it in.
   *
   * @param path the directory or zip
   * @throws BundleException if the bundle is invalid
   * @throws IllegalStateException if the router is closed
   */
  public void reload(Path path) {
    swap(RouterBundle.load(path));
  }

  @Override
  public BundleInfo bundle() {
    return live().info;
  }

  /**
   * The bundle currently routing, with its manifest details.
   *
   * @return the bundle
   * @throws IllegalStateException if the router is closed
   */
  public RouterBundle currentBundle() {
    return live().bundle;
  }

  @Override
  public List<Candidate> candidates() {
    return live().bundle.candidates();
  }

  @Override
  public Optional<ParameterSpace> parameterSpace(String model) {
    return live().bundle.parameterSpace(model);
  }

  /**
   * The encoder this router uses.
   *
   * @return the encoder
   */
  public QueryEncoder encoder() {
    return encoder;
  }

  /**
   * The cache counters since the router was built.
   *
   * @return a snapshot; all zeros when caching is disabled
   */
  public EmbeddingCacheStats cacheStats() {
    long evictions = 0;
    long size = 0;
    if (embeddings != null) {
      evictions += embeddings.stats().evictionCount();
      size = embeddings.estimatedSize();
    }
    if (decisions != null) {
      evictions += decisions.stats().evictionCount();
    }
    return new EmbeddingCacheStats(hits.sum(), misses.sum(), evictions, size, decisionHits.sum());
  }

  /**
   * Drops every cached embedding and decision.
   */
  public void invalidateCaches() {
    if (embeddings != null) {
      embeddings.invalidateAll();
    }
    if (decisions != null) {
      decisions.invalidateAll();
    }
  }

  @Override
  public void close() {
    if (batcher != null) {
      batcher.close(); // routes what is queued, refuses what comes after
    }
    LoadedBundle last;
    ExecutorService pool;
    synchronized (lifecycle) {
      if (closed) {
        last = null;
        pool = null;
      } else {
        closed = true;
        last = current;
        current = null;
        pool = defaultExecutor;
      }
    }
    if (last == null) {
      closeDone.join(); // another thread is closing; return when it is done
      return;
    }
    try {
      last.release();
      last.awaitClosed();
      if (pool != null) {
        pool.shutdown();
      }
      if (ownsEncoder) {
        encoder.close();
      }
      LOG.debug("router {} closed", routerId);
    } finally {
      closeDone.complete(null);
    }
  }

  @Override
  public String toString() {
    LoadedBundle b = current;
    return "HapsRouter{" + (b == null ? "closed" : b.info + ", encoder " + encoderInfo.id()) + "}";
  }

  private String normalized(RouteRequest request) {
    String text = TextNormalizer.normalize(request.routingText());
    if (text.isEmpty()) {
      throw new InvalidRequestException("route request has an empty query after whitespace"
          + " normalisation; give the router a non-blank user turn");
    }
    return text;
  }

  private float[] encode(String text) {
    float[] e = encoder.encode(text);
    checkLength(e);
    return e;
  }

  private void checkLength(float[] e) {
    if (e.length != encoderInfo.dimension()) {
      throw new IllegalStateException("encoder " + encoderInfo.id() + " returned "
          + e.length + " values; its info says " + encoderInfo.dimension());
    }
  }

  /** The served decision: the greedy ranking, explored when the router or request asks. */
  private RouteDecision decision(Ranking r, LoadedBundle b, RouteTimings timings,
      RouteRequest request) {
    Explorer.Chosen c = explorer.choose(r.ranking(), request, b.utilityScale, b.policyId);
    return new RouteDecision(c.ranking(), r.excluded(), b.info, timings, c.propensity());
  }

  private LoadedBundle acquire() {
    while (true) {
      LoadedBundle b = current;
      if (b == null) {
        throw closedException();
      }
      if (b.acquire()) {
        return b;
      }
      // b was swapped out and closed between the read and the acquire: read again.
      Thread.onSpinWait();
    }
  }

  private LoadedBundle live() {
    LoadedBundle b = current;
    if (b == null) {
      throw closedException();
    }
    return b;
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("router is closed; build a new HapsRouter");
  }

  private Executor defaultExecutor() {
    synchronized (lifecycle) {
      if (closed) {
        throw closedException();
      }
      if (defaultExecutor == null) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
          Thread t = new Thread(r, "haps-router-" + routerId + "-async-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
        defaultExecutor = Executors.newFixedThreadPool(threads, f);
      }
      return defaultExecutor;
    }
  }

  /** What a cached decision depends on besides the weights: text and constraints. */
  private record DecisionKey(String text, long costWeightBits, Set<String> allowed,
      Set<String> denied, long maxCostBits, long generation) {
    DecisionKey(String text, RouteRequest r, long generation) {
      this(text, Double.doubleToLongBits(r.costWeight()), r.allowedModels(), r.deniedModels(),
          Double.doubleToLongBits(r.maxCostPerCallUsd().orElse(Double.NaN)), generation);
    }
  }

  /**
   * Builds a {@link HapsRouter}. Each option can be set once; a second call fails with the value
   * already set. Options are checked against each other in {@link #build()}, which leaves the
   * builder reusable. Not thread-safe.
   *
   * <p>Defaults: no bundle (required); the default encoder (all-MiniLM-L6-v2 int8) with the
   * bundle's token budget and truncation; CPU; one intra-op thread per encoder run;
   * {@link CacheSettings#defaults()}; a daemon thread pool for {@code routeAsync}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private RouterBundle bundle;
    private Path bundlePath;
    private QueryEncoder encoder;
    private ExecutionProvider executionProvider;
    private int intraOpThreads = -1;
    private CacheSettings cache;
    private Executor executor;
    private MicroBatching batching;
    private Exploration exploration;
    private long explorationSeed = System.nanoTime();
    private boolean explorationSeedSet;

    private Builder() {}

    /**
     * Explores with this policy on every request that does not set its own (default {@link
     * Exploration#none()}: always the greedy action). Each decision then carries the
     * probability of its action ({@link RouteDecision#propensity()}) for bandit feedback.
     *
     * @param exploration the exploration policy
     * @return this builder
     * @throws IllegalStateException if it was already set
     * @since 0.1.0
     */
    public Builder exploration(Exploration exploration) {
      Objects.requireNonNull(exploration, "exploration must not be null");
      requireUnset("exploration", this.exploration);
      this.exploration = exploration;
      return this;
    }

    /**
     * Seeds exploration's random draws, so that a given sequence of calls explores the same way
     * (tests, simulations). Default: a seed from the clock.
     *
     * @param seed the seed
     * @return this builder
     * @throws IllegalStateException if it was already set
     * @since 0.1.0
     */
    public Builder explorationSeed(long seed) {
      if (explorationSeedSet) {
        throw new IllegalStateException("explorationSeed is already set to " + explorationSeed);
      }
      this.explorationSeed = seed;
      this.explorationSeedSet = true;
      return this;
    }

    /**
     * The bundle to route with, from a directory or zip file (loaded in {@link #build()}).
     *
     * @param path the directory or zip
     * @return this builder
     * @throws IllegalStateException if a bundle was already set
     */
    public Builder bundle(Path path) {
      Objects.requireNonNull(path, "bundle path must not be null");
      requireUnset("bundle", bundleDescription());
      this.bundlePath = path;
      return this;
    }

    /**
     * The bundle to route with, already loaded (for example with {@link
     * RouterBundle#fromClasspath(String)}).
     *
     * @param bundle the bundle
     * @return this builder
     * @throws IllegalStateException if a bundle was already set
     */
    public Builder bundle(RouterBundle bundle) {
      Objects.requireNonNull(bundle, "bundle must not be null");
      requireUnset("bundle", bundleDescription());
      this.bundle = bundle;
      return this;
    }

    /**
     * The query encoder; it must be the one the bundle was trained with. The router does not
     * close an encoder given here. Without one, the router builds the default encoder and closes
     * it with itself.
     *
     * @param encoder the encoder
     * @return this builder
     * @throws IllegalStateException if an encoder was already set
     */
    public Builder encoder(QueryEncoder encoder) {
      Objects.requireNonNull(encoder, "encoder must not be null");
      requireUnset("encoder", this.encoder);
      this.encoder = encoder;
      return this;
    }

    /**
     * Where the default encoder runs (CPU, CUDA or AUTO). The router network itself always runs
     * on the CPU: it is a few small matrix products. Conflicts with {@link
     * #encoder(QueryEncoder)}: configure your own encoder's provider there.
     *
     * @param provider the execution provider
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder executionProvider(ExecutionProvider provider) {
      Objects.requireNonNull(provider, "executionProvider must not be null");
      requireUnset("executionProvider", executionProvider);
      this.executionProvider = provider;
      return this;
    }

    /**
     * ONNX Runtime threads per run of the default encoder (default 1). Conflicts with {@link
     * #encoder(QueryEncoder)}.
     *
     * @param threads at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException if it was already set
     */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + threads);
      }
      requireUnset("intraOpThreads", intraOpThreads == -1 ? null : intraOpThreads);
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * The cache settings (default {@link CacheSettings#defaults()}).
     *
     * @param settings the settings; {@link CacheSettings#disabled()} for none
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder cache(CacheSettings settings) {
      Objects.requireNonNull(settings, "cache settings must not be null");
      requireUnset("cache", cache);
      this.cache = settings;
      return this;
    }

    /**
     * The executor {@link HapsRouter#routeAsync(RouteRequest)} runs on (default: a pool of
     * daemon threads named {@code haps-router-<n>-async-<m>}, one per core, at least 2). The
     * router does not shut down an executor given here.
     *
     * @param executor the executor
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder executor(Executor executor) {
      Objects.requireNonNull(executor, "executor must not be null");
      requireUnset("executor", this.executor);
      this.executor = executor;
      return this;
    }

    /**
     * Micro-batches concurrent single-request {@link HapsRouter#route(RouteRequest)} calls
     * (default: off, each call routes on its caller's thread). The router starts
     * {@link MicroBatching#workers()} daemon threads and stops them when it closes.
     *
     * @param settings the batch size, wait and workers
     * @return this builder
     * @throws IllegalStateException if it was already set
     */
    public Builder microBatching(MicroBatching settings) {
      Objects.requireNonNull(settings, "micro-batching settings must not be null");
      requireUnset("microBatching", batching);
      this.batching = settings;
      return this;
    }

    /**
     * Loads and validates the bundle, builds the default encoder if none was given, checks the
     * encoder against the bundle, and opens the router.
     *
     * @return the router; close it when done
     * @throws IllegalStateException if no bundle was set, or options conflict
     * @throws BundleException if the bundle is invalid or does not match the encoder
     * @throws ConfigurationException if the default encoder cannot be built (e.g. CUDA asked for
     *     but missing)
     */
    public HapsRouter build() {
      if (bundle == null && bundlePath == null) {
        throw new IllegalStateException("no bundle set: call bundle(Path) or"
            + " bundle(RouterBundle.fromClasspath(...)) before build()");
      }
      if (encoder != null && executionProvider != null) {
        throw new IllegalStateException("executionProvider(" + executionProvider + ") applies to"
            + " the default encoder only, but encoder(" + encoder.info().id() + ") was set:"
            + " configure the provider on your encoder instead");
      }
      if (encoder != null && intraOpThreads != -1) {
        throw new IllegalStateException("intraOpThreads(" + intraOpThreads + ") applies to the"
            + " default encoder only, but encoder(" + encoder.info().id() + ") was set:"
            + " configure threads on your encoder instead");
      }
      RouterBundle b = bundle != null ? bundle : RouterBundle.load(bundlePath);
      if (encoder != null) {
        return new HapsRouter(this, b, encoder, false);
      }
      QueryEncoder built = defaultEncoder(b);
      try {
        return new HapsRouter(this, b, built, true);
      } catch (RuntimeException e) {
        built.close();
        throw e;
      }
    }

    private QueryEncoder defaultEncoder(RouterBundle b) {
      EncoderInfo want = b.encoder();
      OnnxQueryEncoder.Builder eb = OnnxQueryEncoder.builder();
      // A fine-tuned encoder: the base model the bundle names, then the bundle's own top layers.
      Optional<EncoderTop> top = b.encoderTop();
      String base = top.map(EncoderTop::base).orElse(want.id());
      String field = top.isPresent() ? "encoder.top.base" : "encoder.id";
      if (OnnxQueryEncoder.DEFAULT_MODEL_ID.equals(base)) {
        eb.defaultModel();
      } else if (OnnxQueryEncoder.DEFAULT_FP32_MODEL_ID.equals(base)) {
        eb.defaultModelFp32();
      } else {
        throw new BundleException("bundle '" + b.source() + "': manifest.json field"
            + " '" + field + "': found '" + base + "', expected '"
            + OnnxQueryEncoder.DEFAULT_MODEL_ID + "' or '" + OnnxQueryEncoder.DEFAULT_FP32_MODEL_ID
            + "' (the encoders the SDK can build itself); pass the bundle's encoder with"
            + " HapsRouter.builder().encoder(...)");
      }
      top.ifPresent(eb::fineTunedTop);
      eb.maxTokens(want.maxTokens()).truncation(want.truncation());
      if (executionProvider != null) {
        eb.executionProvider(executionProvider);
      }
      if (intraOpThreads != -1) {
        eb.intraOpThreads(intraOpThreads);
      }
      return eb.build();
    }

    private String bundleDescription() {
      return bundle != null ? bundle.toString() : bundlePath != null ? bundlePath.toString()
          : null;
    }

    private static void requireUnset(String option, Object value) {
      if (value != null) {
        throw new IllegalStateException(option + " was already set to " + value);
      }
    }
  }

}
