package dev.haps.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.haps.api.Exploration;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;
import dev.haps.data.FeedbackLog;
import dev.haps.data.FeedbackLogWriter;
import dev.haps.data.LoggedAction;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.TextNormalizer;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import dev.haps.train.embed.EmbeddingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The learning loop on a full-information benchmark, as production would run it: a stream of
 * calls over the {@code train} and {@code valid} queries (drawn in a seeded order, with
 * replacement once they run out, each with a cost weight drawn from the evaluation grid) that
 * reveals only the chosen action's outcome; every call and score is written to a real feedback
 * log; after the warm-up ({@link Builder#warmup(int)}) and then every {@code M} calls a
 * candidate is trained on the log, evaluated off-policy on the {@code valid} calls the serving
 * policy logged and promoted through the {@link Promoter}'s guard. It starts cold (no bundle:
 * uniform exploration over the log's configurations, narrowed to the cost/quality frontier per
 * cost weight as outcomes accumulate, {@link Builder#frontierAfter(int)}) or from a bundle.
 *
 * <p>The {@code test} split is read only to report the serving router's gap closed (with the
 * evaluation's own metric) on the learning curve; nothing is trained or chosen on it.
 *
 * @since 0.1.0
 */
public final class Simulation {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int GRID = 21;
  /** The guard needs at least this many valid calls of the serving policy to compare on. */
  static final int MIN_GUARD_ROWS = 30;
  /** Standard errors of a difference by which the frontier-aimed warm-up drops a choice. */
  static final double FRONTIER_Z = 2;
  /** The default of {@link Builder#frontierAfter(int)}. */
  static final int DEFAULT_FRONTIER_AFTER = 40;

  private final Builder b;

  private Simulation(Builder b) {
    this.b = b;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Where a pooled query lives: its table and index. */
  private record Pooled(OutcomeTable table, int index) {}

  /**
   * Runs the simulation.
   *
   * @return the report (also written to {@code learning-curve.json} and {@code .png})
   * @throws UncheckedIOException if an output cannot be written
   */
  public SimulationReport run() {
    Consumer<String> say = b.progress;
    if (Files.exists(b.out.resolve("feedback"))) {
      throw new IllegalStateException("output folder " + b.out + " already holds a simulation"
          + " (feedback/); choose another folder or delete it");
    }
    OutcomeLog log = b.log != null ? b.log : OutcomeLog.load(b.data);
    List<Configuration> configs = OutcomeTable.configurations(log);
    OutcomeTable train = OutcomeTable.of(log, Split.TRAIN, configs);
    OutcomeTable valid = OutcomeTable.of(log, Split.VALID, configs);
    List<Pooled> pool = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      pool.add(new Pooled(train, i));
    }
    if (!b.designMode) {
      for (int i = 0; i < valid.size(); i++) {
        pool.add(new Pooled(valid, i));
      }
    }
    int n = pool.size();
    int g = configs.size();
    CostTradeoff tradeoff = CostTradeoff.withCostScale(train.maxMeanCost());
    double[] grid = CostTradeoff.grid(GRID);
    // The best fixed configuration per cost weight, in hindsight on the whole pool.
    int[] bestFixed = new int[GRID];
    for (int w = 0; w < GRID; w++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < g; c++) {
        double s = 0;
        for (Pooled p : pool) {
          s += tradeoff.reward(p.table().score(p.index(), c), p.table().cost(p.index(), c),
              grid[w]);
        }
        if (s > best) {
          best = s;
          bestFixed[w] = c;
        }
      }
    }
    TrainOptions options = b.options;
    QueryEncoder enc = OnnxQueryEncoder.builder().defaultModel().maxTokens(options.maxTokens())
        .truncation(options.truncation()).build();
    try {
      say.accept("embedding " + n + " queries");
      EmbeddingStore store = EmbeddingStore.open(enc, b.cacheDir);
      List<String> texts = new ArrayList<>();
      for (Pooled p : pool) {
        texts.add(TextNormalizer.normalize(p.table().text(p.index())));
      }
      float[][] emb = store.embed(texts);
      Map<String, float[]> byText = new HashMap<>();
      for (int i = 0; i < n; i++) {
        byText.put(texts.get(i), emb[i]);
      }
      FixedEncoder fixed = new FixedEncoder(enc.info(), byText);
      return loop(log, configs, pool, emb, fixed, enc, tradeoff, grid, bestFixed);
    } finally {
      enc.close();
    }
  }

  private SimulationReport loop(OutcomeLog log, List<Configuration> configs, List<Pooled> pool,
      float[][] emb, FixedEncoder fixed, QueryEncoder enc, CostTradeoff tradeoff, double[] grid,
      int[] bestFixed) {
    Path out = b.out;
    Path feedback = out.resolve("feedback");
    int n = pool.size();
    int g = configs.size();
    SplittableRandom rng = new SplittableRandom(b.seed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    long[] clockMillis = {T0.toEpochMilli()};
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(clockMillis[0]);
      }
    };
    Promoter promoter = Promoter.open(out.resolve("serving"), clock);
    HapsRouter router = null;
    Path servingPath = null;
    String servingPolicy = Promoter.UNIFORM;
    if (b.start != null) {
      servingPath = b.start;
      router = router(RouterBundle.load(b.start), fixed, 0);
      servingPolicy = router.currentBundle().routerSha256();
    }
    double servingGap = Double.NaN;
    if (servingPath != null && b.evaluateTest) {
      servingGap = testGap(log, servingPath, enc);
    }
    List<SimulationReport.Point> points = new ArrayList<>();
    double blockServed = 0;
    double blockBest = 0;
    int blockCalls = 0;
    double totalServed = 0;
    int promotions = 0;
    int worseChecked = 0;
    int worsePromoted = 0;
    boolean worseDone = !b.checkWorse;
    int warmup = warmup(n);
    FrontierWarmup frontier = new FrontierWarmup(g, b.frontierAfter, FRONTIER_Z, tradeoff, grid);
    try (FeedbackLogWriter writer = FeedbackLogWriter.open(feedback, log.candidates(), false)) {
      for (int t = 0; t < b.calls; t++) {
        clockMillis[0] = T0.toEpochMilli() + t * 1000L;
        int qi = t < n ? order[t] : rng.nextInt(n);
        int wi = rng.nextInt(grid.length);
        double w = grid[wi];
        Pooled q = pool.get(qi);
        String model;
        ParameterValues params;
        double p;
        String policy;
        if (router == null) {
          Configuration c = configs.get(frontier.draw(rng, wi));
          model = c.model();
          params = c.params();
          p = frontier.propensity(wi);
          policy = frontier.policy(wi);
        } else {
          RouteDecision d = router.routeEmbedding(emb[qi], RouteRequest.builder().query("q")
              .costWeight(w).build());
          model = d.model();
          params = d.parameters();
          p = d.propensity().probability();
          policy = d.propensity().policyId();
        }
        int cfg = q.table().snap(new Decision(model, params));
        double score = q.table().score(q.index(), cfg);
        double cost = q.table().cost(q.index(), cfg);
        if (router == null) {
          frontier.observe(cfg, score, cost);
        }
        String id = "call-" + b.seed + "-" + t;
        Instant at = clock.instant();
        LoggedAction a = new LoggedAction(p, policy, w, at, Optional.empty(), false);
        writer.appendCall(QueryRecord.of(id, "simulated",
            FeedbackLog.split(TextNormalizer.normalize(q.table().text(q.index()))),
            q.table().text(q.index()),
            List.of(new Outcome(model, params, 0, cost, -1, -1, Optional.of(a)))));
        writer.appendScore(id, score, at.plusMillis(500));
        double r = tradeoff.reward(score, cost, w);
        blockServed += r;
        totalServed += r;
        blockBest += tradeoff.reward(q.table().score(q.index(), bestFixed[wi]),
            q.table().cost(q.index(), bestFixed[wi]), w);
        blockCalls++;
        boolean last = t + 1 == b.calls;
        int m = b.retrainEvery;
        // The first retraining after the warm-up (a cold start's exploration until then), or,
        // without one, after M/4 and M/2 calls as well; then every M calls.
        boolean due = warmup > 0
            ? t + 1 == warmup || (t + 1 > warmup && (t + 1) % m == 0)
            : (t + 1) % m == 0 || t + 1 == m / 4 || t + 1 == m / 2;
        if (!due && !last) {
          continue;
        }
        int calls = t + 1;
        clockMillis[0] = T0.toEpochMilli() + calls * 1000L + 3_600_000L;
        OutcomeLog fl = FeedbackLog.load(feedback,
            new FeedbackLog.JoinPolicy(Duration.ofHours(1), Double.NaN), clock.instant()).log();
        double retrainSeconds = Double.NaN;
        double candidateGap = Double.NaN;
        double evalSeconds = Double.NaN;
        double dr = Double.NaN;
        double drLow = Double.NaN;
        double observed = Double.NaN;
        boolean promoted = false;
        if (trainable(fl)) {
          Path cand = out.resolve("candidates").resolve(String.format("c%06d", calls));
          long t0 = System.nanoTime();
          train(fl, cand, enc);
          retrainSeconds = (System.nanoTime() - t0) / 1e9;
          long t1 = System.nanoTime();
          // The guard compares on the valid calls the serving policy logged: held out from the
          // candidate's training, and paired with the serving policy's observed rewards.
          List<LoggedRow> validRows = new ArrayList<>();
          for (LoggedRow lr : LoggedRow.of(fl)) {
            // Before the first promotion every call was the cold start's (uniform, then each
            // narrowing's own policy): the guard compares with all of them, each row with its
            // own propensity.
            boolean served = router == null || lr.policy().equals(servingPolicy);
            if (lr.split() == Split.VALID && served) {
              validRows.add(lr);
            }
          }
          PromotionDecision d = null;
          OffPolicyReport report = null;
          if (validRows.size() >= MIN_GUARD_ROWS) {
            report = evaluate(cand, validRows, fixed, tradeoff);
            d = promoter.consider(cand, report, router);
            dr = report.dr().reward().value();
            drLow = d.candidateLow();
            observed = d.servingObserved();
            promoted = d.promoted();
          }
          evalSeconds = (System.nanoTime() - t1) / 1e9;
          if (b.evaluateCandidates) {
            candidateGap = testGap(log, cand, enc);
          }
          if (promoted) {
            promotions++;
            servingPath = promoter.serving().orElseThrow();
            if (router == null) {
              router = router(RouterBundle.load(servingPath), fixed, b.seed);
            }
            servingPolicy = router.currentBundle().routerSha256();
            if (b.evaluateTest) {
              servingGap = testGap(log, servingPath, enc);
            }
          }
          if (!worseDone && calls >= n && report != null) {
            worseDone = true;
            worseChecked++;
            if (worse(fl, out, enc, validRows, fixed, tradeoff, clock)) {
              worsePromoted++;
            }
          }
        }
        double so = totalServed / calls;
        SimulationReport.Point pt = new SimulationReport.Point(calls, blockServed / blockCalls,
            blockBest / blockCalls, so, servingGap, candidateGap, dr, drLow, observed, promoted,
            retrainSeconds, evalSeconds);
        points.add(pt);
        b.progress.accept(String.format(java.util.Locale.ROOT, "calls %d: served %.4f (best fixed"
            + " %.4f), gap closed %.3f (candidate %.3f), candidate DR %.4f [low %.4f] vs serving"
            + " %.4f%s, retrain %.1f s", calls, pt.servedReward(), pt.bestFixedReward(),
            servingGap, candidateGap, dr, drLow, observed, promoted ? " -> promoted" : "",
            retrainSeconds));
        blockServed = 0;
        blockBest = 0;
        blockCalls = 0;
      }
    } finally {
      if (router != null) {
        router.close();
      }
    }
    double finalGap = servingGap;
    if (servingPath != null && b.evaluateTest) {
      // The final serving router's test decisions, for haps eval and haps recompute.
      EvalReport r = Evaluation.builder().data(log).bundle(servingPath).baselines()
          .split(b.designMode ? Split.VALID : Split.TEST).encoder(enc).embeddingCache(b.cacheDir).seed(b.seed)
          .report(out.resolve("final-eval")).build().run();
      finalGap = r.router(Evaluation.MAIN_BUNDLE).orElseThrow().metrics().gapClosed();
    }
    SimulationReport report = new SimulationReport(log.benchmark(), b.seed, b.calls, n, points,
        finalGap, promotions, worsePromoted, worseChecked, out);
    write(report);
    return report;
  }

  /** The warm-up in effect: the builder's, or by default the pool size on a cold start. */
  private int warmup(int pool) {
    return b.warmup >= 0 ? b.warmup : b.start == null ? pool : 0;
  }

  private HapsRouter router(RouterBundle bundle, FixedEncoder fixed, long seed) {
    return HapsRouter.builder().bundle(bundle).encoder(fixed).cache(CacheSettings.disabled())
        .exploration(b.exploration).explorationSeed(seed * 31 + 7).build();
  }

  /** Every candidate has a train row and some valid row exists. */
  private static boolean trainable(OutcomeLog fl) {
    Set<String> seen = new HashSet<>();
    for (QueryRecord q : fl.records(Split.TRAIN)) {
      seen.add(q.outcomes().get(0).model());
    }
    return seen.size() == fl.candidates().models().size() && !fl.records(Split.VALID).isEmpty();
  }

  private void train(OutcomeLog fl, Path out, QueryEncoder enc) {
    Trainer.builder().log(fl).output(out).options(b.options).encoder(enc).cacheDir(b.cacheDir)
        .createdAt(T0).build().train();
  }

  private OffPolicyReport evaluate(Path cand, List<LoggedRow> rows, FixedEncoder fixed,
      CostTradeoff tradeoff) {
    float[][] e = new float[rows.size()][];
    for (int i = 0; i < e.length; i++) {
      e[i] = fixed.encode(rows.get(i).text());
    }
    return OffPolicyEvaluation.evaluate(cand.toString(), RouterBundle.load(cand), b.exploration,
        rows, e, fixed, tradeoff, 1000, b.seed);
  }

  /**
   * Trains a deliberately worse candidate and puts it to the guard in a separate folder; true
   * when the guard promoted it. Every logged score is inverted and every cost mirrored within
   * the log's range ({@code min + max − cost}), so it prefers what fails and what costs most.
   * Inverting the scores alone is not enough: with the costs intact the candidate still learns
   * to pick cheap models at high cost weights, which beats a uniform serving policy in reward
   * (design runs promoted such a candidate over uniform exploration).
   */
  private boolean worse(OutcomeLog fl, Path out, QueryEncoder enc, List<LoggedRow> validRows,
      FixedEncoder fixed, CostTradeoff tradeoff, Clock clock) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (QueryRecord q : fl.records()) {
      for (Outcome o : q.outcomes()) {
        if (!Double.isNaN(o.costUsd())) {
          lo = Math.min(lo, o.costUsd());
          hi = Math.max(hi, o.costUsd());
        }
      }
    }
    List<QueryRecord> inverted = new ArrayList<>();
    for (QueryRecord q : fl.records()) {
      List<Outcome> os = new ArrayList<>();
      for (Outcome o : q.outcomes()) {
        double cost = Double.isNaN(o.costUsd()) ? o.costUsd() : lo + hi - o.costUsd();
        os.add(new Outcome(o.model(), o.params(), 1 - o.score(), cost, o.inputTokens(),
            o.outputTokens(), o.logged()));
      }
      inverted.add(new QueryRecord(q.id(), q.task(), q.split(), q.query(), q.answer(), os));
    }
    Path cand = out.resolve("worse-candidate");
    Trainer.builder().log(OutcomeLog.of(fl.candidates(), inverted)).output(cand)
        .options(b.options).encoder(enc).cacheDir(b.cacheDir).createdAt(T0).build().train();
    OffPolicyReport report = evaluate(cand, validRows, fixed, tradeoff);
    PromotionDecision d = Promoter.open(out.resolve("worse-check"), clock)
        .consider(cand, report, null);
    b.progress.accept("deliberately worse candidate: " + d.reason()
        + (d.promoted() ? " -> PROMOTED (guard failed)" : " -> kept out"));
    return d.promoted();
  }

  /**
   * The gap closed of a bundle on the reporting split: {@code test}, or {@code valid} in design
   * mode (the stream then draws from {@code train} only, so that design choices are measured
   * without reading {@code test}).
   */
  private double testGap(OutcomeLog log, Path bundle, QueryEncoder enc) {
    EvalReport r = Evaluation.builder().data(log).bundle(bundle).baselines()
        .split(b.designMode ? Split.VALID : Split.TEST)
        .encoder(enc).embeddingCache(b.cacheDir).seed(b.seed).build().run();
    return r.router(Evaluation.MAIN_BUNDLE).orElseThrow().metrics().gapClosed();
  }

  private void write(SimulationReport r) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("benchmark", r.benchmark());
    m.put("seed", r.seed());
    m.put("calls", r.calls());
    m.put("pool_size", r.poolSize());
    m.put("retrain_every", b.retrainEvery);
    m.put("warmup", warmup(r.poolSize()));
    m.put("frontier_after", b.frontierAfter);
    m.put("exploration", b.exploration.describe());
    m.put("start", b.start == null ? "cold" : b.start.toString());
    m.put("mode", b.designMode ? "design: stream over train, gap closed on valid"
        : "stream over train+valid, gap closed on test");
    m.put("train_options", b.options.hyperParameters());
    m.put("final_test_gap_closed", r.finalTestGapClosed());
    m.put("promotions", r.promotions());
    m.put("worse_candidates_checked", r.worseCandidatesChecked());
    m.put("worse_candidates_promoted", r.worseCandidatesPromoted());
    List<Map<String, Object>> pts = new ArrayList<>();
    for (SimulationReport.Point p : r.points()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("calls", p.calls());
      e.put("served_reward", p.servedReward());
      e.put("best_fixed_reward", p.bestFixedReward());
      e.put("served_reward_so_far", p.servedRewardSoFar());
      e.put(b.designMode ? "valid_gap_closed" : "test_gap_closed", p.testGapClosed());
      e.put("candidate_gap_closed", p.candidateGapClosed());
      e.put("candidate_dr", p.candidateDr());
      e.put("candidate_dr_low", p.candidateDrLow());
      e.put("serving_observed", p.servingObserved());
      e.put("promoted", p.promoted());
      e.put("retrain_seconds", p.retrainSeconds());
      e.put("eval_seconds", p.evalSeconds());
      pts.add(e);
    }
    m.put("points", pts);
    try {
      Files.createDirectories(r.out());
      json.writeValue(r.out().resolve("learning-curve.json").toFile(), sanitize(m));
      Files.write(r.out().resolve("learning-curve.png"), LearningCurvePlot.png(r));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the learning curve into " + r.out(), e);
    }
  }

  /** NaN is not JSON: written as null. */
  @SuppressWarnings("unchecked")
  private static Object sanitize(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(e.getKey()), sanitize(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(sanitize(o));
      }
      return out;
    }
    return v;
  }

  /**
   * What to simulate. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path data;
    private OutcomeLog log;
    private int calls;
    private int retrainEvery = 500;
    /** -1: the pool size on a cold start, 0 from a bundle. */
    private int warmup = -1;
    private int frontierAfter = DEFAULT_FRONTIER_AFTER;
    private long seed = 1;
    private Exploration exploration = Exploration.epsilonGreedy(0.2, 0.1);
    private Path start;
    private TrainOptions options = TrainOptions.defaults();
    private Path out;
    private Path cacheDir = EmbeddingStore.defaultCacheDir();
    private boolean checkWorse = true;
    private boolean evaluateTest = true;
    private boolean designMode;
    private boolean evaluateCandidates;
    private Consumer<String> progress = s -> { };

    private Builder() {}

    /**
     * The full-information benchmark folder.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder data(Path dir) {
      this.data = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * A full-information log already in memory (instead of {@link #data(Path)}).
     *
     * @param log the log
     * @return this builder
     */
    public Builder data(OutcomeLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * How many calls to simulate.
     *
     * @param calls at least 1
     * @return this builder
     */
    public Builder calls(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be at least 1, got " + calls);
      }
      this.calls = calls;
      return this;
    }

    /**
     * Calls between retrainings (M). Default 500.
     *
     * @param m at least 10
     * @return this builder
     */
    public Builder retrainEvery(int m) {
      if (m < 10) {
        throw new IllegalArgumentException("retrainEvery must be at least 10 calls, got " + m);
      }
      this.retrainEvery = m;
      return this;
    }

    /**
     * The seed of the stream (order, cost weights, exploration). Default 1.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The exploration of every serving bundle. Default epsilon-greedy 0.2 within a utility
     * margin of 0.1 (docs/learning-loop.md, "Design choices": it served more reward than plain
     * epsilon-greedy at the same model quality).
     *
     * @param exploration the exploration
     * @return this builder
     */
    public Builder exploration(Exploration exploration) {
      this.exploration = Objects.requireNonNull(exploration, "exploration");
      return this;
    }

    /**
     * Calls before the first retraining (W): a cold start explores until then (uniformly, then
     * aimed at the frontier, {@link #frontierAfter(int)}), which gives the first candidate W
     * outcomes spread over every configuration. 0 retrains after M/4
     * and M/2 calls as well instead. Later retrainings come every M calls. Default: the number
     * of pooled queries N on a cold start (chosen on design runs, docs/learning-loop.md: an
     * early first promotion locked some runs into a poor router), 0 with {@link #start}.
     *
     * @param calls at least 0
     * @return this builder
     */
    public Builder warmup(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("warmup must be at least 0 calls, got " + calls);
      }
      this.warmup = calls;
      return this;
    }

    /**
     * Aims a cold start's exploration at the cost/quality frontier, per cost weight: once every
     * configuration still explored has this many outcomes (and again each time the smallest
     * count grows by as many), a call explores only the configurations whose mean reward at its
     * cost weight is within two standard errors of the difference from the best one's there. 0
     * explores uniformly throughout. Default 40 (docs/learning-loop.md, "Exploration aimed at
     * the frontier": on design runs it served about twice the reward during the warm-up, at the
     * same or a better gap closed after it).
     *
     * @param outcomesPerConfiguration at least 0
     * @return this builder
     */
    public Builder frontierAfter(int outcomesPerConfiguration) {
      if (outcomesPerConfiguration < 0) {
        throw new IllegalArgumentException("frontierAfter must be at least 0 outcomes, got "
            + outcomesPerConfiguration);
      }
      this.frontierAfter = outcomesPerConfiguration;
      return this;
    }

    /**
     * A bundle that serves from the first call (default: cold start, uniform exploration).
     *
     * @param bundle the bundle folder
     * @return this builder
     */
    public Builder start(Path bundle) {
      this.start = Objects.requireNonNull(bundle, "bundle");
      return this;
    }

    /**
     * The options of every retraining.
     *
     * @param options the options
     * @return this builder
     */
    public Builder trainOptions(TrainOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The output folder (feedback log, serving folder, candidates, learning curve).
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder out(Path dir) {
      this.out = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The embedding cache root.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder cacheDir(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Whether to put a deliberately worse candidate to the guard once, after N calls. Default
     * true.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder checkWorse(boolean on) {
      this.checkWorse = on;
      return this;
    }

    /**
     * Whether to measure the serving router's test gap closed after each promotion and at the
     * end. Default true.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder evaluateTest(boolean on) {
      this.evaluateTest = on;
      return this;
    }

    /**
     * Design mode: the stream draws from {@code train} only and gap closed is measured on
     * {@code valid}, so that exploration and training choices are compared without reading
     * {@code test}. Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder designMode(boolean on) {
      this.designMode = on;
      return this;
    }

    /**
     * Whether to measure every candidate's gap closed too (not only the serving router's), for
     * diagnosis. Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder evaluateCandidates(boolean on) {
      this.evaluateCandidates = on;
      return this;
    }

    /**
     * Where progress lines go. Default nowhere.
     *
     * @param progress the sink
     * @return this builder
     */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Builds the simulation.
     *
     * @return the simulation
     * @throws IllegalStateException if data, calls or out is missing
     */
    public Simulation build() {
      if ((data == null && log == null) || calls == 0 || out == null) {
        throw new IllegalStateException("set data(dir), calls(n) and out(dir) before build()");
      }
      return new Simulation(this);
    }
  }
}
