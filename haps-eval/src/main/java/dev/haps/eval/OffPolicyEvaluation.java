package dev.haps.eval;

import dev.haps.api.Exploration;
import dev.haps.data.FeedbackLog;
import dev.haps.data.OutcomeLog;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.TextNormalizer;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.embed.EmbeddingStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Estimates how a candidate router bundle would do on logged production traffic, before it
 * serves: off-policy evaluation with IPS, self-normalised IPS and doubly robust estimators (the
 * candidate's own value heads as the direct model), 95 % bootstrap intervals, the effective
 * sample size and support warnings. Formulas in {@code docs/learning-loop.md}.
 *
 * <pre>{@code
 * OffPolicyReport r = OffPolicyEvaluation.builder()
 *     .log(Path.of("feedback"))                 // calls.jsonl + scores.jsonl, joined
 *     .candidate(Path.of("bundles/candidate"))
 *     .build()
 *     .run();
 * System.out.println(r.dr().reward());          // value, 95 % interval
 * }</pre>
 *
 * <p>The reward of a row is {@code score − λ(w)·cost/costScale} at the row's logged cost weight
 * {@code w}, with the candidate's cost scale and λ range unless {@link Builder#tradeoff} sets
 * another. Rows answered by a fallback are left out (their propensity is unknown).
 *
 * @since 0.1.0
 */
public final class OffPolicyEvaluation {

  private final Builder b;

  private OffPolicyEvaluation(Builder b) {
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

  /**
   * Runs the evaluation.
   *
   * @return the report
   * @throws IllegalArgumentException if the log holds no bandit row
   * @throws dev.haps.data.OutcomeLogException if the log cannot be read
   * @throws dev.haps.api.error.BundleException if the candidate cannot be loaded
   */
  public OffPolicyReport run() {
    OutcomeLog log = b.log != null ? b.log
        : FeedbackLog.load(b.logDir, b.join, Instant.now()).log();
    List<LoggedRow> rows = LoggedRow.of(log);
    RouterBundle bundle = RouterBundle.load(b.candidate);
    Encoders encoders = new Encoders(b.encoder, b.cacheDir != null ? b.cacheDir
        : EmbeddingStore.defaultCacheDir());
    try {
      StoreEncoder enc = encoders.like(bundle.encoder(), bundle.encoderTop());
      List<String> texts = new ArrayList<>();
      for (LoggedRow r : rows) {
        texts.add(TextNormalizer.normalize(r.text()));
      }
      float[][] emb = texts.isEmpty() ? new float[0][] : enc.store().embed(texts);
      Map<String, float[]> byText = new HashMap<>();
      for (int i = 0; i < texts.size(); i++) {
        byText.put(texts.get(i), emb[i]);
      }
      return evaluate(b.candidate.toString(), bundle, b.exploration, rows, emb,
          new FixedEncoder(bundle.encoder(), byText), b.tradeoff, b.resamples, b.seed);
    } finally {
      encoders.close();
    }
  }

  /** The evaluation on rows whose embeddings are known (the simulation's path). */
  static OffPolicyReport evaluate(String name, RouterBundle bundle, Exploration target,
      List<LoggedRow> rows, float[][] emb, FixedEncoder encoder, CostTradeoff tradeoff,
      int resamples, long seed) {
    CostTradeoff t = tradeoff != null ? tradeoff : CostTradeoff.withCostScale(bundle.costScale());
    double[] w = new double[rows.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = rows.get(i).costWeight();
    }
    try (BundlePolicy policy = new BundlePolicy(bundle, target, encoder)) {
      BundlePolicy.Row[] scored = rows.isEmpty() ? new BundlePolicy.Row[0]
          : policy.rows(emb, w, t);
      return OffPolicyEstimator.estimate(name, rows, scored, t, policy.hasDirectModel(),
          resamples, seed);
    }
  }

  /**
   * What to evaluate on what. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path logDir;
    private OutcomeLog log;
    private FeedbackLog.JoinPolicy join = FeedbackLog.JoinPolicy.defaults();
    private Path candidate;
    private Exploration exploration = Exploration.none();
    private CostTradeoff tradeoff;
    private QueryEncoder encoder;
    private Path cacheDir;
    private int resamples = OffPolicyEstimator.RESAMPLES;
    private long seed = 42;

    private Builder() {}

    /**
     * The feedback log folder ({@link FeedbackLog}).
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder log(Path dir) {
      this.logDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * A log already in memory (its bandit rows are used).
     *
     * @param log the log
     * @return this builder
     */
    public Builder log(OutcomeLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * How calls and scores are joined (default {@link FeedbackLog.JoinPolicy#defaults()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder join(FeedbackLog.JoinPolicy policy) {
      this.join = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The candidate bundle.
     *
     * @param bundle a bundle directory or zip
     * @return this builder
     */
    public Builder candidate(Path bundle) {
      this.candidate = Objects.requireNonNull(bundle, "bundle");
      return this;
    }

    /**
     * The exploration the candidate would serve with (default none: its greedy policy).
     *
     * @param exploration the exploration
     * @return this builder
     */
    public Builder exploration(Exploration exploration) {
      this.exploration = Objects.requireNonNull(exploration, "exploration");
      return this;
    }

    /**
     * The reward's trade-off (default: the candidate's cost scale and λ range).
     *
     * @param tradeoff the trade-off
     * @return this builder
     */
    public Builder tradeoff(CostTradeoff tradeoff) {
      this.tradeoff = Objects.requireNonNull(tradeoff, "tradeoff");
      return this;
    }

    /**
     * The query encoder (default: the bundle's, built from its manifest).
     *
     * @param encoder the encoder
     * @return this builder
     */
    public Builder encoder(QueryEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * The embedding cache root (default {@link EmbeddingStore#defaultCacheDir()}).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder cacheDir(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Bootstrap resamples (default 1,000) and their seed (default 42).
     *
     * @param resamples at least 1
     * @param seed the seed
     * @return this builder
     */
    public Builder bootstrap(int resamples, long seed) {
      if (resamples < 1) {
        throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
      }
      this.resamples = resamples;
      this.seed = seed;
      return this;
    }

    /**
     * Builds the evaluation.
     *
     * @return the evaluation
     * @throws IllegalStateException if the log or the candidate is missing
     */
    public OffPolicyEvaluation build() {
      if ((logDir == null && log == null) || candidate == null) {
        throw new IllegalStateException("set log(dir or log) and candidate(bundle) before"
            + " build()");
      }
      return new OffPolicyEvaluation(this);
    }
  }
}
