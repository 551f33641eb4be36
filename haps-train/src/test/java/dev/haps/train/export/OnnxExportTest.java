package dev.haps.train.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.onnx.OnnxModel;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.NetworkSpec;
import dev.haps.train.model.PolicyObjective;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.ValueObjective;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported {@code router.onnx}, run by ONNX Runtime, equals {@link TrainedModel#infer} on
 * 1,000 random inputs: every output within 1e-5 (relative to the value's magnitude above 1,
 * the precision of float32 arithmetic).
 */
class OnnxExportTest {

  private static final int E = 16;

  /** The heads under test, each with its objective. */
  enum Head {
    VALUE(new ValueObjective(0.1, 1, 0, 1, 0.01, true)),
    POLICY(new PolicyObjective(1, 0.01));

    final TrainingObjective objective;

    Head(TrainingObjective objective) {
      this.objective = objective;
    }
  }

  static List<CandidateOutputs> candidates() {
    List<CandidateOutputs> c = new ArrayList<>();
    c.add(new CandidateOutputs("plain", ParameterSpace.empty(), List.of(ParameterValues.empty())));
    CategoricalSpec style = CategoricalSpec.of("style", "a", "a", "b", "c");
    List<ParameterValues> styles = new ArrayList<>();
    for (String s : List.of("a", "b", "c")) {
      styles.add(ParameterValues.of(Map.of("style", s)));
    }
    c.add(new CandidateOutputs("styled", ParameterSpace.of(style), styles));
    ParameterSpace mixed = ParameterSpace.of(FloatSpec.of("temperature", 0, 2, 1),
        IntSpec.of("max_tokens", 16, 4096, 512), CategoricalSpec.of("effort", "low", "low",
            "high"));
    List<ParameterValues> mixedConfigs = List.of(
        ParameterValues.of(Map.of("temperature", 0.0, "max_tokens", 16L, "effort", "low")),
        ParameterValues.of(Map.of("temperature", 0.7, "max_tokens", 512L, "effort", "high")),
        ParameterValues.of(Map.of("temperature", 2.0, "max_tokens", 4096L, "effort", "low")));
    c.add(new CandidateOutputs("mixed", mixed, mixedConfigs));
    // A candidate with parameters but one configuration: no generator under policy heads.
    c.add(new CandidateOutputs("single", ParameterSpace.of(style),
        List.of(ParameterValues.of(Map.of("style", "b")))));
    return c;
  }

  static TrainedModel model(Head head, boolean shared, int members, int features,
      boolean cwInput, int gen, long seed) {
    return model(head, shared, members, features, cwInput, gen, seed, new int[] {12, 8});
  }

  static TrainedModel model(Head head, boolean shared, int members, int features,
      boolean cwInput, int gen, long seed, int[] hidden) {
    List<CandidateOutputs> cands = candidates();
    int k = cands.size();
    int[] width = new int[k];
    int[][] numeric = new int[k][];
    for (int c = 0; c < k; c++) {
      CandidateOutputs co = cands.get(c);
      if (head == Head.VALUE) {
        width[c] = 2 * co.configs().size();
      } else {
        width[c] = co.configs().size() > 1 ? co.slots() : 0;
      }
      numeric[c] = new int[0];
    }
    NetworkSpec spec = new NetworkSpec(E + features + (cwInput ? 1 : 0), cwInput,
        hidden, gen, shared, head == Head.POLICY, width, numeric);
    Rng rng = new Rng(seed);
    List<HapsNetwork> nets = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      HapsNetwork n = new HapsNetwork(spec, rng.split());
      double[] p = n.parameters();
      for (int i = 0; i < p.length; i++) {
        p[i] += 0.3 * rng.gaussian();
      }
      n.setParameters(p);
      nets.add(n);
    }
    return new TrainedModel(head.objective, nets, cands, CostTradeoff.withCostScale(0.07), E,
        features, true);
  }

  @ParameterizedTest(name = "{0} shared={1} members={2} features={3} cwInput={4} gen={5} "
      + "hidden={6}")
  @CsvSource({
    "VALUE, true, 1, 0, false, 0, 12",
    "VALUE, true, 4, 0, false, 0, 12",
    "VALUE, true, 3, 2, false, 0, 12;8",
    "VALUE, false, 2, 2, true, 5, 12;8",
    "VALUE, false, 3, 0, false, 3, 10;7;6",
    "VALUE, true, 2, 0, false, 0, ''",
    "POLICY, true, 1, 0, true, 0, 12;8",
    "POLICY, false, 3, 2, true, 4, 12;8"
  })
  void onnxRuntime_matchesJavaForward(Head head, boolean shared, int members, int features,
      boolean cwInput, int gen, String hidden) throws Exception {
    TrainedModel model = model(head, shared, members, features, cwInput, gen, 7, sizes(hidden));
    byte[] onnx = OnnxGraph.bytes(model, Map.of("test", "1"));
    int n = 1000;
    Rng r = new Rng(99);
    float[][] emb = new float[n][E];
    float[][] feats = new float[n][features];
    float[][] cw = new float[n][1];
    double[] cwd = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < E; j++) {
        emb[i][j] = (float) r.gaussian();
      }
      for (int j = 0; j < features; j++) {
        feats[i][j] = (float) r.uniform();
      }
      // Grid points (0 included) and random weights.
      cw[i][0] = i % 3 == 0 ? (float) ((i / 3) % 21 / 20.0) : (float) r.uniform();
      cwd[i] = cw[i][0];
    }
    TrainedModel.Outputs expected = model.infer(emb, feats, cwd);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx, opts)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      try (OnnxTensor te = OnnxTensor.createTensor(env, emb);
          OnnxTensor tc = OnnxTensor.createTensor(env, cw);
          OnnxTensor tf = features > 0 ? OnnxTensor.createTensor(env, feats) : null) {
        in.put(OnnxGraph.EMBEDDING, te);
        in.put(OnnxGraph.COST_WEIGHT, tc);
        if (tf != null) {
          in.put(OnnxGraph.FEATURES, tf);
        }
        try (OrtSession.Result res = session.run(in)) {
          float[][] logits = (float[][]) res.get(OnnxGraph.LOGITS).orElseThrow().getValue();
          assertClose("model_logits", logits, expected.logits());
          for (int c = 0; c < model.candidates().size(); c++) {
            if (model.candidates().get(c).slots() == 0) {
              assertThat(res.get(OnnxGraph.paramsOutput(c))).isEmpty();
              continue;
            }
            float[][] p = (float[][]) res.get(OnnxGraph.paramsOutput(c)).orElseThrow()
                .getValue();
            assertClose("params_" + c, p, expected.params()[c]);
          }
          if (head == Head.VALUE) {
            float[][] ec = (float[][]) res.get(OnnxGraph.EXPECTED_COST).orElseThrow()
                .getValue();
            assertClose("expected_cost", ec, expected.expectedCostUsd());
          } else {
            assertThat(res.get(OnnxGraph.EXPECTED_COST)).isEmpty();
          }
        }
      }
    }
  }

  private static int[] sizes(String hidden) {
    if (hidden == null || hidden.isBlank()) {
      return new int[0];
    }
    return java.util.Arrays.stream(hidden.split(";")).mapToInt(Integer::parseInt).toArray();
  }

  @Test
  void valueGraph_nodeCountDoesNotGrowWithMembers() {
    // ONNX Runtime charges per node; the fused value graph keeps one path whatever the ensemble.
    int one = OnnxModel.parse(OnnxGraph.bytes(model(Head.VALUE, true, 1, 0, false, 0, 7,
        new int[] {12}), Map.of())).opTypes().size();
    int four = OnnxModel.parse(OnnxGraph.bytes(model(Head.VALUE, true, 4, 0, false, 0, 7,
        new int[] {12}), Map.of())).opTypes().size();
    assertThat(four).as("nodes with 4 members vs 1 (+ Reshape/ReduceMean per mean)")
        .isEqualTo(one + 4);
    // 4 candidates here: 2 nodes each for their parameters, ~24 for the rest.
    assertThat(four).isLessThanOrEqualTo(36);
  }

  private static void assertClose(String what, float[][] actual, double[][] expected) {
    assertThat(actual.length).as(what + " rows").isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i].length).as(what + " width").isEqualTo(expected[i].length);
      for (int j = 0; j < actual[i].length; j++) {
        double tol = 1e-5 * Math.max(1, Math.abs(expected[i][j]));
        assertThat((double) actual[i][j]).as("%s[%d][%d]", what, i, j)
            .isCloseTo(expected[i][j], org.assertj.core.data.Offset.offset(tol));
      }
    }
  }
}
