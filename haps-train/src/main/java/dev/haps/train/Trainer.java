package dev.haps.train;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import dev.haps.spi.Truncation;
import dev.haps.train.embed.EmbeddingStore;
import dev.haps.train.env.Configuration;
import dev.haps.train.env.OfflineEnvironment;
import dev.haps.train.export.BundleExporter;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.ConfigResolver;
import dev.haps.train.model.Engine;
import dev.haps.train.model.EngineOptions;
import dev.haps.train.model.HeadKind;
import dev.haps.train.model.SplitTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.haps.data.tradeoff.CostTradeoff;

/**
 * Trains a HAPS router from an outcome log and, optionally, writes it as a router bundle.
 *
 * <pre>{@code
 * TrainResult r = Trainer.builder()
 *     .data(Path.of("shared/data/concise-cot"))
 *     .output(Path.of("bundles/concise-cot"))
 *     .seed(42)
 *     .listener(TrainingListener.console())
 *     .build()
 *     .train();
 * System.out.println(r.validMetric());
 * }</pre>
 *
 * <p><b>What it does.</b> Loads and validates the log; embeds the {@code train} and {@code valid}
 * queries with the runtime's encoder (cached on disk, see {@link EmbeddingStore}); replays the log
 * as an {@link OfflineEnvironment}; trains an ensemble of HAPS networks — a shared trunk over
 * [embedding, query features, cost weight], a high-level head over candidate models and one
 * parameter generator per candidate reading the trunk's representation — with a supervised
 * warm-up followed by policy gradient; selects checkpoints and stops early on the {@code valid}
 * split; never reads {@code test}. See {@code docs/training.md} for the recipe and the numbers
 * behind the defaults.
 *
 * <p><b>Determinism.</b> The same log, options, seed and machine give the same weights and the
 * same bundle bytes, whatever the thread count.
 *
 * <p>Builders are not thread-safe; each option can be set once. A built {@code Trainer} is
 * immutable and {@link #train()} may be called again (it repeats the run).
 *
 * @since 0.1.0
 */
public final class Trainer {

  /** Cost weights in the validation sweep: the evaluation's grid. */
  static final int GRID = 21;

  // The defaults that front ends (haps train's help) print; one place, so they cannot drift.

  /** Default {@link Builder#seed(long)}. */
  public static final long DEFAULT_SEED = 42;

  /** Default {@link Builder#ensemble(int)}: one network (it beat four on valid). */
  public static final int DEFAULT_ENSEMBLE = 1;

  /** Default {@link Builder#epochs(int)}. */
  public static final int DEFAULT_EPOCHS = 60;

  /** Default {@link Builder#rlSteps(int)}. */
  public static final int DEFAULT_RL_STEPS = 300;

  /** Default {@link Builder#hiddenSizes(int...)}: one trunk layer of this width. */
  public static final int DEFAULT_HIDDEN = 256;

  /**
   * Default {@link Builder#maxTokens(int)}, special tokens included: the encoder's own default, so
   * an encoder built with defaults and passed to {@link Builder#encoder} embeds alike.
   */
  public static final int DEFAULT_MAX_TOKENS = OnnxQueryEncoder.DEFAULT_MAX_TOKENS;

  private final Builder b;

  private Trainer(Builder b) {
    this.b = b;
  }

  /**
   * A new builder with every option at its default.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the training (and the export, when an output was set).
   *
   * @return the result
   * @throws dev.haps.data.OutcomeLogException if the log cannot be read or is invalid
   * @throws dev.haps.api.error.ConfigurationException if the encoder cannot be loaded
   * @throws IllegalArgumentException if the log cannot be trained on (no train or valid query,
   *     a candidate without train outcomes)
   */
  public TrainResult train() {
    long t0 = System.nanoTime();
    TrainingListener listener = b.listener;
    if (b.log == null) {
      listener.status("loading " + b.data); // a log given in memory was loaded by the caller
    }
    OutcomeLog log = b.log != null ? b.log : OutcomeLog.load(b.data);
    List<QueryRecord> trainRecs = log.records(Split.TRAIN);
    List<QueryRecord> validRecs = log.records(Split.VALID);
    if (trainRecs.isEmpty() || validRecs.isEmpty()) {
      throw new IllegalArgumentException(missingSplit(log, trainRecs.size(), validRecs.size()));
    }
    costNotice(log, listener);
    double costScale = OfflineEnvironment.costScale(log);
    CostTradeoff tradeoff = CostTradeoff.withCostScale(costScale);
    OfflineEnvironment env = OfflineEnvironment.of(log, tradeoff, b.failureAugmentation);
    List<Configuration> configs = chooseConfigurations(env);

    // Embeddings (train + valid only: test is never read).
    long te = System.nanoTime();
    List<String> texts = new ArrayList<>();
    for (QueryRecord q : trainRecs) {
      texts.add(q.query());
    }
    for (QueryRecord q : validRecs) {
      texts.add(q.query());
    }
    float[][] emb;
    dev.haps.spi.EncoderInfo encoderInfo;
    QueryEncoder enc = b.encoder != null ? b.encoder : OnnxQueryEncoder.builder().defaultModel()
        .maxTokens(b.maxTokens).truncation(b.truncation).build();
    try {
      EmbeddingStore store = EmbeddingStore.open(enc, b.cacheDir);
      encoderInfo = enc.info();
      emb = store.embed(texts, listener::embedding);
    } finally {
      if (b.encoder == null) {
        enc.close();
      }
    }
    double embedSeconds = (System.nanoTime() - te) / 1e9;

    List<String> featureNames = b.features ? TextFeatures.NAMES : List.of();
    int e = encoderInfo.dimension();
    int f = featureNames.size();
    SplitTable train = table(env, trainRecs, configs, emb, 0, e, f);
    SplitTable valid = table(env, validRecs, configs, emb, trainRecs.size(), e, f);

    List<CandidateOutputs> cands = new ArrayList<>();
    int[] cfgCand = new int[configs.size()];
    List<ParameterValues> cfgParams = new ArrayList<>();
    for (int k = 0; k < log.candidates().models().size(); k++) {
      var m = log.candidates().models().get(k);
      List<ParameterValues> own = new ArrayList<>();
      for (Configuration c : configs) {
        if (c.candidate() == k) {
          own.add(c.params());
        }
      }
      cands.add(new CandidateOutputs(m.id(), m.parameters(), own));
    }
    for (int i = 0; i < configs.size(); i++) {
      cfgCand[i] = configs.get(i).candidate();
      cfgParams.add(configs.get(i).params());
    }
    ConfigResolver resolver = resolver(env, configs);

    EngineOptions opts = engineOptions();
    // The yardstick (fixed hull, oracle) always covers every configuration of the log, so that
    // ablations that restrict the router's choices are measured on the same scale.
    SplitTable validAll = configs.size() == env.configurations().size() ? valid
        : table(env, validRecs, env.configurations(), emb, trainRecs.size(), e, f);
    ValidAiq aiq = ValidAiq.of(validAll, tradeoff, CostTradeoff.grid(GRID));
    // Warm-up of value heads picks checkpoints by validation loss; say so instead of "AIQ".
    boolean lossWarmup = b.selectByLoss && b.head == HeadKind.VALUE;
    Engine engine = new Engine(opts, train, valid, cands, cfgCand, cfgParams, resolver, tradeoff,
        e, f, (phase, member, members, step, steps, m, best) -> {
          if (lossWarmup && phase.equals("warmup")) {
            listener.training(phase, member, members, step, steps, "valid loss", -m, -best);
          } else {
            listener.training(phase, member, members, step, steps, "valid AIQ", m, best);
          }
        }, aiq);
    long tt = System.nanoTime();
    Engine.Result r = engine.run();
    double trainSeconds = (System.nanoTime() - tt) / 1e9;

    TrainResult result = new TrainResult(Optional.empty(), r.model(), r.curve(), r.metric(),
        aiq.gapClosed(r.curve()), r.curve().meanOfRewards(), log.benchmark(), log.sha256(), b.seed, encoderInfo, featureNames, configs,
        hyperParameters(), r.members(), embedSeconds, trainSeconds,
        (System.nanoTime() - t0) / 1e9);
    if (b.output != null) {
      listener.status("writing " + b.output);
      BundleExporter.Builder ex = BundleExporter.builder().log(log).result(result);
      if (b.createdAt != null) {
        ex.createdAt(b.createdAt);
      }
      ex.build().write(b.output);
      result = result.withBundle(b.output, (System.nanoTime() - t0) / 1e9);
    }
    listener.finished(result);
    return result;
  }

  /** Which split is missing, and what to mark; feedback logs need a valid split added. */
  private static String missingSplit(OutcomeLog log, int train, int valid) {
    String what = train == 0 && valid == 0 ? "no train and no valid query"
        : train == 0 ? "no train query (and " + valid + " valid)"
        : "no valid query (and " + train + " train)";
    String fix = train == 0 && valid == 0
        ? "mark most queries \"split\": \"train\" and about one in five \"split\": \"valid\""
        : train == 0 ? "mark most queries \"split\": \"train\""
        : "mark about one in five queries \"split\": \"valid\" (checkpoints are chosen on"
            + " them)";
    return "outcome log " + log.benchmark() + " has " + what + " (" + log.records().size()
        + " queries in all, " + log.records(Split.TEST).size() + " test, which training never"
        + " reads); training needs both splits: " + fix + " (docs/training.md, 'Splits')";
  }

  /** Says what the log's costs are; with none at all the router is trained cost-blind. */
  private static void costNotice(OutcomeLog log, TrainingListener listener) {
    dev.haps.data.CostCoverage c = log.costs();
    if (c.none()) {
      listener.status("notice: no outcome of " + log.benchmark() + " has a cost (cost_usd is"
          + " null, and no price_per_mtok with token counts to derive one): training"
          + " cost-blind; every cost weight routes for quality alone and the bundle states no"
          + " expected cost");
    } else if (c.unknown() > 0) {
      listener.status("notice: " + c.unknown() + " of " + (c.recorded() + c.derived()
          + c.unknown()) + " outcomes of " + log.benchmark() + " have no cost (cost_usd null,"
          + " nothing to derive one from); they count as $0");
    }
    if (c.derived() > 0) {
      listener.status("costs: " + c.derived() + " outcomes priced from price_per_mtok and their"
          + " token counts (cost_usd was null)");
    }
  }

  private List<Configuration> chooseConfigurations(OfflineEnvironment env) {
    List<Configuration> all = env.configurations();
    if (b.lowLevelRouter) {
      return all;
    }
    // No low-level router: each model runs with its default parameters (snapped to the nearest
    // configuration the train split recorded).
    List<Configuration> out = new ArrayList<>();
    var models = env.log().candidates().models();
    for (int k = 0; k < models.size(); k++) {
      var m = models.get(k);
      int i = env.nearest(m.id(), m.parameters().defaults(), all);
      if (i >= 0) {
        out.add(all.get(i));
      }
    }
    return out;
  }

  private static SplitTable table(OfflineEnvironment env, List<QueryRecord> recs,
      List<Configuration> configs, float[][] emb, int embOffset, int e, int f) {
    int n = recs.size();
    int g = configs.size();
    int base = e + f;
    double[] x = new double[n * base];
    double[] score = new double[n * g];
    double[] cost = new double[n * g];
    boolean[] exact = new boolean[n * g];
    double cs = env.tradeoff().costScale();
    for (int i = 0; i < n; i++) {
      QueryRecord q = recs.get(i);
      float[] v = emb[embOffset + i];
      for (int j = 0; j < e; j++) {
        x[i * base + j] = v[j];
      }
      if (f > 0) {
        float[] fv = TextFeatures.of(q.query());
        for (int j = 0; j < f; j++) {
          x[i * base + e + j] = fv[j];
        }
      }
      for (int c = 0; c < g; c++) {
        Configuration conf = configs.get(c);
        Optional<Outcome> o = env.outcome(q, conf.model(), conf.params());
        if (o.isEmpty()) {
          score[i * g + c] = Double.NaN;
          cost[i * g + c] = Double.NaN;
          continue;
        }
        double cu = o.get().costUsd();
        score[i * g + c] = o.get().score();
        cost[i * g + c] = (Double.isNaN(cu) ? 0 : cu) / cs;
        exact[i * g + c] = env.snap(o.get().model(), o.get().params()).equals(conf.params());
      }
    }
    return new SplitTable(n, base, x, score, cost, exact, g);
  }

  private static ConfigResolver resolver(OfflineEnvironment env, List<Configuration> configs) {
    Map<Configuration, Integer> index = new HashMap<>();
    for (int i = 0; i < configs.size(); i++) {
      index.put(configs.get(i), i);
    }
    return (k, params) -> {
      String model = env.log().candidates().models().get(k).id();
      Integer i = index.get(new Configuration(k, model, env.snap(model, params)));
      if (i != null) {
        return i;
      }
      int near = env.nearest(model, params, configs);
      if (near < 0) {
        throw new IllegalStateException("no configuration of model '" + model + "' to run");
      }
      return near;
    };
  }

  private EngineOptions engineOptions() {
    return new EngineOptions(b.head, b.hidden, b.generatorHidden, b.sharing,
        b.costWeightInput || b.head == HeadKind.POLICY,
        b.ensemble, b.batchSize, b.learningRate, b.weightDecay, b.epochs,
        b.warmupOnly ? 0 : b.rlSteps, b.rlLearningRate, b.entropyBonus, b.auxWeight,
        b.validateEvery, b.patience, b.costLossWeight, b.policyLossWeight, b.temperature,
        b.failureAugmentation, b.zeroCostWeightShare, b.selectByLoss, GRID, b.seed, b.threads);
  }

  private Map<String, Object> hyperParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("head", b.head.name().toLowerCase(java.util.Locale.ROOT));
    m.put("hiddenSizes", Arrays.stream(b.hidden).boxed().toList());
    m.put("generatorHidden", b.generatorHidden);
    m.put("parameterSharing", b.sharing);
    m.put("lowLevelRouter", b.lowLevelRouter);
    m.put("warmupOnly", b.warmupOnly);
    m.put("failureAugmentation", b.failureAugmentation);
    m.put("features", b.features);
    m.put("costWeightInput", b.costWeightInput);
    m.put("ensemble", b.ensemble);
    m.put("batchSize", b.batchSize);
    m.put("learningRate", b.learningRate);
    m.put("weightDecay", b.weightDecay);
    m.put("epochs", b.epochs);
    m.put("rlSteps", b.warmupOnly ? 0 : b.rlSteps);
    m.put("rlLearningRate", b.rlLearningRate);
    m.put("entropyBonus", b.entropyBonus);
    m.put("auxWeight", b.auxWeight);
    m.put("validateEvery", b.validateEvery);
    m.put("patience", b.patience);
    m.put("costLossWeight", b.costLossWeight);
    m.put("policyLossWeight", b.policyLossWeight);
    m.put("temperature", b.temperature);
    m.put("zeroCostWeightShare", b.zeroCostWeightShare);
    m.put("selectByLoss", b.selectByLoss);
    m.put("maxTokens", b.encoder != null ? b.encoder.info().maxTokens() : b.maxTokens);
    m.put("truncation", (b.encoder != null ? b.encoder.info().truncation() : b.truncation)
        .manifestName());
    return m;
  }

  /**
   * Options of a {@link Trainer}. Each can be set once; {@link #build()} checks that a data
   * source was given.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private Path data;
    private OutcomeLog log;
    private Path output;
    private java.time.Instant createdAt;
    private long seed = DEFAULT_SEED;
    private QueryEncoder encoder;
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private Truncation truncation = OnnxQueryEncoder.DEFAULT_TRUNCATION;
    private Path cacheDir;
    private HeadKind head = HeadKind.VALUE;
    private int[] hidden = {DEFAULT_HIDDEN};
    private int generatorHidden = 0;
    private int ensemble = DEFAULT_ENSEMBLE;
    private int batchSize = 64;
    private double learningRate = 1e-3;
    private double weightDecay = 1e-4;
    private int epochs = DEFAULT_EPOCHS;
    private int rlSteps = DEFAULT_RL_STEPS;
    private double rlLearningRate = 2e-4;
    private double entropyBonus = 0.01;
    private double auxWeight = 1.0;
    private int validateEvery = 25;
    private int patience = 8;
    private double costLossWeight = 1.0;
    private double policyLossWeight = 0.0;
    private double temperature = 0.1;
    private double zeroCostWeightShare = 0.1;
    private boolean features = false;
    private boolean selectByLoss = true;
    private boolean costWeightInput = false;
    private boolean sharing = true;
    private boolean lowLevelRouter = true;
    private boolean warmupOnly = false;
    private boolean failureAugmentation = false;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private TrainingListener listener = TrainingListener.NONE;

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + v);
      }
      return v;
    }

    private static int nonNegative(String name, int v) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be at least 0, got " + v);
      }
      return v;
    }

    private static double nonNegative(String name, double v) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite and at least 0, got " + v);
      }
      return v;
    }

    private static double positive(String name, double v) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
      }
      return v;
    }

    /**
     * The outcome-log directory ({@code candidates.json} + {@code outcomes.jsonl}).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder data(Path dir) {
      once("data");
      this.data = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * An outcome log already in memory (instead of {@link #data(Path)}).
     *
     * @param log the log
     * @return this builder
     */
    public Builder log(OutcomeLog log) {
      once("log");
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Where to write the bundle (a directory: {@code manifest.json} + {@code router.onnx}).
     * Without it, {@link #train()} only returns the model.
     *
     * @param dir the bundle directory (created; existing bundle files are replaced)
     * @return this builder
     */
    public Builder output(Path dir) {
      once("output");
      this.output = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The bundle manifest's {@code createdAt}. Default: when the bundle is written. Set it to
     * get byte-identical bundles from identical runs.
     *
     * @param instant the instant
     * @return this builder
     */
    public Builder createdAt(java.time.Instant instant) {
      once("createdAt");
      this.createdAt = Objects.requireNonNull(instant, "instant");
      return this;
    }

    /**
     * The seed of every random choice (initialisation, minibatches, cost weights, sampling).
     * Default {@value #DEFAULT_SEED}.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      once("seed");
      this.seed = seed;
      return this;
    }

    /**
     * A query encoder to use instead of the default (all-MiniLM-L6-v2 int8 with {@link
     * #maxTokens} and {@link #truncation}). The trainer does not close it.
     *
     * @param encoder the encoder
     * @return this builder
     */
    public Builder encoder(QueryEncoder encoder) {
      once("encoder");
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * Token budget of the default encoder. Default {@value #DEFAULT_MAX_TOKENS}.
     *
     * @param maxTokens at least 4
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      once("maxTokens");
      if (maxTokens < 4) {
        throw new IllegalArgumentException("maxTokens must be at least 4, got " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * How the default encoder cuts long queries. Default {@link Truncation#TAIL}: benchmark
     * prompts often start with the same few-shot examples and end with the actual question.
     *
     * @param truncation the rule
     * @return this builder
     */
    public Builder truncation(Truncation truncation) {
      once("truncation");
      this.truncation = Objects.requireNonNull(truncation, "truncation");
      return this;
    }

    /**
     * The embedding cache root. Default {@link EmbeddingStore#defaultCacheDir()}.
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder cacheDir(Path dir) {
      once("cacheDir");
      this.cacheDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The head kind. Default {@link HeadKind#VALUE}.
     *
     * @param head policy (the paper's heads) or value (structured)
     * @return this builder
     */
    public Builder head(HeadKind head) {
      once("head");
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    /**
     * Trunk hidden sizes (ReLU after each). Default one layer of {@value #DEFAULT_HIDDEN}.
     *
     * @param sizes one or more positive sizes
     * @return this builder
     */
    public Builder hiddenSizes(int... sizes) {
      once("hiddenSizes");
      if (sizes.length == 0) {
        throw new IllegalArgumentException("hiddenSizes needs at least one size");
      }
      for (int s : sizes) {
        positive("hidden size", s);
      }
      this.hidden = sizes.clone();
      return this;
    }

    /**
     * Hidden size of each parameter generator's own layer; 0 makes generators linear readouts
     * of the trunk. Default 0.
     *
     * @param size at least 0
     * @return this builder
     */
    public Builder generatorHidden(int size) {
      once("generatorHidden");
      this.generatorHidden = nonNegative("generatorHidden", size);
      return this;
    }

    /**
     * Networks trained from different seeds and averaged inside the exported graph. Default
     * {@value #DEFAULT_ENSEMBLE}.
     *
     * @param members at least 1
     * @return this builder
     */
    public Builder ensemble(int members) {
      once("ensemble");
      this.ensemble = positive("ensemble", members);
      return this;
    }

    /**
     * Queries per minibatch. Default 64.
     *
     * @param size at least 1
     * @return this builder
     */
    public Builder batchSize(int size) {
      once("batchSize");
      this.batchSize = positive("batchSize", size);
      return this;
    }

    /**
     * Adam learning rate of the warm-up. Default 1e-3.
     *
     * @param lr positive
     * @return this builder
     */
    public Builder learningRate(double lr) {
      once("learningRate");
      this.learningRate = positive("learningRate", lr);
      return this;
    }

    /**
     * Decoupled weight decay on weight matrices. Default 1e-4.
     *
     * @param wd at least 0
     * @return this builder
     */
    public Builder weightDecay(double wd) {
      once("weightDecay");
      this.weightDecay = nonNegative("weightDecay", wd);
      return this;
    }

    /**
     * Maximal warm-up epochs (early stopping usually ends sooner). Default {@value
     * #DEFAULT_EPOCHS}.
     *
     * @param epochs at least 0
     * @return this builder
     */
    public Builder epochs(int epochs) {
      once("epochs");
      this.epochs = nonNegative("epochs", epochs);
      return this;
    }

    /**
     * Policy-gradient steps after the warm-up. Default {@value #DEFAULT_RL_STEPS}.
     *
     * @param steps at least 0
     * @return this builder
     */
    public Builder rlSteps(int steps) {
      once("rlSteps");
      this.rlSteps = nonNegative("rlSteps", steps);
      return this;
    }

    /**
     * Adam learning rate of the policy-gradient phase. Default 2e-4.
     *
     * @param lr positive
     * @return this builder
     */
    public Builder rlLearningRate(double lr) {
      once("rlLearningRate");
      this.rlLearningRate = positive("rlLearningRate", lr);
      return this;
    }

    /**
     * β of the entropy bonus in policy gradient. Default 0.01.
     *
     * @param beta at least 0
     * @return this builder
     */
    public Builder entropyBonus(double beta) {
      once("entropyBonus");
      this.entropyBonus = nonNegative("entropyBonus", beta);
      return this;
    }

    /**
     * Weight of the warm-up loss kept during policy gradient (an anchor against drift).
     * Default 1.
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder auxWeight(double weight) {
      once("auxWeight");
      this.auxWeight = nonNegative("auxWeight", weight);
      return this;
    }

    /**
     * Steps between validations on the {@code valid} split. Default 25.
     *
     * @param steps at least 1
     * @return this builder
     */
    public Builder validateEvery(int steps) {
      once("validateEvery");
      this.validateEvery = positive("validateEvery", steps);
      return this;
    }

    /**
     * Validations without improvement after which a phase stops. Default 8.
     *
     * @param validations at least 1
     * @return this builder
     */
    public Builder patience(int validations) {
      once("patience");
      this.patience = positive("patience", validations);
      return this;
    }

    /**
     * Weight of the log-cost regression of value heads. Default 1.
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder costLossWeight(double weight) {
      once("costLossWeight");
      this.costLossWeight = nonNegative("costLossWeight", weight);
      return this;
    }

    /**
     * Weight of value heads' cross-entropy toward the λ-best configuration. Default 0 (0.5 lost
     * on valid: the router collapsed to the cheapest configuration; see {@code docs/training.md}).
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder policyLossWeight(double weight) {
      once("policyLossWeight");
      this.policyLossWeight = nonNegative("policyLossWeight", weight);
      return this;
    }

    /**
     * τ of value heads: logits are utilities divided by τ. Default 0.1.
     *
     * @param tau positive
     * @return this builder
     */
    public Builder temperature(double tau) {
      once("temperature");
      this.temperature = positive("temperature", tau);
      return this;
    }

    /**
     * Share of training rows whose cost weight is exactly 0 (λ = 0 is a point of the
     * evaluation grid); the other rows draw it uniformly from [0, 1]. Default 0.1.
     *
     * @param share in [0, 1]
     * @return this builder
     */
    public Builder zeroCostWeightShare(double share) {
      once("zeroCostWeightShare");
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("zeroCostWeightShare must be in [0, 1], got "
            + share);
      }
      this.zeroCostWeightShare = share;
      return this;
    }

    /**
     * How value heads pick checkpoints and stop early: by the {@code valid} split's regression
     * loss ({@code true}, default) or by AIQ on {@code valid} ({@code false}; policy heads always
     * use AIQ). AIQ on a few hundred queries is noisy, and picking the checkpoint that maximises
     * it overfits the validation split.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder selectByLoss(boolean on) {
      once("selectByLoss");
      this.selectByLoss = on;
      return this;
    }

    /**
     * Whether the trunk also reads text features ({@code log_chars}, {@code log_lines}; see
     * {@code docs/training.md}). Default false: runtimes of bundle format 1 accept no features.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder features(boolean on) {
      once("features");
      this.features = on;
      return this;
    }

    /**
     * Whether the trunk reads the cost weight (value heads always apply it through λ; policy
     * heads always read it). Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder costWeightInput(boolean on) {
      once("costWeightInput");
      this.costWeightInput = on;
      return this;
    }

    /**
     * Parameter sharing: generators read the shared trunk. {@code false} is the "no sharing"
     * ablation (each generator, and the policy head, gets its own trunk). Default true.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder parameterSharing(boolean on) {
      once("parameterSharing");
      this.sharing = on;
      return this;
    }

    /**
     * The low-level router. {@code false} is the "no low-level router" ablation: every model
     * runs with its default parameters. Default true.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder lowLevelRouter(boolean on) {
      once("lowLevelRouter");
      this.lowLevelRouter = on;
      return this;
    }

    /**
     * The "warm-up only" ablation: no policy-gradient phase. Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder warmupOnly(boolean on) {
      once("warmupOnly");
      this.warmupOnly = on;
      return this;
    }

    /**
     * HAPS's failure augmentation: a score of 0 counts as −1 in training targets and rewards.
     * Default false (it lost on validation; see {@code docs/training.md}).
     *
     * @param on the switch
     * @return this builder
     */
    public Builder failureAugmentation(boolean on) {
      once("failureAugmentation");
      this.failureAugmentation = on;
      return this;
    }

    /**
     * Worker threads for gradients and validation. Results do not depend on it. Default
     * min(2, available processors).
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      once("threads");
      this.threads = positive("threads", threads);
      return this;
    }

    /**
     * Progress listener. Default {@link TrainingListener#NONE} (quiet).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TrainingListener listener) {
      once("listener");
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the trainer.
     *
     * @return the trainer
     * @throws IllegalStateException if neither or both of {@link #data} and {@link #log} were
     *     set, or {@link #encoder} was combined with {@link #maxTokens} or {@link #truncation}
     */
    public Trainer build() {
      if ((data == null) == (log == null)) {
        throw new IllegalStateException("set exactly one data source: data(dir) or log(log)");
      }
      if (encoder != null && (set.contains("maxTokens") || set.contains("truncation"))) {
        throw new IllegalStateException("maxTokens and truncation configure the default encoder;"
            + " with encoder(...) set them on that encoder instead");
      }
      if (cacheDir == null) {
        cacheDir = EmbeddingStore.defaultCacheDir();
      }
      Builder copy = new Builder();
      copy.data = data;
      copy.log = log;
      copy.output = output;
      copy.createdAt = createdAt;
      copy.seed = seed;
      copy.encoder = encoder;
      copy.maxTokens = maxTokens;
      copy.truncation = truncation;
      copy.cacheDir = cacheDir;
      copy.head = head;
      copy.hidden = hidden.clone();
      copy.generatorHidden = generatorHidden;
      copy.ensemble = ensemble;
      copy.batchSize = batchSize;
      copy.learningRate = learningRate;
      copy.weightDecay = weightDecay;
      copy.epochs = epochs;
      copy.rlSteps = rlSteps;
      copy.rlLearningRate = rlLearningRate;
      copy.entropyBonus = entropyBonus;
      copy.auxWeight = auxWeight;
      copy.validateEvery = validateEvery;
      copy.patience = patience;
      copy.costLossWeight = costLossWeight;
      copy.policyLossWeight = policyLossWeight;
      copy.temperature = temperature;
      copy.zeroCostWeightShare = zeroCostWeightShare;
      copy.features = features;
      copy.selectByLoss = selectByLoss;
      copy.costWeightInput = costWeightInput;
      copy.sharing = sharing;
      copy.lowLevelRouter = lowLevelRouter;
      copy.warmupOnly = warmupOnly;
      copy.failureAugmentation = failureAugmentation;
      copy.threads = threads;
      copy.listener = listener;
      return new Trainer(copy);
    }
  }
}
