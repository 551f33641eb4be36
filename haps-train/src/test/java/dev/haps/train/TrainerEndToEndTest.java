package dev.haps.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.testing.SharedData;
import dev.haps.data.Split;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.Truncation;
import dev.haps.train.embed.EmbeddingStore;
import dev.haps.train.model.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains small routers on a subset of concise-cot (120 train and 60 valid queries, a few steps)
 * and checks the bundle: it loads in ONNX Runtime and in {@link HapsRouter}, routes as the Java
 * model does, and identical runs give identical bytes.
 */
class TrainerEndToEndTest {

  @TempDir static Path cache;
  static OutcomeLog subset;
  static OnnxQueryEncoder encoder;

  @BeforeAll
  static void setUp() {
    OutcomeLog full = OutcomeLog.load(SharedData.benchmark("concise-cot").orElseThrow());
    List<QueryRecord> recs = new ArrayList<>();
    recs.addAll(full.records(Split.TRAIN).subList(0, 120));
    recs.addAll(full.records(Split.VALID).subList(0, 60));
    subset = OutcomeLog.of(full.candidates(), recs);
    encoder = OnnxQueryEncoder.builder().defaultModel().maxTokens(64)
        .truncation(Truncation.TAIL).build();
  }

  @AfterAll
  static void tearDown() {
    encoder.close();
  }

  private static TrainOptions.Builder smallOptions() {
    return TrainOptions.builder().linearPath(false).ensemble(2).hiddenSizes(32).epochs(3)
        .rlSteps(10).validateEvery(5);
  }

  private static Trainer.Builder small(TrainOptions.Builder options) {
    return Trainer.builder().log(subset).encoder(encoder).cacheDir(cache)
        .options(options.build()).createdAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static Trainer.Builder small() {
    return small(smallOptions());
  }

  @Test
  void train_writesABundleThatOnnxRuntimeAndHapsRouterLoad(@TempDir Path out) throws Exception {
    TrainResult r = small().output(out).build().train();
    assertThat(r.bundle()).contains(out);
    assertThat(out.resolve("router.onnx")).isRegularFile();
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(m.path("format").asText()).isEqualTo("haps-router-bundle");
    assertThat(m.path("encoder").path("truncation").asText()).isEqualTo("tail");
    assertThat(m.path("encoder").path("maxTokens").asInt()).isEqualTo(64);
    assertThat(m.path("encoder").path("sha256").asText()).isEqualTo(encoder.info().sha256());
    assertThat(m.path("training").path("dataSha256").asText()).isEqualTo(subset.sha256());
    assertThat(m.path("training").path("seed").asLong()).isEqualTo(42);
    assertThat(m.path("candidates").get(1).path("provider").asText()).isEqualTo("openai");
    assertThat(m.path("candidates").get(1).path("output").asText()).isEqualTo("params_1");
    assertThat(m.path("validation").path("aiq").asDouble()).isEqualTo(r.validMetric());

    // ONNX Runtime gives the Java model's logits, HapsRouter its decisions.
    assertRoutesAsJava(r, out, 1e-5, true);
  }

  /** The cross-validated recipe, small: 3 folds, a 32-unit residual for 3 epochs. */
  private static TrainOptions.Builder cvOptions() {
    return TrainOptions.builder().hiddenSizes(32).epochs(3).cvFolds(3);
  }

  @Test
  void crossValidatedRecipe_writesItsEstimateAndRoutesInOnnxAsInJava(@TempDir Path out)
      throws Exception {
    List<String> status = new ArrayList<>();
    TrainResult r = Trainer.builder().log(subset).encoder(encoder).cacheDir(cache)
        .options(cvOptions().residualScale(0.5).ensemble(2).build())
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .listener(new TrainingListener() {
          @Override
          public void status(String message) {
            status.add(message);
          }
        }).output(out).build().train();
    CvEstimate cv = r.crossValidation().orElseThrow();
    assertThat(cv.folds()).isEqualTo(3);
    assertThat(cv.foldGapClosed()).hasSize(3);
    assertThat(cv.alphas()).containsExactly(10.0, 20.0, 30.0, 50.0, 100.0);
    assertThat(cv.alphas()).contains(cv.alpha());
    assertThat(cv.gamma()).isEqualTo(0.5);
    // The log names several tasks: every α was also fitted with task-balancing weights.
    assertThat(cv.tasks()).isGreaterThan(1);
    assertThat(cv.balancedAlphaCurve()).hasSize(5).allSatisfy(v -> assertThat(v).isFinite());
    // And with the score slopes at rank 1.
    assertThat(cv.reducedRankAlphaCurves()).containsOnlyKeys(1);
    assertThat(cv.reducedRankAlphaCurves().get(1)).hasSize(5)
        .allSatisfy(v -> assertThat(v).isFinite());
    assertThat(cv.rank()).isIn(0, 1);
    assertThat(cv.pooledLow()).isLessThanOrEqualTo(cv.pooledGapClosed());
    assertThat(cv.pooledHigh()).isGreaterThanOrEqualTo(cv.pooledGapClosed());
    assertThat(r.model().members()).allSatisfy(m -> assertThat(m.linearPath()).isPresent());
    assertThat(status).anySatisfy(l -> assertThat(l).startsWith("cross-validation: alpha"));

    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    JsonNode j = m.path("training").path("crossValidation");
    assertThat(j.path("folds").asInt()).isEqualTo(3);
    assertThat(j.path("alpha").asDouble()).isEqualTo(cv.alpha());
    assertThat(j.path("gapClosed").path("pooled").asDouble()).isEqualTo(cv.pooledGapClosed());
    assertThat(j.path("gapClosed").path("pooled95")).hasSize(2);
    assertThat(j.path("curves").path("gammas")).hasSize(1);
    assertThat(j.path("taskBalanced").isBoolean()).isTrue();
    assertThat(j.path("taskBalanced").asBoolean()).isEqualTo(cv.taskBalanced());
    assertThat(j.path("curves").path("alphaCriterionTaskBalanced")).hasSize(5);
    assertThat(j.path("rank").asInt()).isEqualTo(cv.rank());
    assertThat(j.path("curves").path("alphaCriterionReducedRank").path("1")).hasSize(5);
    assertThat(m.path("validation").path("inSample").asBoolean()).isTrue();

    // The exported graph (linear path Gemm + residual) gives the Java model's logits.
    assertRoutesAsJava(r, out, 1e-4, false);
  }

  @Test
  void crossValidatedRecipe_oneTaskLog_hasNoTaskBalancingCandidates() {
    List<QueryRecord> one = new ArrayList<>();
    for (QueryRecord q : subset.records()) {
      one.add(new QueryRecord(q.id(), "all", q.split(), q.query(), q.answer(), q.outcomes()));
    }
    TrainResult r = Trainer.builder().log(OutcomeLog.of(subset.candidates(), one))
        .encoder(encoder).cacheDir(cache).options(cvOptions().residualScale(0).build())
        .createdAt(Instant.parse("2026-01-01T00:00:00Z")).build().train();
    CvEstimate cv = r.crossValidation().orElseThrow();
    assertThat(cv.tasks()).isEqualTo(1);
    assertThat(cv.taskBalanced()).isFalse();
    assertThat(cv.balancedAlphaCurve()).isEmpty();
    assertThat(cv.alphaCurve()).hasSize(5);
  }

  @Test
  void crossValidatedRecipe_sameBytesWhateverTheThreadCount(@TempDir Path a, @TempDir Path b)
      throws Exception {
    small(cvOptions().threads(2)).output(a).build().train();
    small(cvOptions().threads(1)).output(b).build().train();
    for (String f : List.of("router.onnx", "manifest.json")) {
      assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
  }

  @Test
  void crossValidatedRecipe_refusesAPolicyGradientPhase() {
    assertThatThrownBy(() -> small(cvOptions().rlSteps(10)).build().train())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rlSteps 10 needs linearPath=false");
  }

  @Test
  void train_sameSeedGivesIdenticalBundleBytesWhateverTheThreadCount(@TempDir Path a,
      @TempDir Path b, @TempDir Path c) throws Exception {
    small(smallOptions().threads(2)).output(a).build().train();
    small(smallOptions().threads(1)).output(b).build().train();
    small(smallOptions().seed(7)).output(c).build().train();
    for (String f : List.of("router.onnx", "manifest.json")) {
      assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
    assertThat(Files.readAllBytes(c.resolve("router.onnx")))
        .isNotEqualTo(Files.readAllBytes(a.resolve("router.onnx")));
  }

  @Test
  void train_policyHeadsAndAblationsProduceLoadableBundles(@TempDir Path p, @TempDir Path q)
      throws Exception {
    small(smallOptions().head(HeadKind.POLICY).failureAugmentation(true)).output(p).build()
        .train();
    small(smallOptions().parameterSharing(false).lowLevelRouter(false).warmupOnly(true))
        .output(q).build().train();
    for (Path dir : List.of(p, q)) {
      try (HapsRouter router = HapsRouter.builder().bundle(dir).encoder(encoder).build()) {
        RouteDecision d = router.route(RouteRequest.of("Topic: Math\nQuestion: 2+2?", 0.3));
        assertThat(List.of("gpt-35-turbo", "gpt-4")).contains(d.model());
      }
    }
    // Without the low-level router every model runs with its default style.
    JsonNode m = new ObjectMapper().readTree(q.resolve("manifest.json").toFile());
    assertThat(m.path("training").path("configurations")).hasSize(2);
    assertThat(m.path("training").path("hyperParameters").path("parameterSharing").asBoolean())
        .isFalse();
  }

  // Issue 16.2: a log without any cost trains cost-blind and the bundle states no cost.
  @Test
  void train_logWithoutCosts_isCostBlindAndStatesNoCost(@TempDir Path out) throws Exception {
    List<QueryRecord> stripped = new ArrayList<>();
    for (QueryRecord q : subset.records()) {
      List<Outcome> outs = new ArrayList<>();
      for (Outcome o : q.outcomes()) {
        outs.add(Outcome.of(o.model(), o.params(), o.score(), Double.NaN));
      }
      stripped.add(new QueryRecord(q.id(), q.task(), q.split(), q.query(), q.answer(), outs));
    }
    OutcomeLog noCosts = OutcomeLog.of(subset.candidates(), stripped);
    assertThat(noCosts.costs().none()).isTrue();
    List<String> status = new ArrayList<>();
    Trainer.builder().log(noCosts).encoder(encoder).cacheDir(cache)
        .options(TrainOptions.builder().linearPath(false).hiddenSizes(32).epochs(2).rlSteps(0)
            .validateEvery(5)
            .build())
        .listener(new TrainingListener() {
          @Override
          public void status(String message) {
            status.add(message);
          }
        }).output(out).build().train();

    assertThat(status).anySatisfy(m -> assertThat(m).startsWith("notice: no outcome of"
        + " concise-cot has a cost").contains("training cost-blind"));
    JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(m.path("io").path("expectedCost").isNull()).isTrue();
    for (JsonNode c : m.path("candidates")) {
      assertThat(c.path("meanCostUsd").isNull()).as(c.toString()).isTrue();
    }
    try (HapsRouter router = HapsRouter.builder().bundle(out).encoder(encoder).build()) {
      RouteDecision d = router.route(RouteRequest.of("Topic: Math\nQuestion: 2+2?", 1.0));
      assertThat(d.ranking()).allSatisfy(a -> assertThat(a.expectedCostUsd()).isNaN());
    }
  }

  // Issue 16.10: the message says which split is missing and what to mark.
  @Test
  void train_noValidSplit_saysWhatToMark() {
    OutcomeLog trainOnly = OutcomeLog.of(subset.candidates(), subset.records(Split.TRAIN));
    assertThatThrownBy(() -> Trainer.builder().log(trainOnly).encoder(encoder).build().train())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outcome log concise-cot has no valid query (and 120 train) (120 queries in"
            + " all, 0 test, which training never reads); training needs both splits: mark"
            + " about one in five queries \"split\": \"valid\" (checkpoints are chosen on them)"
            + " (docs/training.md, 'Splits')");
    OutcomeLog validOnly = OutcomeLog.of(subset.candidates(), subset.records(Split.VALID));
    assertThatThrownBy(() -> Trainer.builder().log(validOnly).encoder(encoder).build().train())
        .hasMessageContaining("has no train query (and 60 valid)")
        .hasMessageContaining("mark most queries \"split\": \"train\"");
  }

  // Issue 16.14: the warm-up of value heads reports a loss, and says so.
  @Test
  void train_progress_namesTheValidationFigure() {
    List<String> seen = new ArrayList<>();
    small().listener(new TrainingListener() {
      @Override
      public void training(String phase, int member, int members, int step, int steps,
          String metric, double validValue, double bestValue) {
        seen.add(phase + ":" + metric + ":" + (bestValue >= 0));
      }
    }).build().train();
    assertThat(seen).contains("warmup:valid loss:true", "rl:valid AIQ:true")
        .allSatisfy(s -> assertThat(s).matches("(warmup:valid loss|rl:valid AIQ):.*"));
  }

  @Test
  void build_rejectsConflictingOptions() {
    assertThatThrownBy(() -> Trainer.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("set exactly one data");
    assertThatThrownBy(() -> TrainOptions.builder().seed(1).seed(2))
        .isInstanceOf(IllegalStateException.class).hasMessage("seed was already set");
    assertThatThrownBy(() -> Trainer.builder().log(subset).encoder(encoder)
        .options(TrainOptions.builder().maxTokens(32).build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("default encoder");
    assertThatThrownBy(() -> TrainOptions.builder().ensemble(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ensemble must be at least 1, got 0");
  }

  /**
   * On the valid queries, ONNX Runtime's logits of the exported {@code router.onnx} equal the
   * Java model's within {@code relTol} (relative, at least absolute), and HapsRouter picks the
   * model the Java model picks (and its parameters, with {@code withParams}).
   */
  private static void assertRoutesAsJava(TrainResult r, Path out, double relTol,
      boolean withParams) throws Exception {
    List<String> texts = new ArrayList<>();
    for (QueryRecord q : subset.records(Split.VALID)) {
      texts.add(q.query());
    }
    float[][] emb = EmbeddingStore.open(encoder, cache).embed(texts);
    float[][] cw = new float[emb.length][1];
    double[] cwd = new double[emb.length];
    for (int i = 0; i < cw.length; i++) {
      cwd[i] = cw[i][0] = (float) (i % 21 / 20.0);
    }
    TrainedModel.Outputs java = r.model().infer(emb, new float[emb.length][0], cwd);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(Files.readAllBytes(out.resolve("router.onnx")));
        OnnxTensor te = OnnxTensor.createTensor(env, emb);
        OnnxTensor tc = OnnxTensor.createTensor(env, cw);
        OrtSession.Result res = s.run(Map.of("embedding", te, "cost_weight", tc))) {
      float[][] logits = (float[][]) res.get("model_logits").orElseThrow().getValue();
      for (int i = 0; i < logits.length; i++) {
        for (int k = 0; k < logits[i].length; k++) {
          assertThat((double) logits[i][k]).isCloseTo(java.logits()[i][k],
              org.assertj.core.data.Offset.offset(relTol * Math.max(1, Math.abs(logits[i][k]))));
        }
      }
    }
    try (HapsRouter router = HapsRouter.builder().bundle(out).encoder(encoder).build()) {
      for (int i = 0; i < texts.size(); i += 7) {
        RouteDecision d = router.route(RouteRequest.of(texts.get(i), cwd[i]));
        TrainedModel.Decision mine = r.model().decide(java, i);
        assertThat(d.model()).isEqualTo(r.model().candidates().get(mine.candidate()).model());
        if (withParams) {
          assertThat(d.parameters()).isEqualTo(mine.params());
        }
      }
    }
  }
}
