package dev.haps.train;

import dev.haps.api.params.ParameterValues;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.Configuration;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.embed.EmbeddingStore;
import dev.haps.train.embed.EncoderFineTuning;
import dev.haps.train.embed.FineTuneSetup;
import dev.haps.train.embed.TrainableEncoder;
import dev.haps.train.env.OfflineEnvironment;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.ConfigResolver;
import dev.haps.train.model.ConfigurationValues;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.model.ValidationCurve;
import dev.haps.train.nn.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trains a HAPS router from an outcome log and, optionally, writes it as a router bundle.
 *
 * <pre>{@code
 * TrainResult r = Trainer.builder()
 *     .data(Path.of("shared/data/concise-cot"))
 *     .output(Path.of("bundles/concise-cot"))
 *     .options(TrainOptions.builder().seed(42).build())
 *     .listener(myListener)
 *     .build()
 *     .train();
 * System.out.println(r.validMetric());
 * }</pre>
 *
 * <p><b>What it does.</b> Loads and validates the log; embeds the {@code train} and {@code valid}
 * queries with the runtime's encoder (cached on disk, see {@link EmbeddingStore}); replays the log
 * as an {@link OfflineEnvironment}; trains HAPS networks — a shared trunk over [embedding, query
 * features, cost weight], a high-level head over candidate models and one parameter generator per
 * candidate reading the trunk's representation. By default ({@link TrainOptions#linearPath()},
 * value heads) each generator also reads the embedding through a closed-form linear path, the
 * trunk is a residual trained for fixed epochs, the ridge α and the residual's scale γ are chosen
 * by K-fold cross-validation over train+valid, and the model is refit on train+valid; the
 * cross-validated estimate is in {@link TrainResult#crossValidation()}. Otherwise a supervised
 * warm-up, optionally followed by policy gradient, with checkpoints and early stopping on the
 * {@code valid} split. Never reads {@code test}. See {@code docs/training.md} for the recipe and
 * the numbers behind the defaults.
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
  /** The checkpointed recipe's epochs and weight decay (bandit logs and fine-tuning). */
  static final int CHECKPOINTED_EPOCHS = 60;
  static final double CHECKPOINTED_WEIGHT_DECAY = 1e-4;

  private final Builder b;

  private Trainer(Builder b) {
    this.b = b;
  }

  /**
   * A new builder, with {@link TrainOptions#defaults() default options}.
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
    TrainOptions o = b.options;
    // Bandit feedback (one logged action per call) cannot answer the policy-gradient phase's
    // counterfactual actions: that phase is off; see docs/learning-loop.md.
    boolean bandit = hasBanditRows(trainRecs) || hasBanditRows(validRecs);
    if (bandit && o.rlSteps() > 0) {
      o = o.toBuilder().rlSteps(0).build();
    }
    if (bandit && o.fineTune().enabled()) {
      throw new IllegalArgumentException("fine-tuning the encoder needs full-information"
          + " outcomes (every configuration's outcome per query) to judge its checkpoints;"
          + " this log has bandit feedback rows: train without --fine-tune-layers");
    }
    // Bandit rows with the direct method: per-configuration linear values (closed form, score
    // α 30 unless set, log-cost α 3). Other targets, and --no-linear-path, train the network.
    boolean banditLinear = bandit && o.crossValidated()
        && o.banditTargets() == BanditTargets.DIRECT;
    if (bandit && o.crossValidated() && !banditLinear) {
      // Cross-validation scores held-out folds against every configuration's outcome, which
      // bandit rows do not have.
      o = checkpointedRecipe(o);
      listener.status("bandit feedback: no cross-validation (held-out folds need every"
          + " configuration's outcome); training the network with checkpoints on valid, "
          + o.epochs() + " epochs at most, weight decay " + o.weightDecay());
    }
    if (o.fineTune().enabled() && o.crossValidated()) {
      // The closed-form linear path is fitted to fixed embeddings; these change every epoch.
      o = checkpointedRecipe(o);
      listener.status("fine-tuning: no cross-validation (the embeddings change while"
          + " training); the checkpointed recipe, " + o.epochs() + " epochs at most, weight"
          + " decay " + o.weightDecay());
    }
    if (o.crossValidated() && o.rlSteps() > 0) {
      throw new IllegalArgumentException("rlSteps " + o.rlSteps() + " needs linearPath=false:"
          + " the cross-validated value-head recipe has no policy-gradient phase; set rlSteps"
          + " 0, or linearPath false (haps train --no-linear-path) for the checkpointed recipe");
    }
    if (o.crossValidated() && o.costWeightInput()) {
      throw new IllegalArgumentException("costWeightInput needs linearPath=false (haps train"
          + " --no-linear-path): the linear value recipes (cross-validated, or per configuration"
          + " on bandit feedback) apply the cost weight through λ only");
    }
    OfflineEnvironment env = OfflineEnvironment.of(log, tradeoff, o.failureAugmentation());
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
    TrainableEncoder trainable = o.fineTune().enabled() ? openTrainable(texts, o, listener) : null;
    try {
      float[][] emb;
      EncoderInfo encoderInfo;
      QueryEncoder enc = b.encoder != null ? b.encoder : OnnxQueryEncoder.builder().defaultModel()
          .maxTokens(o.maxTokens()).truncation(o.truncation()).build();
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

      // The options the run used: a given encoder's settings replace the default encoder's.
      TrainOptions used = b.encoder == null ? o : o.toBuilder().maxTokens(encoderInfo.maxTokens())
          .truncation(encoderInfo.truncation()).build();
      List<String> featureNames = o.features() ? TextFeatures.NAMES : List.of();
      int e = encoderInfo.dimension();
      int f = featureNames.size();
      BanditTargets targets = o.banditTargets() == BanditTargets.DOUBLY_ROBUST
          ? BanditTargets.DIRECT : o.banditTargets();
      SplitTable train = table(env, trainRecs, configs, emb, 0, e, f, targets,
          o.propensityClip());
      // Checkpoints are chosen by the valid regression loss with unit weights: importance
      // weights would make that choice noisier; the valid sweep uses the propensities instead.
      SplitTable valid = table(env, validRecs, configs, emb, trainRecs.size(), e, f,
          BanditTargets.DIRECT, o.propensityClip());

      List<CandidateOutputs> cands = new ArrayList<>();
      for (int k = 0; k < log.candidates().models().size(); k++) {
        var m = log.candidates().models().get(k);
        List<ParameterValues> own = new ArrayList<>();
        for (Configuration c : configs) {
          if (env.candidateIndex(c.model()) == k) {
            own.add(c.params());
          }
        }
        cands.add(new CandidateOutputs(m.id(), m.parameters(), own));
      }
      TrainingProblem problem = TrainingProblem.builder()
          .train(train).valid(valid)
          .candidates(cands).configurations(configs)
          .resolver(resolver(env, configs)).tradeoff(tradeoff)
          .embeddingDim(e)
          .failureAugmentation(o.failureAugmentation())
          .build();

      // The yardstick (fixed hull, oracle) always covers every configuration of the log, so that
      // ablations that restrict the router's choices are measured on the same scale.
      SplitTable validAll = configs.size() == env.configurations().size() ? valid
          : table(env, validRecs, env.configurations(), emb, trainRecs.size(), e, f,
              BanditTargets.DIRECT, o.propensityClip());
      ValidAiq aiq = ValidAiq.of(validAll, tradeoff, CostTradeoff.grid(GRID));
      // On bandit feedback the valid split has one outcome per query: no oracle, no hull of the
      // fixed configurations; checkpoints are judged by the estimated mean reward instead.
      java.util.function.ToDoubleFunction<ValidationCurve> metric =
          bandit ? ValidationCurve::meanOfRewards : aiq;
      TrainingRun run = new TrainingRun(o, problem, CostTradeoff.grid(GRID), listener, metric)
          .fineTuning(trainable);
      long tt = System.nanoTime();
      TrainingRun.Result r;
      Optional<CvEstimate> cv = Optional.empty();
      Optional<BanditPenalties> penalties = Optional.empty();
      if (banditLinear) {
        BanditLinearRecipe.Fitted fitted = BanditLinearRecipe.run(o, run, problem, listener);
        r = fitted.result();
        penalties = Optional.of(fitted.penalties());
      } else if (o.crossValidated()) {
        SplitTable trainAll = configs.size() == env.configurations().size() ? train
            : table(env, trainRecs, env.configurations(), emb, 0, e, f, BanditTargets.DIRECT,
                o.propensityClip());
        int[] yardIndex = new int[configs.size()];
        for (int i = 0; i < configs.size(); i++) {
          yardIndex[i] = env.configurations().indexOf(configs.get(i));
        }
        List<QueryRecord> both = new ArrayList<>(trainRecs);
        both.addAll(validRecs);
        CrossValidated c = crossValidated(o, run, problem,
            ConfigurationValues.concat(train, valid), ConfigurationValues.concat(trainAll, validAll),
            yardIndex, taskIds(both), listener);
        r = c.result();
        cv = Optional.of(c.estimate());
      } else {
        r = run.run();
      }
      if (bandit && o.banditTargets() == BanditTargets.DOUBLY_ROBUST) {
        // Second fit on doubly robust targets built from the first (direct-method) fit.
        listener.status("doubly robust targets");
        SplitTable dr = doublyRobust(train, r.model().valuePredictions(train), o.propensityClip());
        TrainingProblem p2 = TrainingProblem.builder()
            .train(dr).valid(valid)
            .candidates(cands).configurations(configs)
            .resolver(resolver(env, configs)).tradeoff(tradeoff)
            .embeddingDim(e)
            .failureAugmentation(o.failureAugmentation())
            .build();
        r = new TrainingRun(o, p2, CostTradeoff.grid(GRID), listener, metric).run();
      }
      double trainSeconds = (System.nanoTime() - tt) / 1e9;

      Optional<EncoderTop> top = Optional.empty();
      Map<String, Object> fineTune = new LinkedHashMap<>();
      if (trainable != null) {
        // Without a better epoch the frozen checkpoint is kept, and with it the frozen encoder.
        if (Boolean.TRUE.equals(run.fineTuneReport().get("kept"))) {
          top = Optional.of(exportTop(trainable, encoderInfo));
          encoderInfo = fineTunedInfo(encoderInfo, top.get());
        }
        fineTune.putAll(trainable.report());
        fineTune.putAll(run.fineTuneReport());
      }

      TrainResult result = new TrainResult(Optional.empty(), r.model(), r.curve(), r.metric(),
          bandit ? Double.NaN : aiq.gapClosed(r.curve()), r.curve().meanOfRewards(),
          log.benchmark(), log.sha256(),
          used, encoderInfo, featureNames, configs, r.members(), embedSeconds, trainSeconds,
          (System.nanoTime() - t0) / 1e9, cv, top, fineTune, penalties);
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
    } finally {
      if (trainable != null) {
        trainable.close();
      }
    }
  }

  /**
   * The checkpointed recipe in place of the cross-validated one: no linear path, and its own
   * epoch count and weight decay unless the caller set them.
   */
  private static TrainOptions checkpointedRecipe(TrainOptions o) {
    TrainOptions d = TrainOptions.defaults();
    TrainOptions.Builder ob = o.toBuilder().linearPath(false);
    if (o.epochs() == d.epochs()) {
      ob.epochs(CHECKPOINTED_EPOCHS);
    }
    if (o.weightDecay() == d.weightDecay()) {
      ob.weightDecay(CHECKPOINTED_WEIGHT_DECAY);
    }
    return ob.build();
  }

  /** The encoder whose top layers the run fine-tunes, on the train and valid texts. */
  private TrainableEncoder openTrainable(List<String> texts, TrainOptions o,
      TrainingListener listener) {
    EncoderFineTuning engine = EncoderFineTuning.find()
        .orElseThrow(() -> new ConfigurationException(EncoderFineTuning.MISSING));
    listener.status("fine-tuning the top " + o.fineTune().layers() + " encoder layer(s) with "
        + engine.name());
    return engine.open(new FineTuneSetup(texts, o.fineTune().layers(), o.maxTokens(),
        o.truncation(), b.cacheDir, o.seed(), listener::status));
  }

  /** The trained layers, under an id that names the base, the layer count and the weights. */
  private static EncoderTop exportTop(TrainableEncoder trainable, EncoderInfo base) {
    EncoderTop t = trainable.export(base.id());
    String id = base.id() + "+top" + t.topLayers() + "-" + t.sha256().substring(0, 8);
    return EncoderTop.of(id, t.base(), t.baseSha256(), t.cut(), t.baseLayers(), t.topLayers(),
        t.onnx());
  }

  /** The encoder a bundle with these layers runs: the base's settings, the top's identity. */
  private static EncoderInfo fineTunedInfo(EncoderInfo base, EncoderTop top) {
    return new EncoderInfo(top.id(), base.dimension(), base.pooling(), base.normalize(),
        base.maxTokens(), base.truncation(), top.encoderSha256());
  }

  private record CrossValidated(TrainingRun.Result result, CvEstimate estimate) {}

  /**
   * The cross-validated recipe: folds over train+valid choose α and γ, the model is refit on
   * train+valid and its sweep on {@code valid} (in-sample now) is kept for the manifest.
   */
  private static CrossValidated crossValidated(TrainOptions o, TrainingRun run,
      TrainingProblem problem, SplitTable both, SplitTable bothAll, int[] yardIndex, int[] task,
      TrainingListener listener) {
    TrainingProblem all = ConfigurationValues.withTables(problem, both, problem.valid());
    ExecutorService pool = o.threads() > 1 ? Executors.newFixedThreadPool(o.threads(), r -> {
      Thread t = new Thread(r, "haps-train-cv");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      CrossValidation cv = new CrossValidation(o, run.objective(), run.spec(), all, bothAll,
          yardIndex, task, CostTradeoff.grid(GRID), listener, pool);
      CrossValidation.Result res = cv.run(new Rng(o.seed()));
      int n = both.n();
      int steps = res.estimate().gamma() == 0 ? 0
          : o.epochs() * ((n + o.batchSize() - 1) / o.batchSize());
      List<MemberReport> reports = new ArrayList<>();
      for (int m = 0; m < res.members().size(); m++) {
        reports.add(new MemberReport(m, Double.NaN, steps, Double.NaN, 0, false));
      }
      return new CrossValidated(run.result(res.members(), reports, pool), res.estimate());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** Task names as small integers, in order of first appearance. */
  private static int[] taskIds(List<QueryRecord> recs) {
    Map<String, Integer> ids = new HashMap<>();
    int[] out = new int[recs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.computeIfAbsent(recs.get(i).task(), t -> ids.size());
    }
    return out;
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
    if (b.options.lowLevelRouter()) {
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

  /** Whether some record is bandit feedback: one outcome, logged with its propensity. */
  static boolean hasBanditRows(List<QueryRecord> recs) {
    for (QueryRecord q : recs) {
      if (banditPropensity(q) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The propensity of a bandit record's one logged action (1 when a fallback answered, whose
   * probability is unknown), or NaN for a full-information record.
   */
  private static double banditPropensity(QueryRecord q) {
    if (q.outcomes().size() != 1 || q.outcomes().get(0).logged().isEmpty()) {
      return Double.NaN;
    }
    var a = q.outcomes().get(0).logged().get();
    return a.fellBack() ? 1.0 : a.propensity();
  }

  /**
   * Doubly robust targets for every configuration of every bandit row: {@code ŷ_a + 1[a =
   * logged]·min(1/p, clip)·(y − ŷ_a)} for the score and the cost (the cost kept at least 0);
   * full-information rows keep their outcomes.
   */
  static SplitTable doublyRobust(SplitTable t, double[][] pred, double clip) {
    int g = t.configurations();
    double[] score = t.score().clone();
    double[] cost = t.cost().clone();
    boolean[] exact = t.exact().clone();
    double[] weight = t.weight().clone();
    for (int i = 0; i < t.n(); i++) {
      if (!t.bandit(i)) {
        continue;
      }
      double w = Math.min(1 / t.propensity()[i], clip);
      for (int c = 0; c < g; c++) {
        int at = i * g + c;
        double qs = pred[0][at];
        double qc = pred[1][at];
        if (t.exact()[at]) {
          score[at] = qs + w * (t.score()[at] - qs);
          cost[at] = Math.max(0, qc + w * (t.cost()[at] - qc));
        } else {
          score[at] = qs;
          cost[at] = qc;
        }
        exact[at] = true;
        weight[at] = 1;
      }
    }
    return new SplitTable(t.n(), t.baseDim(), t.x(), score, cost, exact, g, weight,
        t.propensity());
  }

  private static SplitTable table(OfflineEnvironment env, List<QueryRecord> recs,
      List<Configuration> configs, float[][] emb, int embOffset, int e, int f,
      BanditTargets targets, double clip) {
    int n = recs.size();
    int g = configs.size();
    int base = e + f;
    double[] x = new double[n * base];
    double[] score = new double[n * g];
    double[] cost = new double[n * g];
    boolean[] exact = new boolean[n * g];
    double[] weight = new double[n * g];
    double[] propensity = new double[n];
    double ipsSum = 0;
    int ipsCount = 0;
    double cs = env.tradeoff().costScale();
    for (int i = 0; i < n; i++) {
      QueryRecord q = recs.get(i);
      propensity[i] = banditPropensity(q);
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
        weight[i * g + c] = 1;
        if (exact[i * g + c] && !Double.isNaN(propensity[i]) && targets == BanditTargets.IPS) {
          weight[i * g + c] = Math.min(1 / propensity[i], clip);
          ipsSum += weight[i * g + c];
          ipsCount++;
        }
      }
    }
    if (ipsCount > 0) {
      // Normalised to mean 1 over the bandit rows, so that their share of the loss stays the
      // share of rows they are.
      double mean = ipsSum / ipsCount;
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(propensity[i])) {
          for (int c = 0; c < g; c++) {
            if (exact[i * g + c]) {
              weight[i * g + c] /= mean;
            }
          }
        }
      }
    }
    return new SplitTable(n, base, x, score, cost, exact, g, weight, propensity);
  }

  private static ConfigResolver resolver(OfflineEnvironment env, List<Configuration> configs) {
    Map<Configuration, Integer> index = new HashMap<>();
    for (int i = 0; i < configs.size(); i++) {
      index.put(configs.get(i), i);
    }
    return (k, params) -> {
      String model = env.log().candidates().models().get(k).id();
      Integer i = index.get(new Configuration(model, env.snap(model, params)));
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

  /**
   * What to train on, where to write, and with which {@link TrainOptions}. Each can be set once;
   * {@link #build()} checks that a data source was given.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private Path data;
    private OutcomeLog log;
    private Path output;
    private java.time.Instant createdAt;
    private QueryEncoder encoder;
    private Path cacheDir;
    private TrainOptions options = TrainOptions.defaults();
    private TrainingListener listener = TrainingListener.NONE;

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
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
     * The bundle manifest's {@code createdAt}. Default: when the bundle is written (or {@code
     * SOURCE_DATE_EPOCH}). Set it to get byte-identical bundles from identical runs.
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
     * The training options. Default {@link TrainOptions#defaults()}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder options(TrainOptions options) {
      once("options");
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * A query encoder to use instead of the default (all-MiniLM-L6-v2 int8 with the options'
     * {@link TrainOptions#maxTokens()} and {@link TrainOptions#truncation()}). The trainer does
     * not close it; the manifest records its settings.
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
     * Builds the trainer; the builder stays usable.
     *
     * @return the trainer
     * @throws IllegalStateException if neither or both of {@link #data} and {@link #log} were
     *     set, or {@link #encoder} was combined with options whose {@code maxTokens} or {@code
     *     truncation} differ from the defaults, or with fine-tuning
     */
    public Trainer build() {
      if ((data == null) == (log == null)) {
        throw new IllegalStateException("set exactly one data source: data(dir) or log(log)");
      }
      TrainOptions defaults = TrainOptions.defaults();
      if (encoder != null && options.fineTune().enabled()) {
        throw new IllegalStateException("fine-tuning encoder layers (" + options.fineTune()
            + ") trains the default encoder's top layers; it cannot be combined with"
            + " encoder(...): drop one of the two");
      }
      if (encoder != null && (options.maxTokens() != defaults.maxTokens()
          || options.truncation() != defaults.truncation())) {
        throw new IllegalStateException("maxTokens (" + options.maxTokens() + ") and truncation ("
            + options.truncation() + ") configure the default encoder; with encoder(...) set"
            + " them on that encoder instead");
      }
      Builder copy = new Builder();
      copy.data = data;
      copy.log = log;
      copy.output = output;
      copy.createdAt = createdAt;
      copy.encoder = encoder;
      copy.cacheDir = cacheDir != null ? cacheDir : EmbeddingStore.defaultCacheDir();
      copy.options = options;
      copy.listener = listener;
      return new Trainer(copy);
    }
  }
}
