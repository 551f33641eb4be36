package dev.haps.eval;

import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.EvalRouter;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.Configuration;
import dev.haps.api.params.ParameterSpace;
import dev.haps.data.CandidateModel;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.train.embed.EmbeddingStore;
import dev.haps.eval.baselines.Baselines;
import dev.haps.eval.baselines.TrainingData;
import dev.haps.data.tradeoff.TradeoffPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures HAPS bundles against the baselines on one benchmark: every router is swept over the
 * same cost weights, every decision is scored with the recorded outcome, and the results are
 * summarised as AIQ, gap closed and the best-single comparisons, overall and per task.
 *
 * <pre>{@code
 * EvalReport report = Evaluation.builder()
 *     .data(Path.of("../shared/data/routerbench-3task"))
 *     .bundle(Path.of("bundles/routerbench"))              // reported as "haps"
 *     .bundle("no-sharing", Path.of("bundles/no-sharing")) // an ablation
 *     .split(Split.TEST)
 *     .seed(42)
 *     .report(Path.of("out/routerbench"))                  // report.json, report.html, ...
 *     .progress((stage, done, total) -> System.err.println(stage + " " + done + "/" + total))
 *     .build()
 *     .run();
 * System.out.println(report.router("haps").orElseThrow().metrics().gapClosed());
 * }</pre>
 *
 * <p><b>What runs.</b> The baselines ({@link Baselines}) train on the {@code train} split and
 * tune on {@code valid}; the evaluated split (default {@code test}) is used only to score. The
 * cost scale of the reward is the main bundle's {@code costScale} (else the first bundle's, else
 * the mean cost of the most expensive configuration on {@code train}), and every router, HAPS
 * included, is swept over {@link CostTradeoff#grid(int) 21 cost weights} with that one mapping.
 * The embedding baselines see the query through the same encoder, token budget and truncation
 * as the main bundle; embeddings are cached on disk by {@link EmbeddingStore}.
 *
 * <p><b>Outputs</b> (when {@link Builder#report(Path)} is set): {@code report.json}, {@code
 * decisions.jsonl} (one line per router, cost weight and query), {@code cost-quality.png} and
 * {@code report.html}. {@link Recompute} re-derives every number from the decisions and the log.
 *
 * <p>An {@code Evaluation} is immutable; {@link #run()} may be called more than once and gives
 * the same numbers for the same inputs and seed.
 *
 * @since 0.1.0
 */
public final class Evaluation {

  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

  /** The name of the bundle given without a name. */
  public static final String MAIN_BUNDLE = "haps";

  /** Every baseline, in report order. */
  public static final List<String> BASELINES =
      List.of(
          "best-fixed", "knn", "mlp", "ridge", "arch-only-knn", "cheapest", "random", "oracle");

  private final Path dataDir;
  private final OutcomeLog givenLog;
  private final Map<String, Path> bundles;
  private final Split split;
  private final long seed;
  private final Path reportDir;
  private final EvalProgress progress;
  private final QueryEncoder encoder;
  private final Path embeddingCache;
  private final Set<String> baselines;
  private final int gridSize;
  private final boolean gzipDecisions;
  private final List<String> orderedBundles;

  private Evaluation(Builder b) {
    this.dataDir = b.dataDir;
    this.givenLog = b.log;
    this.bundles = Map.copyOf(b.bundles);
    this.split = b.split == null ? Split.TEST : b.split;
    this.seed = b.seed == null ? 42L : b.seed;
    this.reportDir = b.reportDir;
    this.progress = b.progress == null ? EvalProgress.NONE : b.progress;
    this.encoder = b.encoder;
    this.embeddingCache = b.embeddingCache;
    this.baselines = b.baselines == null ? new LinkedHashSet<>(BASELINES) : b.baselines;
    this.gridSize = b.gridSize == null ? 21 : b.gridSize;
    this.gzipDecisions = Boolean.TRUE.equals(b.gzipDecisions);
    this.orderedBundles = List.copyOf(b.bundleOrder);
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
   * Runs the evaluation: loads the data, trains the baselines, sweeps every router, computes the
   * metrics and, when asked, writes the report files.
   *
   * @return the report
   * @throws dev.haps.data.OutcomeLogException if the data cannot be read
   * @throws IllegalArgumentException if a split is empty, a query lacks a configuration, or a
   *     bundle routes to a model the log does not record
   * @throws dev.haps.api.error.BundleException if a bundle cannot be loaded
   * @throws UncheckedIOException if a report file cannot be written
   */
  public EvalReport run() {
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    progress.update("load data", 0, 1);
    OutcomeLog log = givenLog != null ? givenLog : OutcomeLog.load(dataDir);
    List<Configuration> configs = OutcomeTable.configurations(log);
    OutcomeTable train = OutcomeTable.of(log, Split.TRAIN, configs);
    OutcomeTable valid = OutcomeTable.of(log, Split.VALID, configs);
    OutcomeTable eval = OutcomeTable.of(log, split, configs);
    progress.update("load data", 1, 1);

    // Bundles: the main one fixes the cost scale and the encoder settings.
    List<BundleRouter> bundleRouters = new ArrayList<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    Encoders encoders = new Encoders(encoder,
        embeddingCache != null ? embeddingCache : EmbeddingStore.defaultCacheDir());
    try {
      for (String name : orderedBundles) {
        bundleRouters.add(BundleRouter.open(name, bundles.get(name), eval));
      }
      BundleRouter primary = bundleRouters.stream()
          .filter(r -> r.name().equals(MAIN_BUNDLE)).findFirst()
          .orElse(bundleRouters.isEmpty() ? null : bundleRouters.get(0));
      double costScale;
      String costScaleSource;
      if (primary != null) {
        costScale = primary.costScale();
        costScaleSource = "manifest of bundle '" + primary.name() + "'";
      } else {
        costScale = train.maxMeanCost();
        costScaleSource = "mean cost of the most expensive configuration on train";
      }
      for (BundleRouter r : bundleRouters) {
        if (r != primary && Math.abs(r.costScale() - costScale) > 1e-12 * costScale) {
          LOG.warn("bundle '{}' was trained with costScale {}, the evaluation uses {} ({}); its"
              + " cost weights may mean different trade-offs", r.name(), r.costScale(),
              costScale, costScaleSource);
        }
      }
      CostTradeoff tradeoff = CostTradeoff.withCostScale(costScale);
      if (primary != null && primary.lambdaRange().isPresent()) {
        double[] lr = primary.lambdaRange().get();
        tradeoff = new CostTradeoff(lr[0], lr[1], costScale);
      }
      double[] grid = CostTradeoff.grid(gridSize);

      settings.put("benchmark", log.benchmark());
      settings.put("data", dataDir == null ? "(in memory)" : dataDir.toString());
      settings.put("data_sha256", log.sha256());
      settings.put("split", split.wireName());
      // A LinkedHashMap: with --split valid (or train) the evaluated split is one of the two.
      Map<String, Integer> queries = new LinkedHashMap<>();
      queries.put("train", train.size());
      queries.put("valid", valid.size());
      queries.put(split.wireName(), eval.size());
      settings.put("queries", queries);
      settings.put("configurations", configs.size());
      Map<String, String> bundleSettings = new LinkedHashMap<>();
      for (BundleRouter r : bundleRouters) {
        bundleSettings.put(r.name(), r.describeSource());
      }
      settings.put("bundles", bundleSettings);
      settings.put("seed", seed);
      settings.put("cost_scale", costScale);
      settings.put("cost_scale_source", costScaleSource);
      settings.put("lambda_min", tradeoff.lambdaMin());
      settings.put("lambda_max", tradeoff.lambdaMax());
      settings.put("cost_weights", grid.length);

      Scoring scoring = new Scoring(eval, grid, tradeoff);
      StoreEncoder baselineEncoder = primary != null
          ? encoders.like(primary.encoderInfo(), primary.encoderTop()) : encoders.standalone();
      EncoderInfo info = baselineEncoder.info();
      settings.put("encoder", info.id() + ", maxTokens " + info.maxTokens() + ", truncation "
          + info.truncation().manifestName() + ", sha256 " + info.sha256().substring(0, 12)
          + "…");
      settings.put("embedding_cache", encoders.cacheDir().toString());
      for (BundleRouter r : bundleRouters) {
        r.start(encoders);
      }
      List<EvalRouter> routers = new ArrayList<>(bundleRouters);
      routers.addAll(baselineRouters(log, train, valid, eval, tradeoff, grid, baselineEncoder,
          settings));

      List<int[][]> allChoices = new ArrayList<>();
      List<DecisionsFile.Entry> entries = new ArrayList<>();
      int[] all = new int[eval.size()];
      for (int q = 0; q < all.length; q++) {
        all[q] = q;
      }
      for (EvalRouter r : routers) {
        String stage = "sweep " + r.name();
        int[][] choices = new int[grid.length][];
        boolean keepRaw = r instanceof BundleRouter;
        Decision[][] raw = keepRaw ? new Decision[grid.length][] : null;
        progress.update(stage, 0, grid.length);
        for (int w = 0; w < grid.length; w++) {
          Decision[] ds = r.decideAll(all, grid[w]);
          if (ds.length != all.length) {
            throw new IllegalStateException("router '" + r.name() + "' returned " + ds.length
                + " decisions for " + all.length + " queries");
          }
          choices[w] = new int[ds.length];
          for (int q = 0; q < ds.length; q++) {
            choices[w][q] = eval.snap(ds[q]);
          }
          if (keepRaw) {
            raw[w] = ds;
          }
          progress.update(stage, w + 1, grid.length);
        }
        allChoices.add(choices);
        entries.add(new DecisionsFile.Entry(r.name(), choices, raw));
      }
      progress.update("bootstrap", 0, 1);
      Bootstrap boot = Bootstrap.run(eval, grid, tradeoff, allChoices, Bootstrap.RESAMPLES, seed);
      progress.update("bootstrap", 1, 1);
      settings.put("bootstrap_resamples", Bootstrap.RESAMPLES);
      List<RouterResult> results = new ArrayList<>();
      List<PairedGap> comparisons = new ArrayList<>();
      for (int i = 0; i < routers.size(); i++) {
        EvalRouter r = routers.get(i);
        String kind = r instanceof BundleRouter ? "haps"
            : r.name().equals("oracle") ? "reference" : "baseline";
        results.add(scoring.score(r.name(), kind, r.description(), allChoices.get(i),
            boot.interval(i)));
        if (!bundleRouters.isEmpty() && i > 0) {
          comparisons.add(boot.paired(0, routers.get(0).name(), i, r.name()));
        }
      }

      List<ConfigurationPoint> fixed = new ArrayList<>();
      List<TradeoffPoint> fp = eval.fixedPoints();
      for (int c = 0; c < configs.size(); c++) {
        fixed.add(new ConfigurationPoint(configs.get(c), fp.get(c).cost(), fp.get(c).score()));
      }
      settings.put("started", start.toString());
      settings.put("java", System.getProperty("java.version"));
      settings.put("cpus", Runtime.getRuntime().availableProcessors());
      Duration beforeWrite = Duration.ofNanos(System.nanoTime() - t0);
      settings.put("seconds_to_score", round(beforeWrite.toMillis() / 1000.0));

      EvalReport report = new EvalReport(log.benchmark(), split, grid, results, comparisons,
          scoring.yardstick(), scoring.taskYardsticks(), fixed, settings,
          beforeWrite, reportDir);
      if (reportDir != null) {
        progress.update("write report", 0, 4);
        write(report, eval, grid, entries);
        progress.update("write report", 4, 4);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
      return new EvalReport(log.benchmark(), split, grid, results, comparisons,
          scoring.yardstick(), scoring.taskYardsticks(), fixed, settings, elapsed, reportDir);
    } finally {
      for (BundleRouter r : bundleRouters) {
        r.close();
      }
      encoders.close();
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private void write(EvalReport report, OutcomeTable eval, double[] grid,
      List<DecisionsFile.Entry> entries) {
    try {
      Files.createDirectories(reportDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the report folder " + reportDir, e);
    }
    JsonReport.write(report, reportDir.resolve("report.json"));
    progress.update("write report", 1, 4);
    DecisionsFile.write(reportDir.resolve(gzipDecisions ? "decisions.jsonl.gz"
        : "decisions.jsonl"), gzipDecisions, eval, grid, entries);
    progress.update("write report", 2, 4);
    byte[] png = CostQualityPlot.png(report);
    try {
      Files.write(reportDir.resolve("cost-quality.png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + reportDir.resolve("cost-quality.png"), e);
    }
    progress.update("write report", 3, 4);
    HtmlReport.write(report, png, reportDir.resolve("report.html"));
  }

  private List<EvalRouter> baselineRouters(OutcomeLog log, OutcomeTable train,
      OutcomeTable valid, OutcomeTable eval, CostTradeoff tradeoff, double[] grid,
      StoreEncoder baselineEncoder, Map<String, Object> settings) {
    List<EvalRouter> out = new ArrayList<>();
    boolean needEmbeddings = baselines.contains("knn") || baselines.contains("mlp")
        || baselines.contains("ridge") || baselines.contains("arch-only-knn");
    TrainingData data = null;
    float[][] evalEmb = null;
    if (needEmbeddings) {
      float[][][] emb = embed(train, valid, eval, baselineEncoder);
      data = new TrainingData(train, emb[0], valid, emb[1], tradeoff, grid, seed);
      evalEmb = emb[2];
    }
    Map<String, ParameterSpace> spaces = new HashMap<>();
    for (CandidateModel m : log.candidates().models()) {
      spaces.put(m.id(), m.parameters());
    }
    List<String> notes = new ArrayList<>();
    for (String b : BASELINES) {
      if (!baselines.contains(b)) {
        continue;
      }
      progress.update("train " + b, 0, 1);
      switch (b) {
        case "best-fixed" -> out.add(Baselines.bestFixed(train, tradeoff));
        case "knn" -> out.add(Baselines.knn(data, evalEmb));
        case "mlp" -> out.add(Baselines.mlp(data, evalEmb));
        case "ridge" -> out.add(Baselines.ridge(data, evalEmb));
        case "arch-only-knn" -> {
          Optional<EvalRouter> r = Baselines.architectureOnly(data, evalEmb, spaces);
          if (r.isPresent()) {
            out.add(r.get());
          } else {
            notes.add("arch-only-knn skipped: no model has more than one configuration, so it"
                + " equals knn");
          }
        }
        case "cheapest" -> out.add(Baselines.cheapest(train));
        case "random" -> out.add(Baselines.random(train.configurations(), seed));
        case "oracle" -> out.add(Baselines.oracle(eval, tradeoff));
        default -> throw new IllegalStateException("unknown baseline " + b);
      }
      progress.update("train " + b, 1, 1);
    }
    if (!notes.isEmpty()) {
      settings.put("notes", notes);
    }
    return out;
  }

  /**
   * Embeds every query of the three tables as the trainer does: the raw query text, with the main
   * bundle's encoder settings (the runtime's normalised routing text tokenizes the same, see
   * {@link StoreEncoder}).
   */
  private float[][][] embed(OutcomeTable train, OutcomeTable valid, OutcomeTable eval,
      StoreEncoder enc) {
    List<String> texts = new ArrayList<>(train.size() + valid.size() + eval.size());
    texts.addAll(train.texts());
    texts.addAll(valid.texts());
    texts.addAll(eval.texts());
    float[][] all = enc.store().embed(texts, (done, total) ->
        progress.update("embed queries", done, total));
    float[][] a = java.util.Arrays.copyOfRange(all, 0, train.size());
    float[][] b = java.util.Arrays.copyOfRange(all, train.size(), train.size() + valid.size());
    float[][] c = java.util.Arrays.copyOfRange(all, train.size() + valid.size(), all.length);
    return new float[][][] {a, b, c};
  }

  /** An encoder with the bundle's settings, or the default one when there is no bundle. */
  static QueryEncoder encoderLike(EncoderInfo info) {
    return encoderLike(info, Optional.empty());
  }

  /**
   * As {@link #encoderLike(EncoderInfo)}, for a bundle whose encoder may have fine-tuned top
   * layers: then the default model continued by those layers.
   */
  static QueryEncoder encoderLike(EncoderInfo info, Optional<EncoderTop> top) {
    OnnxQueryEncoder.Builder b = OnnxQueryEncoder.builder();
    if (info == null) {
      return b.defaultModel().build();
    }
    if (top.isPresent() && top.get().base().equals(OnnxQueryEncoder.DEFAULT_MODEL_ID)) {
      b.defaultModel().fineTunedTop(top.get());
    } else if (info.id().equals(OnnxQueryEncoder.DEFAULT_MODEL_ID)) {
      b.defaultModel();
    } else if (info.id().equals(OnnxQueryEncoder.DEFAULT_FP32_MODEL_ID)) {
      b.defaultModelFp32();
    } else {
      throw new IllegalArgumentException("the main bundle was trained with encoder '" + info.id()
          + "', which the evaluation cannot build by itself; pass it with"
          + " Evaluation.builder().encoder(...)");
    }
    return b.maxTokens(info.maxTokens()).truncation(info.truncation()).build();
  }


  /**
   * Builds an {@link Evaluation}. Each option may be set once ({@link #bundle(String, Path)}
   * once per name); {@link #build()} checks that data was given.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path dataDir;
    private OutcomeLog log;
    private final Map<String, Path> bundles = new HashMap<>();
    private final List<String> bundleOrder = new ArrayList<>();
    private Split split;
    private Long seed;
    private Path reportDir;
    private EvalProgress progress;
    private QueryEncoder encoder;
    private Path embeddingCache;
    private Set<String> baselines;
    private Integer gridSize;
    private Boolean gzipDecisions;

    private Builder() {}

    /**
     * The benchmark folder ({@code candidates.json} + {@code outcomes.jsonl}).
     *
     * @param dir the folder
     * @return this builder
     * @throws IllegalStateException if the data was already set
     */
    public Builder data(Path dir) {
      Objects.requireNonNull(dir, "dir");
      checkDataUnset();
      this.dataDir = dir;
      return this;
    }

    /**
     * An outcome log already in memory.
     *
     * @param log the log
     * @return this builder
     * @throws IllegalStateException if the data was already set
     */
    public Builder data(OutcomeLog log) {
      Objects.requireNonNull(log, "log");
      checkDataUnset();
      this.log = log;
      return this;
    }

    private void checkDataUnset() {
      if (dataDir != null || log != null) {
        throw new IllegalStateException("data was already set to "
            + (dataDir != null ? dataDir : log));
      }
    }

    /**
     * The main HAPS bundle, reported as {@code haps}.
     *
     * @param bundle a bundle directory or zip
     * @return this builder
     * @throws IllegalStateException if the main bundle was already set
     */
    public Builder bundle(Path bundle) {
      return bundle(MAIN_BUNDLE, bundle);
    }

    /**
     * A named bundle, for example an ablation ({@code no-sharing}).
     *
     * @param name the name shown in the report; letters, digits, {@code . _ -}
     * @param bundle a bundle directory or zip
     * @return this builder
     * @throws IllegalArgumentException if the name is not a plain word or is a baseline's name
     * @throws IllegalStateException if a bundle with that name was already set
     */
    public Builder bundle(String name, Path bundle) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(bundle, "bundle");
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("bundle name '" + name + "' must be letters, digits,"
            + " '.', '_' or '-'");
      }
      if (BASELINES.contains(name)) {
        throw new IllegalArgumentException("bundle name '" + name + "' is a baseline's name;"
            + " pick another, e.g. '" + name + "-bundle'");
      }
      if (bundles.containsKey(name)) {
        throw new IllegalStateException("bundle '" + name + "' was already set to "
            + bundles.get(name));
      }
      bundles.put(name, bundle);
      bundleOrder.add(name);
      return this;
    }

    /**
     * The evaluated split; default {@link Split#TEST}.
     *
     * @param split the split
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder split(Split split) {
      Objects.requireNonNull(split, "split");
      if (this.split != null) {
        throw new IllegalStateException("split was already set to " + this.split);
      }
      this.split = split;
      return this;
    }

    /**
     * The seed of the random baseline and the perceptron; default 42.
     *
     * @param seed the seed
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder seed(long seed) {
      if (this.seed != null) {
        throw new IllegalStateException("seed was already set to " + this.seed);
      }
      this.seed = seed;
      return this;
    }

    /**
     * The folder to write {@code report.json}, {@code decisions.jsonl}, {@code
     * cost-quality.png} and {@code report.html} to (created if missing). Without it nothing is
     * written.
     *
     * @param dir the folder
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder report(Path dir) {
      Objects.requireNonNull(dir, "dir");
      if (reportDir != null) {
        throw new IllegalStateException("report folder was already set to " + reportDir);
      }
      this.reportDir = dir;
      return this;
    }

    /**
     * The progress listener; default none (quiet).
     *
     * @param progress the listener (the {@code haps} CLI draws a bar per stage)
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder progress(EvalProgress progress) {
      Objects.requireNonNull(progress, "progress");
      if (this.progress != null) {
        throw new IllegalStateException("progress listener was already set");
      }
      this.progress = progress;
      return this;
    }

    /**
     * The encoder for the embedding baselines; by default one with the main bundle's encoder
     * settings (or the default encoder when there is no bundle) is built and closed by the
     * evaluation. A given encoder is not closed.
     *
     * @param encoder the encoder
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder encoder(QueryEncoder encoder) {
      Objects.requireNonNull(encoder, "encoder");
      if (this.encoder != null) {
        throw new IllegalStateException("encoder was already set to " + this.encoder.info());
      }
      this.encoder = encoder;
      return this;
    }

    /**
     * The embedding cache folder; default {@link EmbeddingStore#defaultCacheDir()}.
     *
     * @param dir the folder
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder embeddingCache(Path dir) {
      Objects.requireNonNull(dir, "dir");
      if (embeddingCache != null) {
        throw new IllegalStateException("embedding cache was already set to " + embeddingCache);
      }
      this.embeddingCache = dir;
      return this;
    }

    /**
     * Which baselines to run; default all of {@link #BASELINES}.
     *
     * @param names baseline names; none runs only the bundles
     * @return this builder
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws IllegalStateException if already set
     */
    public Builder baselines(String... names) {
      if (baselines != null) {
        throw new IllegalStateException("baselines were already set to " + baselines);
      }
      Set<String> s = new LinkedHashSet<>();
      for (String n : names) {
        String t = n.trim();
        if (t.isEmpty()) {
          continue;
        }
        if (!BASELINES.contains(t)) {
          throw new IllegalArgumentException("unknown baseline '" + t + "'; known: "
              + BASELINES);
        }
        s.add(t);
      }
      baselines = s;
      return this;
    }

    /**
     * The number of cost weights in the sweep, evenly spaced from 0 to 1; default 21. Change it
     * only for quick experiments: reports are comparable only at the same grid.
     *
     * @param n at least 2
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 2}
     * @throws IllegalStateException if already set
     */
    public Builder costWeights(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("the sweep needs at least 2 cost weights, got " + n);
      }
      if (gridSize != null) {
        throw new IllegalStateException("cost weights were already set to " + gridSize);
      }
      gridSize = n;
      return this;
    }

    /**
     * Whether to write {@code decisions.jsonl.gz} instead of {@code decisions.jsonl}; default
     * false.
     *
     * @param gzip true to compress
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder gzipDecisions(boolean gzip) {
      if (gzipDecisions != null) {
        throw new IllegalStateException("gzipDecisions was already set to " + gzipDecisions);
      }
      gzipDecisions = gzip;
      return this;
    }

    /**
     * Builds the evaluation.
     *
     * @return the evaluation
     * @throws IllegalStateException if no data was given
     */
    public Evaluation build() {
      if (dataDir == null && log == null) {
        throw new IllegalStateException("no data: call data(Path) with a benchmark folder"
            + " holding candidates.json and outcomes.jsonl");
      }
      return new Evaluation(this);
    }
  }
}
