package dev.haps.bench;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.TextNormalizer;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.runtime.encoder.Tokenized;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The router's cost next to its floor (bare encoder inference) and its peer (LangChain4j's
 * in-process embedding of the same text), on the {@link QuerySet} queries cycled in a fixed order.
 * Every figure is per query: {@code routeBatch32} divides each batch by 32.
 *
 * <p>Latency benchmarks run in sample mode, so JMH reports the median (p50) besides the mean;
 * {@code routeThreads1/2/4} report throughput of one router shared by 1, 2 and 4 caller threads.
 *
 * <p>LangChain4j's model silently keeps the first 128 tokens of every text; the router keeps the
 * bundle's budget (128 for the default bundle, from the end of the text), so on long queries both
 * run the same number of tokens but not the same ones. {@code shortRoute} and {@code
 * shortPeerEmbed} repeat the comparison on the queries neither side truncates (same token ids,
 * same model). {@code routeAllCores} and {@code shortRouteAllCores}
 * give the router's encoder as many threads per query as LangChain4j's ONNX Runtime session takes
 * by default (the router's default is one, so that concurrent callers scale).
 *
 * <p>Run through {@code haps-bench/run.sh}, or directly: {@code java -jar
 * haps-bench/target/benchmarks.jar 'route$' -rf json}.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class RouterBench {

  /** Creates the benchmark (JMH instantiates it). */
  public RouterBench() {}

  /** Cost weights cycled over the queries, so decoding sees the whole trade-off range. */
  static final double[] COST_WEIGHTS = {0.0, 0.25, 0.5, 0.75, 1.0};

  /**
   * The queries and their requests.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Queries {
    List<String> texts;
    RouteRequest[] requests;

    /** Creates the state (JMH instantiates it). */
    public Queries() {}

    /** Loads the fixed query set. */
    @Setup(Level.Trial)
    public void load() {
      texts = QuerySet.load();
      requests = new RouteRequest[texts.size()];
      for (int i = 0; i < requests.length; i++) {
        requests[i] = RouteRequest.of(texts.get(i), COST_WEIGHTS[i % COST_WEIGHTS.length]);
      }
    }
  }

  /**
   * The bundle: the default one, or what {@link BenchSetup#bundle()} falls back to.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Bundle {
    RouterBundle bundle;

    /** Creates the state (JMH instantiates it). */
    public Bundle() {}

    /** Resolves the bundle. */
    @Setup(Level.Trial)
    public void load() {
      bundle = BenchSetup.bundle();
    }
  }

  /**
   * The default encoder, configured as the router configures it, and every query tokenised the
   * way the router tokenises it (after the router's text normalisation).
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Encoder {
    OnnxQueryEncoder encoder;
    Tokenized[] tokens;

    /** Creates the state (JMH instantiates it). */
    public Encoder() {}

    /**
     * Builds the encoder and tokenises the queries.
     *
     * @param bundle the bundle, for its token budget
     * @param queries the queries
     */
    @Setup(Level.Trial)
    public void open(Bundle bundle, Queries queries) {
      encoder = BenchSetup.encoder(bundle.bundle);
      tokens = new Tokenized[queries.texts.size()];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = encoder.tokenize(TextNormalizer.normalize(queries.texts.get(i)));
      }
    }

    /** Closes the encoder. */
    @TearDown(Level.Trial)
    public void close() {
      encoder.close();
    }
  }

  /**
   * A router with caching disabled: every call encodes.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Uncached {
    HapsRouter router;

    /** Creates the state (JMH instantiates it). */
    public Uncached() {}

    /**
     * Builds the router.
     *
     * @param bundle the bundle
     */
    @Setup(Level.Trial)
    public void open(Bundle bundle) {
      router = BenchSetup.router(bundle.bundle, CacheSettings.disabled());
    }

    /** Closes the router. */
    @TearDown(Level.Trial)
    public void close() {
      router.close();
    }
  }

  /** Tokens LangChain4j's int8 MiniLM embeds at most (see {@link ShortQueries}). */
  static final int PEER_TOKENS = 128;

  /** Longest normalised text the cached router caches: more than any benchmark query. */
  static final int CACHED_KEY_CHARS = 1 << 16;

  /**
   * A router with caching disabled whose encoder runs each query on every core, as LangChain4j's
   * model does (ONNX Runtime's default intra-op thread count is the number of physical cores).
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class UncachedAllCores {
    HapsRouter router;

    /** Creates the state (JMH instantiates it). */
    public UncachedAllCores() {}

    /**
     * Builds the router.
     *
     * @param bundle the bundle
     */
    @Setup(Level.Trial)
    public void open(Bundle bundle) {
      router = BenchSetup.router(bundle.bundle, CacheSettings.disabled(),
          Runtime.getRuntime().availableProcessors());
    }

    /** Closes the router. */
    @TearDown(Level.Trial)
    public void close() {
      router.close();
    }
  }

  /**
   * A router with the default caches (but a key limit above every query's length), every query
   * already routed, so that every call is a decision-cache hit.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Cached {
    HapsRouter router;

    /** Creates the state (JMH instantiates it). */
    public Cached() {}

    /**
     * Builds the router and fills its caches.
     *
     * @param bundle the bundle
     * @param queries the queries
     */
    @Setup(Level.Trial)
    public void open(Bundle bundle, Queries queries) {
      // The default key limit (4,096 characters) would leave the longest queries uncached, and
      // this benchmark measures hits only.
      router = BenchSetup.router(bundle.bundle,
          CacheSettings.defaults().withMaxKeyChars(CACHED_KEY_CHARS));
      for (RouteRequest r : queries.requests) {
        router.route(r);
      }
      long before = router.cacheStats().decisionHits();
      for (RouteRequest r : queries.requests) {
        router.route(r);
      }
      long hits = router.cacheStats().decisionHits() - before;
      if (hits != queries.requests.length) {
        throw new IllegalStateException("routeCached setup: " + hits + " of "
            + queries.requests.length + " repeated requests hit the decision cache; expected all");
      }
    }

    /** Closes the router. */
    @TearDown(Level.Trial)
    public void close() {
      router.close();
    }
  }

  /**
   * Each query's embedding, as the router's encoder computes it.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Embeddings {
    float[][] vectors;

    /** Creates the state (JMH instantiates it). */
    public Embeddings() {}

    /**
     * Encodes every query once.
     *
     * @param encoder the encoder and the tokenised queries
     */
    @Setup(Level.Trial)
    public void encode(Encoder encoder) {
      vectors = new float[encoder.tokens.length][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = encoder.encoder.encodeTokenized(encoder.tokens[i]);
      }
    }
  }

  /**
   * {@link QuerySet#SIZE} batches of 32 requests: batch j starts at query 32·j (mod the set), so
   * every query appears in 32 batches.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Batches {
    List<List<RouteRequest>> batches;

    /** Creates the state (JMH instantiates it). */
    public Batches() {}

    /**
     * Builds the batches.
     *
     * @param queries the queries
     */
    @Setup(Level.Trial)
    public void build(Queries queries) {
      int n = queries.requests.length;
      batches = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        List<RouteRequest> b = new ArrayList<>(32);
        for (int t = 0; t < 32; t++) {
          b.add(queries.requests[(32 * j + t) % n]);
        }
        batches.add(List.copyOf(b));
      }
    }
  }

  /**
   * LangChain4j's in-process int8 all-MiniLM-L6-v2, as its users create it.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class Peer {
    AllMiniLmL6V2QuantizedEmbeddingModel model;

    /** Creates the state (JMH instantiates it). */
    public Peer() {}

    /** Loads the peer model. */
    @Setup(Level.Trial)
    public void open() {
      model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }
  }

  /**
   * The queries neither side truncates, an odd count of them: at most {@value #PEER_TOKENS}
   * tokens, special tokens included. LangChain4j's model cuts every text there (its bundled
   * {@code tokenizer.json} sets {@code truncation.max_length} 128 and DJL applies it), below the
   * bundle's budget, so on these queries both sides run the same token ids through the same model.
   *
   * @since 0.1.0
   */
  @State(Scope.Benchmark)
  public static class ShortQueries {
    String[] texts;
    RouteRequest[] requests;

    /** Creates the state (JMH instantiates it). */
    public ShortQueries() {}

    /**
     * Selects the queries.
     *
     * @param bundle the bundle, for its token budget
     * @param queries the queries
     */
    @Setup(Level.Trial)
    public void select(Bundle bundle, Queries queries) {
      List<Integer> keep = new ArrayList<>();
      int budget = Math.min(PEER_TOKENS, bundle.bundle.encoder().maxTokens());
      try (OnnxQueryEncoder e = OnnxQueryEncoder.builder().defaultModel().maxTokens(budget)
          .build()) {
        for (int i = 0; i < queries.texts.size(); i++) {
          if (!e.tokenize(TextNormalizer.normalize(queries.texts.get(i))).truncated()) {
            keep.add(i);
          }
        }
      }
      if (keep.size() % 2 == 0) {
        keep.remove(keep.size() - 1); // odd, for the reason given in QuerySet
      }
      texts = new String[keep.size()];
      requests = new RouteRequest[keep.size()];
      for (int j = 0; j < texts.length; j++) {
        texts[j] = queries.texts.get(keep.get(j));
        requests[j] = queries.requests[keep.get(j)];
      }
    }
  }

  /**
   * Each caller thread's position in the query cycle; threads start spread over the cycle.
   *
   * @since 0.1.0
   */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    /** Creates the state (JMH instantiates it). */
    public Cursor() {}

    /**
     * Spreads the threads' starting points.
     *
     * @param thread this thread's index and the thread count
     */
    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      next = thread.getThreadIndex() * QuerySet.SIZE / thread.getThreadCount();
    }

    /** The next index in [0, n). */
    int next(int n) {
      int i = next % n;
      next = i + 1;
      return i;
    }
  }

  // ------------------------------------------------------------------------------ benchmarks

  /**
   * The floor: one ONNX Runtime run of the default encoder on an already tokenised query, with
   * mean pooling and normalisation.
   *
   * @param encoder the encoder and tokens
   * @param cursor the position in the cycle
   * @return the embedding
   */
  @Benchmark
  public float[] encoderOnly(Encoder encoder, Cursor cursor) {
    return encoder.encoder.encodeTokenized(encoder.tokens[cursor.next(encoder.tokens.length)]);
  }

  /**
   * The full path with caching disabled: normalise, tokenise, encode, run the network, decode.
   *
   * @param router the uncached router
   * @param queries the queries
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision route(Uncached router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * A cache hit: the same request was routed before.
   *
   * @param router the router with warm caches
   * @param queries the queries
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision routeCached(Cached router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * The network and the decoder on a given embedding.
   *
   * @param router the router
   * @param embeddings the precomputed embeddings
   * @param queries the queries (for their cost weights)
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision headsOnly(Uncached router, Embeddings embeddings, Queries queries,
      Cursor cursor) {
    int i = cursor.next(queries.requests.length);
    return router.router.routeEmbedding(embeddings.vectors[i], queries.requests[i]);
  }

  /**
   * 32 requests routed in one call; JMH divides the time by 32.
   *
   * @param router the uncached router
   * @param batches the batches
   * @param cursor the position in the cycle
   * @return the decisions
   */
  @Benchmark
  @OperationsPerInvocation(32)
  public List<RouteDecision> routeBatch32(Uncached router, Batches batches, Cursor cursor) {
    return router.router.route(batches.batches.get(cursor.next(batches.batches.size())));
  }

  /**
   * Throughput of one uncached router called from one thread.
   *
   * @param router the uncached router
   * @param queries the queries
   * @param cursor this thread's position in the cycle
   * @return the decision
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public RouteDecision routeThreads1(Uncached router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * Throughput of one uncached router shared by two caller threads.
   *
   * @param router the uncached router
   * @param queries the queries
   * @param cursor this thread's position in the cycle
   * @return the decision
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public RouteDecision routeThreads2(Uncached router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * Throughput of one uncached router shared by four caller threads.
   *
   * @param router the uncached router
   * @param queries the queries
   * @param cursor this thread's position in the cycle
   * @return the decision
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(4)
  public RouteDecision routeThreads4(Uncached router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * The peer: LangChain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel.embed(text)} on the same
   * query text.
   *
   * @param peer the LangChain4j model
   * @param queries the queries
   * @param cursor the position in the cycle
   * @return the embedding
   */
  @Benchmark
  public Embedding peerEmbed(Peer peer, Queries queries, Cursor cursor) {
    return peer.model.embed(queries.texts.get(cursor.next(queries.texts.size()))).content();
  }

  /**
   * {@link #route} on the queries neither side truncates.
   *
   * @param router the uncached router
   * @param queries the untruncated queries
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision shortRoute(Uncached router, ShortQueries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * {@link #route} with the encoder on every core ({@code intraOpThreads} = cores), the thread
   * budget LangChain4j's model gets by default: the like-for-like comparison with {@link
   * #peerEmbed}.
   *
   * @param router the uncached router using every core per query
   * @param queries the queries
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision routeAllCores(UncachedAllCores router, Queries queries, Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * {@link #shortRoute} with the encoder on every core ({@code intraOpThreads} = cores), the
   * thread budget LangChain4j's model gets by default: the like-for-like latency comparison with
   * {@link #shortPeerEmbed}.
   *
   * @param router the uncached router using every core per query
   * @param queries the untruncated queries
   * @param cursor the position in the cycle
   * @return the decision
   */
  @Benchmark
  public RouteDecision shortRouteAllCores(UncachedAllCores router, ShortQueries queries,
      Cursor cursor) {
    return router.router.route(queries.requests[cursor.next(queries.requests.length)]);
  }

  /**
   * {@link #peerEmbed} on the queries neither side truncates.
   *
   * @param peer the LangChain4j model
   * @param queries the untruncated queries
   * @param cursor the position in the cycle
   * @return the embedding
   */
  @Benchmark
  public Embedding shortPeerEmbed(Peer peer, ShortQueries queries, Cursor cursor) {
    return peer.model.embed(queries.texts[cursor.next(queries.texts.length)]).content();
  }
}
