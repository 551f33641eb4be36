package dev.haps.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.data.CandidateModel;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.Configuration;
import dev.haps.spi.EncoderInfo;
import dev.haps.train.export.OnnxGraph;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.ValidationCurve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a trained router as a router bundle: {@code router.onnx} (built with {@code
 * dev.haps.onnx.OnnxModelBuilder} over protobuf-java) and {@code manifest.json}, exactly as
 * {@code docs/bundle-format.md} specifies.
 *
 * <pre>{@code
 * BundleExporter.builder().log(log).result(result).build().write(Path.of("bundle"));
 * }</pre>
 *
 * <p>Determinism: the ONNX bytes depend only on the weights; the manifest depends only on the
 * data, options, weights and {@link Builder#createdAt(Instant)} (default: the environment
 * variable {@code SOURCE_DATE_EPOCH} when set, else now, to the second). Fix {@code createdAt}
 * to get byte-identical bundles from identical runs.
 *
 * <p>Immutable and thread-safe once built.
 *
 * @since 0.1.0
 */
public final class BundleExporter {

  /** File name of the network. */
  public static final String ROUTER_FILE = "router.onnx";
  /** File name of the encoder's fine-tuned top layers (only with {@code encoder.top}). */
  public static final String ENCODER_TOP_FILE = "encoder-top.onnx";
  /** File name of the manifest. */
  public static final String MANIFEST_FILE = "manifest.json";

  private final OutcomeLog log;
  private final TrainResult result;
  private final Instant createdAt;
  private final String id;
  private final String version;

  private BundleExporter(Builder b) {
    this.log = b.log;
    this.result = b.result;
    this.createdAt = b.createdAt != null ? b.createdAt : defaultCreatedAt();
    this.id = b.id != null ? b.id : "haps-" + result.benchmark();
    this.version = b.version != null ? b.version : "1";
  }

  /**
   * {@code SOURCE_DATE_EPOCH} (seconds, the reproducible-builds convention) when that
   * environment variable is set, else the current time to the second.
   */
  static Instant defaultCreatedAt() {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch != null && !epoch.isBlank()) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalStateException("SOURCE_DATE_EPOCH='" + epoch + "' is not a whole number"
            + " of seconds since 1970-01-01; unset it or fix it", e);
      }
    }
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
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
   * The ONNX model bytes.
   *
   * @return {@code router.onnx}
   */
  public byte[] onnxBytes() {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("haps.bundle.id", id);
    meta.put("haps.data.sha256", result.dataSha256());
    meta.put("haps.seed", Long.toString(result.options().seed()));
    return OnnxGraph.bytes(result.model(), meta);
  }

  /**
   * The manifest for given ONNX bytes.
   *
   * @param onnx the {@code router.onnx} bytes (their SHA-256 is recorded)
   * @return {@code manifest.json} as a tree
   */
  public ObjectNode manifest(byte[] onnx) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    TrainedModel model = result.model();
    ObjectNode m = f.objectNode();
    m.put("format", "haps-router-bundle");
    m.put("formatVersion", 1);
    m.put("id", id);
    m.put("version", version);
    m.put("createdAt", createdAt.toString());
    EncoderInfo e = result.encoder();
    ObjectNode enc = m.putObject("encoder");
    enc.put("id", e.id());
    enc.put("dimension", e.dimension());
    enc.put("pooling", e.pooling());
    enc.put("normalize", e.normalize());
    enc.put("maxTokens", e.maxTokens());
    enc.put("truncation", e.truncation().manifestName());
    enc.put("sha256", e.sha256());
    result.encoderTop().ifPresent(top -> {
      ObjectNode t = enc.putObject("top");
      t.put("file", ENCODER_TOP_FILE);
      t.put("sha256", top.sha256());
      t.put("base", top.base());
      t.put("baseSha256", top.baseSha256());
      t.put("cut", top.cut());
      t.put("baseLayers", top.baseLayers());
      t.put("topLayers", top.topLayers());
    });
    ArrayNode feats = m.putArray("features");
    result.features().forEach(feats::add);
    ObjectNode io = m.putObject("io");
    io.put("embedding", OnnxGraph.EMBEDDING);
    io.put("costWeight", OnnxGraph.COST_WEIGHT);
    if (result.features().isEmpty()) {
      io.putNull("features");
    } else {
      io.put("features", OnnxGraph.FEATURES);
    }
    io.put("logits", OnnxGraph.LOGITS);
    // A log without any cost trains a cost-blind router: state no cost rather than the
    // near-zero figure the value heads learnt from costs counted as 0.
    boolean costs = !log.costs().none();
    if (model.objective().predictsCost() && costs) {
      io.put("expectedCost", OnnxGraph.EXPECTED_COST);
    } else {
      io.putNull("expectedCost");
    }
    ArrayNode cands = m.putArray("candidates");
    for (int k = 0; k < model.candidates().size(); k++) {
      CandidateOutputs co = model.candidates().get(k);
      CandidateModel cm = log.candidates().require(co.model());
      ObjectNode c = cands.addObject();
      c.put("provider", ProviderRule.providerFor(co.model()));
      c.put("model", co.model());
      if (costs) {
        c.put("meanCostUsd", meanCost(co.model()));
      } else {
        c.putNull("meanCostUsd");
      }
      if (co.slots() > 0) {
        c.put("output", OnnxGraph.paramsOutput(k));
      }
      ArrayNode ps = c.putArray("parameters");
      List<Integer> offs = co.slotOffsets();
      List<ParameterSpec> specs = cm.parameters().specs();
      for (int i = 0; i < specs.size(); i++) {
        ParameterSpec s = specs.get(i);
        ObjectNode p = ps.addObject();
        p.put("name", s.name());
        parameter(p, s, offs.get(i));
      }
    }
    m.put("costScale", model.tradeoff().costScale());
    m.put("routerSha256", sha256(onnx));
    m.set("training", training(f));
    m.set("validation", validation(f));
    return m;
  }

  /** Writes one parameter's manifest fields (type, bounds or choices, default, slot, transform). */
  private static ObjectNode parameter(ObjectNode p, ParameterSpec s, int slot) {
    return switch (s.kind()) {
      case FLOAT -> {
        FloatSpec fs = (FloatSpec) s;
        p.put("type", "float");
        p.put("min", fs.min());
        p.put("max", fs.max());
        p.put("default", fs.defaultValue());
        p.put("slot", slot);
        yield p.put("transform", "sigmoid");
      }
      case INT -> {
        IntSpec is = (IntSpec) s;
        p.put("type", "int");
        p.put("min", is.min());
        p.put("max", is.max());
        p.put("default", is.defaultValue());
        p.put("slot", slot);
        yield p.put("transform", "sigmoid");
      }
      case CATEGORICAL -> {
        CategoricalSpec cs = (CategoricalSpec) s;
        p.put("type", "categorical");
        ArrayNode ch = p.putArray("choices");
        cs.choices().forEach(ch::add);
        p.put("default", cs.defaultValue());
        p.put("slot", slot);
        yield p.put("transform", "argmax");
      }
      // CandidateOutputs refuses tensor parameters before anything is trained.
      case TENSOR -> throw new IllegalStateException("parameter '" + s.name() + "' is a tensor");
    };
  }

  private ObjectNode training(JsonNodeFactory f) {
    ObjectNode t = f.objectNode();
    t.put("trainer", "haps-train 0.1.0");
    t.put("benchmark", result.benchmark());
    t.put("dataSha256", result.dataSha256());
    t.put("seed", result.options().seed());
    t.put("trainQueries", log.records(Split.TRAIN).size());
    t.put("validQueries", log.records(Split.VALID).size());
    ObjectNode ct = t.putObject("costTradeoff");
    ct.put("lambdaMin", result.model().tradeoff().lambdaMin());
    ct.put("lambdaMax", result.model().tradeoff().lambdaMax());
    ct.put("mapping", "lambda(w) = lambdaMin * (lambdaMax / lambdaMin)^w for w > 0, 0 at w = 0;"
        + " reward = score - lambda * costUsd / costScale");
    t.set("hyperParameters", new ObjectMapper().valueToTree(result.options().hyperParameters()));
    ArrayNode configs = t.putArray("configurations");
    for (Configuration c : result.configurations()) {
      ObjectNode o = configs.addObject();
      o.put("model", c.model());
      o.set("params", new ObjectMapper().valueToTree(c.params().asMap()));
    }
    ArrayNode members = t.putArray("members");
    for (MemberReport r : result.members()) {
      ObjectNode o = members.addObject();
      o.put("member", r.member());
      finite(o, "warmupMetric", r.warmupMetric());
      o.put("warmupSteps", r.warmupSteps());
      finite(o, "rlMetric", r.rlMetric());
      o.put("rlSteps", r.rlSteps());
      o.put("rlKept", r.rlKept());
    }
    result.crossValidation().ifPresent(cv -> t.set("crossValidation", crossValidation(f, cv)));
    if (!result.fineTune().isEmpty()) {
      t.set("fineTune", new ObjectMapper().valueToTree(result.fineTune()));
    }
    result.banditLinear().ifPresent(p ->
        t.set("banditLinear", new ObjectMapper().valueToTree(p)));
    return t;
  }

  /** The cross-validated estimate: what {@code haps eval} shows next to the test figure. */
  private static ObjectNode crossValidation(JsonNodeFactory f, CvEstimate cv) {
    ObjectNode o = f.objectNode();
    o.put("folds", cv.folds());
    o.put("over", "train+valid");
    o.put("criterion", cv.tasks() > 1 ? "gap closed, mean of plain and task-uniform weighting"
        : "gap closed");
    o.put("alpha", cv.alpha());
    o.put("taskBalanced", cv.taskBalanced());
    o.put("rank", cv.rank());
    o.put("gamma", cv.gamma());
    ObjectNode gc = o.putObject("gapClosed");
    finite(gc, "mean", cv.meanGapClosed());
    finite(gc, "sd", cv.sdGapClosed());
    gc.set("folds", array(f, unboxed(cv.foldGapClosed())));
    finite(gc, "pooled", cv.pooledGapClosed());
    gc.set("pooled95", array(f, new double[] {cv.pooledLow(), cv.pooledHigh()}));
    finite(gc, "taskUniform", cv.taskUniformGapClosed());
    o.put("tasks", cv.tasks());
    ObjectNode curves = o.putObject("curves");
    curves.set("alphas", array(f, unboxed(cv.alphas())));
    curves.set("alphaCriterion", array(f, unboxed(cv.alphaCurve())));
    if (!cv.balancedAlphaCurve().isEmpty()) {
      curves.set("alphaCriterionTaskBalanced", array(f, unboxed(cv.balancedAlphaCurve())));
    }
    if (!cv.reducedRankAlphaCurves().isEmpty()) {
      ObjectNode byRank = curves.putObject("alphaCriterionReducedRank");
      cv.reducedRankAlphaCurves().forEach((r, c) ->
          byRank.set(Integer.toString(r), array(f, unboxed(c))));
    }
    curves.set("gammas", array(f, unboxed(cv.gammas())));
    curves.set("gammaCriterion", array(f, unboxed(cv.gammaCurve())));
    return o;
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private ObjectNode validation(JsonNodeFactory f) {
    ValidationCurve c = result.validation();
    ObjectNode v = f.objectNode();
    v.put("split", "valid");
    if (result.crossValidation().isPresent()) {
      // The model was refit on train+valid: this sweep is in-sample, not an estimate.
      v.put("inSample", true);
    }
    if (Double.isNaN(result.validGapClosed())) {
      // Bandit feedback: one logged outcome per valid query, estimated by self-normalised
      // importance sampling; there is no oracle to measure gap closed against.
      v.put("metric", "snipsMeanReward");
    } else {
      v.put("metric", "aiq");
      finite(v, "aiq", result.validMetric());
    }
    finite(v, "gapClosed", result.validGapClosed());
    finite(v, "meanReward", result.validMeanReward());
    v.set("costWeights", array(f, c.costWeights()));
    v.set("meanScore", array(f, c.meanScore()));
    v.set("meanCostUsd", array(f, c.meanCostUsd()));
    v.set("meanRewardPerWeight", array(f, c.meanReward()));
    return v;
  }

  private static ArrayNode array(JsonNodeFactory f, double[] values) {
    ArrayNode a = f.arrayNode();
    for (double d : values) {
      if (Double.isFinite(d)) {
        a.add(d);
      } else {
        a.addNull();
      }
    }
    return a;
  }

  private static void finite(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }

  private double meanCost(String model) {
    double sum = 0;
    int n = 0;
    for (QueryRecord q : log.records(Split.TRAIN)) {
      for (Outcome o : q.outcomes()) {
        if (o.model().equals(model) && !Double.isNaN(o.costUsd())) {
          sum += o.costUsd();
          n++;
        }
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /**
   * The manifest as pretty-printed UTF-8 JSON.
   *
   * @param onnx the {@code router.onnx} bytes
   * @return the file content
   */
  public byte[] manifestBytes(byte[] onnx) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes((JsonNode) manifest(onnx));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot serialise the bundle manifest", ex);
    }
  }

  /**
   * Writes {@code router.onnx} and {@code manifest.json} into a directory (created if needed),
   * each through a temporary file and an atomic rename.
   *
   * @param dir the bundle directory
   * @throws UncheckedIOException if a file cannot be written; the message names it
   */
  public void write(Path dir) {
    byte[] onnx = onnxBytes();
    byte[] manifest = manifestBytes(onnx);
    try {
      Files.createDirectories(dir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot create the bundle directory " + dir
          + "; check the path and permissions", ex);
    }
    writeAtomically(dir.resolve(ROUTER_FILE), onnx);
    if (result.encoderTop().isPresent()) {
      writeAtomically(dir.resolve(ENCODER_TOP_FILE), result.encoderTop().get().onnx());
    } else {
      // A frozen-encoder bundle written over a fine-tuned one must not keep its layers.
      try {
        Files.deleteIfExists(dir.resolve(ENCODER_TOP_FILE));
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot remove the stale " + dir.resolve(
            ENCODER_TOP_FILE) + "; check permissions", ex);
      }
    }
    // The manifest last: it names the other files' checksums.
    writeAtomically(dir.resolve(MANIFEST_FILE), manifest);
  }

  private static void writeAtomically(Path file, byte[] bytes) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(),
          file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, bytes);
        try {
          // Temporary files are private (0600); a bundle is meant to be read by others.
          Files.setPosixFilePermissions(tmp,
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ex) {
          // Not a POSIX file system: keep its defaults.
        }
        try {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException ex) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + file + "; check permissions and disk"
          + " space", ex);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
    }
  }

  /**
   * Options of a {@link BundleExporter}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private OutcomeLog log;
    private TrainResult result;
    private Instant createdAt;
    private String id;
    private String version;

    private Builder() {}

    /**
     * The outcome log the router was trained on (candidates, mean costs).
     *
     * @param log the log
     * @return this builder
     */
    public Builder log(OutcomeLog log) {
      if (this.log != null) {
        throw new IllegalStateException("log was already set");
      }
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * The training result to export.
     *
     * @param result the result
     * @return this builder
     */
    public Builder result(TrainResult result) {
      if (this.result != null) {
        throw new IllegalStateException("result was already set");
      }
      this.result = Objects.requireNonNull(result, "result");
      return this;
    }

    /**
     * The manifest's {@code createdAt}. Default: {@code SOURCE_DATE_EPOCH} when set, else the
     * time of {@link #build()}, to the second.
     *
     * @param instant the instant
     * @return this builder
     */
    public Builder createdAt(Instant instant) {
      if (this.createdAt != null) {
        throw new IllegalStateException("createdAt was already set to " + this.createdAt);
      }
      this.createdAt = Objects.requireNonNull(instant, "instant");
      return this;
    }

    /**
     * The bundle id. Default {@code haps-<benchmark>}.
     *
     * @param id a non-blank id
     * @return this builder
     */
    public Builder id(String id) {
      if (this.id != null) {
        throw new IllegalStateException("id was already set to " + this.id);
      }
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("bundle id must not be blank");
      }
      this.id = id;
      return this;
    }

    /**
     * The bundle version. Default {@code 1}.
     *
     * @param version a non-blank version
     * @return this builder
     */
    public Builder version(String version) {
      if (this.version != null) {
        throw new IllegalStateException("version was already set to " + this.version);
      }
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("bundle version must not be blank");
      }
      this.version = version;
      return this;
    }

    /**
     * Builds the exporter.
     *
     * @return the exporter
     * @throws IllegalStateException if the log or the result is missing, or the log is not the
     *     one the result was trained on
     */
    public BundleExporter build() {
      if (log == null || result == null) {
        throw new IllegalStateException("set both log(...) and result(...) before build()");
      }
      if (!log.sha256().equals(result.dataSha256())) {
        throw new IllegalStateException("the log (sha256 " + log.sha256().substring(0, 12)
            + ") is not the data the result was trained on (" + result.dataSha256()
            .substring(0, 12) + "); pass the same log");
      }
      return new BundleExporter(this);
    }
  }
}
