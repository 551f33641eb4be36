package dev.haps.collect;

import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.client.Attempt;
import dev.haps.client.CallResult;
import dev.haps.client.RequestTransformers;
import dev.haps.client.RoutingCallException;
import dev.haps.client.RoutingClient;
import dev.haps.data.Configuration;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import dev.haps.data.internal.Closing;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeRegistry;
import dev.haps.spi.JudgeRequest;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import dev.haps.spi.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns queries into an outcome log: runs every candidate configuration (or a seeded sample of
 * them per query) on every query through the provider plugins, grades each answer with a
 * {@link Judge}, and writes {@code candidates.json}, {@code outcomes.jsonl} and
 * {@code summary.json} in the shared format, ready for {@code haps train}.
 *
 * <pre>{@code
 * try (Collector c = Collector.builder()
 *     .config(Path.of("collect.json"))          // providers, candidates with grids, judge
 *     .queries(Path.of("queries.jsonl"))        // {"query": ..., "answer": ...} per line
 *     .output(Path.of("data/team-qa"))
 *     .budgetUsd(20)
 *     .build()) {
 *   CostEstimate e = c.estimate();              // before spending anything
 *   CollectSummary s = c.run();                 // resumable: a rerun skips finished pairs
 *   System.out.println(s.bestSingle() + " " + s.oracleMeanScore());
 * }
 * }</pre>
 *
 * <p><b>Calls.</b> Each (query, configuration) pair is one call of the routing client with the
 * configuration as a fixed decision, so the client's retries (honouring {@code Retry-After}),
 * per-provider circuit breakers, deadline and transformers ({@code prompt_style}, system
 * prompts) apply; the file's {@code retry}, {@code circuitBreaker} and {@code deadline} set them.
 * At most {@code concurrency} calls run at once, and each provider instance can be limited
 * further ({@code rateLimits}: requests per minute, calls at once).
 *
 * <p><b>Resumable, crash-safe.</b> Each finished pair is appended at once to
 * {@code journal.jsonl} in the output folder, one line written whole and forced to disk, so a
 * crash loses at most the calls in flight. A rerun with the same queries and configuration
 * skips the pairs already graded or ungraded, calls again those whose call failed, and grades
 * again (without calling) those whose judge failed. The log files are rebuilt from the journal
 * at the end of every run, in query and plan order, so a run that was killed and resumed writes
 * the same bytes as one that ran straight through.
 *
 * <p><b>Budget.</b> With {@link Builder#budgetUsd}, no call starts once the money spent (the
 * answers and the judge's own calls, earlier runs into the folder included) reaches the budget,
 * so it is exceeded by at most the calls in flight. Every candidate needs a price then.
 *
 * <p><b>Nothing dropped.</b> An answer the judge cannot grade is kept with no score, and every
 * failed call or judge is kept with its error; {@link CollectSummary#problems()} and
 * {@code summary.json} list each. The outcome log holds the graded pairs only, since the shared
 * format requires a score.
 *
 * <p>{@link #run()} runs once; {@link #stop()} may be called from any thread (a shutdown hook).
 *
 * @since 0.1.0
 */
public final class Collector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  /** Output tokens assumed per call in the estimate when a configuration sets no max_tokens. */
  public static final long DEFAULT_OUTPUT_TOKENS = 256;

  /** The default number of calls at once. */
  public static final int DEFAULT_CONCURRENCY = 4;

  /** The default seed of the per-query sample of configurations. */
  public static final long DEFAULT_SEED = 42;

  /** The default shares of train and valid (test gets the rest). */
  public static final double DEFAULT_TRAIN_SHARE = 0.6;

  /** The default share of valid. */
  public static final double DEFAULT_VALID_SHARE = 0.2;

  private final Builder b;
  private final Path out;
  private final String benchmark;
  private final List<CollectQuery> queries;
  private final Plan plan;
  private final Map<String, LlmProvider> providers;
  private final Map<String, Map<String, String>> systemPrompts;
  private final PlanRouter router;
  private final RoutingClient client;
  private final JudgeClients judgeClients;
  private final Judge judge;
  private final String judgeName;
  private final Map<String, RateLimiter> limiters;
  private final Splits splits;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile long stopAt;

  // Run state, guarded by `this`.
  private final Map<String, JournalRow> latest = new HashMap<>();
  private final List<JournalRow> allRows = new ArrayList<>();
  private double spent;
  private int done;
  private int failedCount;
  private int ungradedCount;
  private int total;
  private final AtomicInteger calls = new AtomicInteger();

  private Collector(Builder b, String benchmark, CollectConfig cfg,
      Map<String, LlmProvider> providers, Plan plan, List<CollectQuery> queries,
      RoutingClient client, JudgeClients judgeClients, Judge judge, JudgeConfig judgeConfig) {
    this.b = b;
    this.out = b.output;
    this.benchmark = benchmark;
    this.queries = queries;
    this.plan = plan;
    this.providers = providers;
    this.systemPrompts = cfg.systemPrompts;
    this.router = (PlanRouter) client.router();
    this.client = client;
    this.judgeClients = judgeClients;
    this.judge = judge;
    this.judgeName = judgeConfig.toString();
    Map<String, RateLimiter> rl = new LinkedHashMap<>();
    for (String id : providers.keySet()) {
      CollectConfig.RateLimit r = cfg.rateLimits.get(id);
      rl.put(id, r == null ? RateLimiter.none()
          : new RateLimiter(r.requestsPerMinute(), r.concurrency(), System::nanoTime,
              TimeUnit.NANOSECONDS::sleep));
    }
    this.limiters = Collections.unmodifiableMap(rl);
    this.splits = new Splits(b.trainShare, b.validShare);
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** One pair to do: call and grade, or grade a kept answer again. */
  private record Work(Compaction.Item item, Configuration config, JournalRow kept) {}

  /**
   * Estimates the cost of the pairs a run would do now (reading the journal, spending nothing).
   *
   * @return the estimate
   */
  public CostEstimate estimate() {
    Journal.Contents j = Journal.read(out.resolve(Journal.FILE), false);
    Map<String, JournalRow> last = lastRows(j.rows(), items());
    List<Work> work = pending(items(), last);
    double spentBefore = 0;
    for (JournalRow r : j.rows()) {
      spentBefore += r.spentUsd();
    }
    return estimate(work, spentBefore);
  }

  private CostEstimate estimate(List<Work> work, double spentBefore) {
    int planned = 0;
    for (Compaction.Item it : items()) {
      planned += it.configurations().size();
    }
    double usd = 0;
    int n = 0;
    List<String> unpriced = new ArrayList<>();
    for (Plan.Candidate c : plan.candidates) {
      if (!c.priced()) {
        unpriced.add(c.id());
      }
    }
    for (Work w : work) {
      if (w.kept() == null) {
        n++;
        usd += estimateUsd(w);
      }
    }
    return new CostEstimate(planned, planned - work.size(), n,
        unpriced.isEmpty() ? usd : Double.NaN, unpriced, spentBefore,
        b.budgetUsd == null ? Double.NaN : b.budgetUsd);
  }

  private double estimateUsd(Work w) {
    Plan.Candidate c = plan.candidate(w.config().model());
    if (!c.priced()) {
      return Double.NaN;
    }
    long chars = w.item().query().query().length();
    for (Map.Entry<String, Object> e : w.config().params().asMap().entrySet()) {
      Map<String, String> prompts = systemPrompts.get(e.getKey());
      if (prompts == null && e.getKey().equals(RequestTransformers.PROMPT_STYLE)) {
        prompts = RequestTransformers.promptStyleTexts();
      }
      if (prompts != null) {
        chars += prompts.getOrDefault(String.valueOf(e.getValue()), "").length();
      }
    }
    long in = chars / 4 + 8;
    long outTokens = w.config().params().get("max_tokens")
        .filter(v -> v instanceof Long).map(v -> (Long) v).orElse(b.outputTokens);
    return (in * c.inputPricePerMtok() + outTokens * c.outputPricePerMtok()) / 1e6;
  }

  /**
   * Runs the collection: every pending pair, then the outcome log, {@code summary.json} and the
   * summary. Runs once per collector.
   *
   * @return the summary
   * @throws ConfigurationException if another collector writes the same folder, or the journal
   *     holds answers graded by another judge
   * @throws IllegalStateException if called twice or after {@link #close()}
   */
  public CollectSummary run() {
    if (closed.get()) {
      throw new IllegalStateException("the collector is closed; build a new one");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a collector runs once; build a new one to run again");
    }
    List<Compaction.Item> items = items();
    String stopReason = null;
    int torn;
    try (Journal journal = Journal.open(out.resolve(Journal.FILE), b.fsync)) {
      Journal.Contents j = Journal.read(out.resolve(Journal.FILE));
      torn = j.tornLines();
      synchronized (this) {
        allRows.addAll(j.rows());
        latest.putAll(lastRows(j.rows(), items));
        for (JournalRow r : j.rows()) {
          spent += r.spentUsd();
        }
      }
      checkJudge();
      List<Work> work = pending(items, latest);
      synchronized (this) {
        total = work.size();
      }
      CostEstimate est = estimate(work, spent);
      LOG.info("collect {}: {} queries x {} configurations, {} pairs planned, {} done before,"
          + " {} to run; estimated {} USD for the calls", benchmark, items.size(),
          plan.configurations.size(), est.pairsPlanned(), est.pairsDone(), work.size(),
          est.estimatedUsd());
      stopReason = dispatch(work, journal);
      synchronized (this) {
        CollectSummary.Builder s = Compaction.write(out, benchmark, judgeName, plan, items,
            latest, allRows);
        s.stopReason = stopReason;
        s.callsThisRun = calls.get();
        s.tornJournalLines = torn;
        if (s.queriesInLog > 0) {
          // The shared validator: what training reads must load.
          OutcomeLog.load(out);
        }
        return s.build();
      }
    }
  }

  /** Runs the work on the pool, in order; returns why it stopped early, or null. */
  private String dispatch(List<Work> work, Journal journal) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(b.concurrency, r -> {
      Thread t = new Thread(r, "haps-collect-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Semaphore slots = new Semaphore(b.concurrency);
    String stopReason = null;
    try {
      for (Work w : work) {
        boolean slot = false;
        while (!stopping && !(slot = slots.tryAcquire(100, TimeUnit.MILLISECONDS))) {
          // Wait for a free slot, noticing a stop request within 100 ms.
        }
        if (stopping) {
          if (slot) {
            slots.release();
          }
          stopReason = "stopped on request before every pair ran";
          break;
        }
        String over = overBudget();
        if (over != null) {
          slots.release();
          stopReason = over;
          break;
        }
        pool.execute(() -> {
          try {
            runOne(w, journal);
          } catch (RuntimeException | Error e) {
            LOG.error("collect: pair {} / {} failed unexpectedly; it is not recorded and a"
                + " rerun will do it again", w.item().query().id(), w.config().key(), e);
          } finally {
            slots.release();
          }
        });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopReason = "the collecting thread was interrupted";
    } finally {
      pool.shutdown();
      awaitPool(pool);
    }
    if (stopReason == null && stopping) {
      stopReason = "stopped on request";
    }
    return stopReason;
  }

  private void awaitPool(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
        pool.shutdownNow();
      }
      if (stopping && System.nanoTime() - stopAt > b.stopGrace.toNanos()) {
        // Calls still running after the grace period are abandoned, not recorded: a rerun
        // makes them again.
        pool.shutdownNow();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized String overBudget() {
    if (b.budgetUsd != null && spent >= b.budgetUsd) {
      return String.format(Locale.ROOT, "the budget of $%.4f is spent ($%.4f)", b.budgetUsd,
          spent);
    }
    return null;
  }

  private void runOne(Work w, Journal journal) {
    Plan.Candidate cand = plan.candidate(w.config().model());
    RateLimiter limiter = limiters.get(cand.providerId());
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      return;
    }
    try {
      if (stopping && System.nanoTime() - stopAt > b.stopGrace.toNanos()) {
        return;
      }
      if (w.kept() == null && overBudget() != null) {
        return; // the budget ran out while this pair waited for its provider's rate limit
      }
      CollectQuery q = w.item().query();
      JournalRow row;
      if (w.kept() != null) {
        JournalRow k = w.kept();
        row = grade(w, k.response(), Map.of(), k.costUsd(), k.inputTokens(), k.outputTokens(),
            k.attempts(), k.latencyMillis());
      } else {
        CallResult r;
        try {
          r = client.call(RouteRequest.builder().query(q.query()).build(),
              router.decision(cand.providerId(), w.config()));
        } catch (RoutingCallException e) {
          if (Thread.currentThread().isInterrupted()) {
            return; // abandoned after the stop grace: not recorded
          }
          calls.incrementAndGet();
          row = new JournalRow(q.id(), w.item().sha(), w.config().key(), w.config().model(),
              w.config().params(), RowStatus.CALL_FAILED, Double.NaN, describe(e), Double.NaN,
              -1, -1, judgeName, 0.0, e.attempts().size(), 0, "");
          record(row, journal, 0.0);
          return;
        }
        calls.incrementAndGet();
        double cost = r.costUsd();
        row = grade(w, r.text(), r.completion().attributes(), cost,
            r.usage().inputTokens(), r.usage().outputTokens(), r.attempts().size(),
            r.latency().toMillis());
        if (Double.isNaN(cost) && b.budgetUsd != null) {
          // The backend reported no usage: count the estimate against the budget.
          record(row, journal, estimateUsd(w));
          return;
        }
      }
      record(row, journal, 0.0);
    } finally {
      limiter.release();
    }
  }

  private JournalRow grade(Work w, String response, Map<String, String> attributes,
      double cost, long in, long outTokens, int attempts, long latencyMs) {
    CollectQuery q = w.item().query();
    RowStatus status;
    double score = Double.NaN;
    String reason;
    double judgeCost;
    try {
      Verdict v = judge.grade(new JudgeRequest(q.id(), q.task(), q.query(), q.answer(),
          response, attributes));
      judgeCost = v.costUsd();
      reason = v.reason();
      if (v.isGraded()) {
        status = RowStatus.GRADED;
        score = v.score().getAsDouble();
      } else {
        status = RowStatus.UNGRADED;
      }
    } catch (RuntimeException e) {
      status = RowStatus.JUDGE_FAILED;
      reason = "judge " + judgeName + " failed: " + describe(e);
      judgeCost = 0.0;
    }
    return new JournalRow(q.id(), w.item().sha(), w.config().key(), w.config().model(),
        w.config().params(), status, score, reason, cost, in, outTokens, judgeName, judgeCost,
        attempts, latencyMs, response);
  }

  /** Appends a row, then counts it; {@code extraSpent} is money the row does not show. */
  private void record(JournalRow row, Journal journal, double extraSpent) {
    journal.append(row);
    CollectProgress p;
    synchronized (this) {
      allRows.add(row);
      latest.put(row.pairKey(), row);
      spent += row.spentUsd() + (Double.isNaN(extraSpent) ? 0 : extraSpent);
      done++;
      if (row.status() == RowStatus.CALL_FAILED || row.status() == RowStatus.JUDGE_FAILED) {
        failedCount++;
      } else if (row.status() == RowStatus.UNGRADED) {
        ungradedCount++;
      }
      p = new CollectProgress(done, total, failedCount, ungradedCount, spent,
          b.budgetUsd == null ? Double.NaN : b.budgetUsd);
    }
    b.listener.progress(p);
  }

  /** One line: the last attempt's outcome and detail for a failed call, else the message. */
  static String describe(Throwable e) {
    if (e instanceof RoutingCallException && !((RoutingCallException) e).attempts().isEmpty()) {
      List<Attempt> as = ((RoutingCallException) e).attempts();
      Attempt last = as.get(as.size() - 1);
      return oneLine(last.outcome() + (last.status() != 0 ? " (HTTP " + last.status() + ")" : "")
          + " after " + as.size() + " attempt" + (as.size() == 1 ? "" : "s")
          + (last.detail().isEmpty() ? "" : ": " + last.detail()));
    }
    String m = e.getMessage();
    return oneLine(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
  }

  private static String oneLine(String s) {
    String t = s.strip().replaceAll("\\s*\\R\\s*", "; ");
    return t.length() <= 500 ? t : t.substring(0, 497) + "...";
  }

  /** Fails when done pairs were graded by another judge than this run's. */
  private synchronized void checkJudge() {
    Map<String, Integer> others = new LinkedHashMap<>();
    for (JournalRow r : latest.values()) {
      if (r.status().done() && !r.judge().equals(judgeName)) {
        others.merge(r.judge(), 1, Integer::sum);
      }
    }
    if (!others.isEmpty()) {
      throw new ConfigurationException(out.resolve(Journal.FILE) + " holds answers graded by"
          + " another judge " + others + " than this run's '" + judgeName + "'; one log mixes"
          + " no two judges' scales: collect into a new --out folder, or rerun with the judge"
          + " the folder was collected with");
    }
  }

  /** The queries with their splits, fingerprints and sampled configurations. */
  private List<Compaction.Item> items() {
    List<Compaction.Item> out = new ArrayList<>(queries.size());
    List<Configuration> all = plan.configurations;
    for (CollectQuery q : queries) {
      Split split = q.split().orElseGet(() -> splits.of(q.id()));
      List<Configuration> configs = all;
      if (b.sample > 0 && b.sample < all.size()) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          idx.add(i);
        }
        Collections.shuffle(idx, new Random(b.seed ^ Hashing.sha256Long("haps-sample:"
            + q.id())));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, b.sample));
        Collections.sort(chosen);
        configs = new ArrayList<>();
        for (int i : chosen) {
          configs.add(all.get(i));
        }
      }
      out.add(new Compaction.Item(q, split, Hashing.sha256Hex(q.query()).substring(0, 16),
          List.copyOf(configs)));
    }
    return out;
  }

  /** The last row per pair whose query text is unchanged. */
  private static Map<String, JournalRow> lastRows(List<JournalRow> rows,
      List<Compaction.Item> items) {
    Map<String, String> sha = new HashMap<>();
    items.forEach(it -> sha.put(it.query().id(), it.sha()));
    Map<String, JournalRow> last = new HashMap<>();
    int stale = 0;
    for (JournalRow r : rows) {
      String s = sha.get(r.queryId());
      if (s != null && !s.equals(r.querySha())) {
        stale++;
        continue;
      }
      last.put(r.pairKey(), r);
    }
    if (stale > 0) {
      LOG.warn("collect: {} journal rows answer an earlier text of their query id; they are"
          + " kept in the journal but not used, and those pairs are collected again", stale);
    }
    return last;
  }

  private static List<Work> pending(List<Compaction.Item> items, Map<String, JournalRow> last) {
    List<Work> work = new ArrayList<>();
    for (Compaction.Item it : items) {
      for (Configuration c : it.configurations()) {
        JournalRow r = last.get(JournalRow.pairKey(it.query().id(), c.key()));
        if (r != null && r.status().done()) {
          continue;
        }
        boolean regrade = r != null && r.status() == RowStatus.JUDGE_FAILED
            && !r.response().isEmpty();
        work.add(new Work(it, c, regrade ? r : null));
      }
    }
    return work;
  }

  /**
   * Asks a running {@link #run()} to stop: no new call starts; calls in flight finish (and are
   * recorded) within the stop grace, then are abandoned; the log is written from what was
   * recorded. Thread-safe and idempotent; a shutdown hook may call it.
   */
  public void stop() {
    if (!stopping) {
      stopAt = System.nanoTime();
      stopping = true;
    }
  }

  /** Closes the providers, the routing clients and the judge; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> all = new ArrayList<>();
    all.add(judge);
    all.add(judgeClients);
    all.add(client);
    all.addAll(providers.values());
    Closing.closeAll("the collector", all);
  }

  @Override
  public String toString() {
    return "Collector{" + benchmark + ", " + queries.size() + " queries, "
        + plan.configurations.size() + " configurations, judge " + judgeName + ", out " + out
        + "}";
  }

  /**
   * Configures a {@link Collector}. {@link #build()} reads the configuration and the queries,
   * creates the providers and the judge, and checks everything (every parameter against its
   * provider, prices when there is a budget) before any call. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path config;
    private Path queriesFile;
    private List<CollectQuery> queryList;
    private Path output;
    private JudgeConfig judge;
    private Double budgetUsd;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int sample;
    private long seed = DEFAULT_SEED;
    private double trainShare = DEFAULT_TRAIN_SHARE;
    private double validShare = DEFAULT_VALID_SHARE;
    private String defaultTask = QueryFile.DEFAULT_TASK;
    private String benchmark;
    private long outputTokens = DEFAULT_OUTPUT_TOKENS;
    private CollectListener listener = CollectListener.NONE;
    private UnaryOperator<String> environment = System::getenv;
    private boolean fsync = true;
    private Duration stopGrace = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * The collect configuration file (required): providers, candidates with their parameter
     * grids or configurations, the judge, policies and rate limits (docs/collect.md).
     *
     * @param file the JSON file
     * @return this builder
     */
    public Builder config(Path file) {
      this.config = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The queries file: JSON lines or plain text ({@link QueryFile}).
     *
     * @param file the file
     * @return this builder
     */
    public Builder queries(Path file) {
      this.queriesFile = Objects.requireNonNull(file, "file");
      this.queryList = null;
      return this;
    }

    /**
     * The queries, given in code.
     *
     * @param queries the queries, with distinct ids
     * @return this builder
     */
    public Builder queries(List<CollectQuery> queries) {
      this.queryList = List.copyOf(queries);
      this.queriesFile = null;
      return this;
    }

    /**
     * The outcome-log folder (required): {@code candidates.json}, {@code outcomes.jsonl},
     * {@code summary.json} and the journal go there. Rerunning into the same folder resumes.
     *
     * @param dir the folder (created if missing)
     * @return this builder
     */
    public Builder output(Path dir) {
      this.output = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The judge, instead of the configuration file's {@code "judge"}.
     *
     * @param judge the judge type and settings
     * @return this builder
     */
    public Builder judge(JudgeConfig judge) {
      this.judge = Objects.requireNonNull(judge, "judge");
      return this;
    }

    /**
     * Stops starting calls once this much money is spent (answers and judging, earlier runs
     * into the folder included). Default: no budget.
     *
     * @param usd the budget, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder budgetUsd(double usd) {
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new IllegalArgumentException("budget must be a positive amount of USD, got "
            + usd);
      }
      this.budgetUsd = usd;
      return this;
    }

    /**
     * Calls at once over all providers (default {@value Collector#DEFAULT_CONCURRENCY}).
     *
     * @param n from 1 to 256
     * @return this builder
     * @throws IllegalArgumentException if outside [1, 256]
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 256) {
        throw new IllegalArgumentException("concurrency must be in [1, 256], got " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * Runs only this many configurations per query, drawn per query from a seed and the query
     * id (the same draw on every rerun). Default: every configuration.
     *
     * @param configurationsPerQuery at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder sample(int configurationsPerQuery) {
      if (configurationsPerQuery < 1) {
        throw new IllegalArgumentException("sample must be at least 1 configuration per query,"
            + " got " + configurationsPerQuery);
      }
      this.sample = configurationsPerQuery;
      return this;
    }

    /**
     * The seed of the per-query sample (default {@value Collector#DEFAULT_SEED}).
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The shares of train and valid among queries whose file assigns no split (test gets the
     * rest); a query's split comes from a hash of its id. Default 0.6 and 0.2.
     *
     * @param train in (0, 1)
     * @param valid in [0, 1 - train]
     * @return this builder
     * @throws IllegalArgumentException if the shares do not fit
     */
    public Builder splitShares(double train, double valid) {
      new Splits(train, valid);
      this.trainShare = train;
      this.validShare = valid;
      return this;
    }

    /**
     * The task of queries whose file gives none (default {@code default}).
     *
     * @param task the task name
     * @return this builder
     */
    public Builder defaultTask(String task) {
      if (task == null || task.isBlank()) {
        throw new IllegalArgumentException("the default task must not be blank");
      }
      this.defaultTask = task;
      return this;
    }

    /**
     * The benchmark name written in {@code candidates.json}, instead of the configuration's
     * {@code "benchmark"} or the output folder's name.
     *
     * @param name the name
     * @return this builder
     */
    public Builder benchmark(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("the benchmark name must not be blank");
      }
      this.benchmark = name;
      return this;
    }

    /**
     * Output tokens assumed per call in the cost estimate when a configuration sets no
     * {@code max_tokens} (default {@value Collector#DEFAULT_OUTPUT_TOKENS}).
     *
     * @param tokens at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder estimateOutputTokens(long tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("estimated output tokens must be at least 1, got "
            + tokens);
      }
      this.outputTokens = tokens;
      return this;
    }

    /**
     * Receives progress after each pair.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(CollectListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Resolves {@code ${env:NAME}} in provider settings against this environment instead of
     * the process's (for tests and embedding).
     *
     * @param environment variable name to value, {@code null} when unset
     * @return this builder
     */
    public Builder environment(UnaryOperator<String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Whether each journal line is forced to the storage device (default {@code true}); off
     * trades durability on power loss for speed, a process crash still loses nothing recorded.
     *
     * @param fsync whether to force
     * @return this builder
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * How long {@link Collector#stop()} lets calls in flight finish before abandoning them
     * (default 30 s).
     *
     * @param grace not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder stopGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("stop grace must not be negative, got " + grace);
      }
      this.stopGrace = grace;
      return this;
    }

    /**
     * Reads the configuration and queries, creates the providers, routing client and judge,
     * and checks the whole setup; nothing is called yet.
     *
     * @return the collector, owning its providers
     * @throws ConfigurationException naming the file, key and value of any problem: a
     *     malformed file, an unknown provider or judge type, a parameter its provider does not
     *     declare, a value out of range, a missing price when a budget is set
     * @throws IllegalStateException if the configuration, queries or output is missing
     */
    public Collector build() {
      if (config == null || output == null || (queriesFile == null && queryList == null)) {
        throw new IllegalStateException("a collector needs config(file), queries(...) and"
            + " output(dir)");
      }
      CollectConfig cfg = CollectConfig.read(config);
      JudgeConfig judgeConfig = judge != null ? judge : cfg.judge.orElseThrow(() ->
          new ConfigurationException("no judge: name one in " + config + " (\"judge\": {\"type\":"
              + " \"exact\"}) or with --judge; installed: " + JudgeRegistry.load().types()));
      List<CollectQuery> qs = queryList != null ? queryList
          : QueryFile.read(queriesFile, defaultTask);
      Map<String, LlmProvider> providers = new LinkedHashMap<>();
      List<AutoCloseable> created = new ArrayList<>();
      try {
        ProviderRegistry registry = ProviderRegistry.load();
        Map<String, ProviderConfig> settings = new LinkedHashMap<>();
        for (Map.Entry<String, CollectConfig.ProviderSpec> e : cfg.providers.entrySet()) {
          ProviderConfig pc = ProviderConfig.of(e.getKey(), e.getValue().settings(), environment);
          LlmProvider p;
          try {
            p = registry.create(e.getValue().type(), pc);
          } catch (ConfigurationException ex) {
            throw new ConfigurationException("collect config " + config + ": "
                + ex.getMessage(), ex);
          }
          created.add(p);
          providers.put(e.getKey(), p);
          settings.put(e.getKey(), pc);
        }
        Plan plan = Plan.build(cfg, providers, settings);
        if (budgetUsd != null) {
          List<String> unpriced = new ArrayList<>();
          for (Plan.Candidate c : plan.candidates) {
            if (!c.priced()) {
              unpriced.add(c.id() + " (provider '" + c.providerId() + "', model '"
                  + c.backendModel() + "')");
            }
          }
          judgeModelPrice(judgeConfig, providers, settings).ifPresent(unpriced::add);
          if (!unpriced.isEmpty()) {
            throw new ConfigurationException("a budget needs a price for every model called,"
                + " but these have none: " + unpriced + "; set price.<model>.input and"
                + " price.<model>.output (USD per million tokens) in the provider's settings of"
                + " " + config + ", or collect without a budget");
          }
        }
        String name = benchmark != null ? benchmark : cfg.benchmark.orElse(
            output.toAbsolutePath().getFileName() == null ? "collected"
                : output.toAbsolutePath().getFileName().toString());
        Consumer<RoutingClient.Builder> policies = cb -> {
          cfg.retry.ifPresent(cb::retry);
          cfg.circuitBreaker.ifPresent(cb::circuitBreaker);
          cfg.deadline.ifPresent(cb::deadline);
          cfg.systemPrompts.forEach((param, prompts) ->
              cb.transformer(param, RequestTransformers.systemPrompt(prompts)));
        };
        RoutingClient.Builder cb = RoutingClient.builder().router(PlanRouter.of(name, plan));
        providers.forEach(cb::provider);
        for (Plan.Candidate c : plan.candidates) {
          cb.candidate(c.id(), c.providerId(), c.backendModel());
        }
        policies.accept(cb);
        RoutingClient client;
        try {
          client = cb.build();
        } catch (ConfigurationException | IllegalStateException | IllegalArgumentException e) {
          throw new ConfigurationException("collect config " + config + ": " + e.getMessage(),
              e);
        }
        created.add(client);
        JudgeClients judgeClients = new JudgeClients(Collections.unmodifiableMap(providers),
            policies);
        created.add(judgeClients);
        Judge j;
        try {
          j = JudgeRegistry.load().create(judgeConfig, judgeClients);
        } catch (ConfigurationException e) {
          throw new ConfigurationException((judge != null ? "--judge " + judgeConfig
              : "collect config " + config + ": \"judge\"") + ": " + e.getMessage(), e);
        }
        return new Collector(this, name, cfg, Collections.unmodifiableMap(providers), plan, qs,
            client, judgeClients, j, judgeConfig);
      } catch (RuntimeException e) {
        for (AutoCloseable c : created) {
          try {
            c.close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw e;
      }
    }

    /** The LLM judge's model when it has no price, by its provider and model settings. */
    private static Optional<String> judgeModelPrice(JudgeConfig j,
        Map<String, LlmProvider> providers, Map<String, ProviderConfig> settings) {
      Optional<String> p = j.get("provider");
      Optional<String> m = j.get("model");
      if (p.isEmpty() || m.isEmpty() || !providers.containsKey(p.get())) {
        return Optional.empty();
      }
      boolean priced = dev.haps.spi.PriceTable.from(settings.get(p.get())).price(m.get())
          .isPresent()
          || providers.get(p.get()).models().stream().anyMatch(mi -> mi.id().equals(m.get())
              && !Double.isNaN(mi.inputPricePerMtok()) && !Double.isNaN(mi.outputPricePerMtok()));
      return priced ? Optional.empty()
          : Optional.of("judge model '" + m.get() + "' (provider '" + p.get() + "')");
    }
  }
}
