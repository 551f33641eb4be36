package dev.haps.train.export;

import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.LayerView;
import dev.haps.train.model.NetworkSpec;
import dev.haps.train.model.PolicyObjective;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.ValueObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link TrainedModel} as {@code router.onnx}, with the input and output names of the
 * bundle contract ({@code docs/bundle-format.md}). Policy heads are written member by member;
 * value heads as one fused graph ({@link FusedValueGraph}).
 *
 * @since 0.1.0
 */
public final class OnnxGraph {

  /** Input: the query embedding, {@code [N, E]}. */
  public static final String EMBEDDING = "embedding";
  /** Input: the cost weight, {@code [N, 1]}. */
  public static final String COST_WEIGHT = "cost_weight";
  /** Input: the query features, {@code [N, F]} (only when F &gt; 0). */
  public static final String FEATURES = "features";
  /** Output: the model logits, {@code [N, K]}. */
  public static final String LOGITS = "model_logits";
  /** Output of value heads: the expected cost of each candidate, USD, {@code [N, K]}. */
  public static final String EXPECTED_COST = "expected_cost";

  private final TrainedModel model;
  private final OnnxModelBuilder g = OnnxModelBuilder.create();
  private int names;

  OnnxGraph(TrainedModel model) {
    this.model = model;
  }

  /**
   * The ONNX bytes of a trained model.
   *
   * @param model the model
   * @param metadata metadata properties, written in map order
   * @return {@code router.onnx}
   */
  public static byte[] bytes(TrainedModel model, Map<String, String> metadata) {
    return new OnnxGraph(model).build(metadata);
  }

  /**
   * The name of candidate {@code k}'s parameter output.
   *
   * @param k the candidate index
   * @return {@code params_k}
   */
  public static String paramsOutput(int k) {
    return "params_" + k;
  }

  private String fresh(String base) {
    return base + "_" + (names++);
  }

  private String constant(String base, float[] data, long... dims) {
    String n = fresh(base);
    g.initializer(n, data, dims);
    return n;
  }

  byte[] build(Map<String, String> metadata) {
    metadata.forEach(g::metadata);
    g.producer("haps-train", "0.1.0").graphName("haps_router");
    int e = model.embeddingDim();
    int f = model.featureDim();
    int k = model.candidates().size();
    g.input(EMBEDDING, -1, e);
    g.input(COST_WEIGHT, -1, 1);
    if (f > 0) {
      g.input(FEATURES, -1, f);
    }
    NetworkSpec spec = model.members().get(0).spec();
    String x = EMBEDDING;
    List<String> parts = new ArrayList<>();
    parts.add(EMBEDDING);
    if (f > 0) {
      parts.add(FEATURES);
    }
    if (spec.costWeightInput()) {
      parts.add(COST_WEIGHT);
    }
    if (parts.size() > 1) {
      x = "trunk_input";
      g.concat(x, 1, parts.toArray(new String[0]));
    }
    int inWidth = e + f + (spec.costWeightInput() ? 1 : 0);
    String input = x;
    model.objective().accept(new TrainingObjective.Visitor<Void>() {
      @Override
      public Void value(ValueObjective o) {
        new FusedValueGraph(model, o.temperature(), g, input, inWidth).build();
        return null;
      }

      @Override
      public Void policy(PolicyObjective o) {
        List<MemberOutputs> outs = new ArrayList<>();
        for (int m = 0; m < model.members().size(); m++) {
          outs.add(member(model.members().get(m), m, input));
        }
        policyHead(outs, k);
        return null;
      }
    });
    return g.toBytes();
  }

  private record MemberOutputs(String logits, String[] gen) {}

  private MemberOutputs member(HapsNetwork net, int m, String x) {
    LayerView v = LayerView.of(net);
    int k = v.candidates();
    String[] reps = new String[v.trunkCount()];
    for (int t = 0; t < reps.length; t++) {
      reps[t] = mlp(v.trunk(t), x, "m" + m + "_trunk" + t);
    }
    String[] gen = new String[k];
    for (int c = 0; c < k; c++) {
      if (v.generatorOut(c) == null) {
        continue;
      }
      String h = mlp(v.generatorHidden(c), reps[v.trunkOf(c)], "m" + m + "_gen" + c);
      gen[c] = dense(v.generatorOut(c), h, "m" + m + "_gen" + c + "_out");
    }
    String logits = null;
    if (v.policyHead() != null) {
      logits = dense(v.policyHead(), reps[v.policyTrunk()], "m" + m + "_policy");
    }
    return new MemberOutputs(logits, gen);
  }

  private String mlp(List<LayerView.Layer> layers, String x, String base) {
    String h = x;
    for (int l = 0; l < layers.size(); l++) {
      String z = dense(layers.get(l), h, base + "_l" + l);
      String r = z + "_relu";
      g.relu(z, r);
      h = r;
    }
    return h;
  }

  private String dense(LayerView.Layer layer, String x, String base) {
    String w = constant(base + "_W", layer.weights(), layer.in(), layer.out());
    String b = constant(base + "_b", layer.bias(), layer.out());
    String y = fresh(base + "_y");
    g.gemm(x, w, b, y, false);
    return y;
  }

  /** Mean over members of one value per member (identity for a single member). */
  private String mean(List<String> values, String base) {
    if (values.size() == 1) {
      return values.get(0);
    }
    String sum = fresh(base + "_sum");
    g.node("Sum", values, List.of(sum));
    String out = fresh(base + "_mean");
    g.mul(sum, constant(base + "_inv", new float[] {1f / values.size()}), out);
    return out;
  }

  private void policyHead(List<MemberOutputs> outs, int k) {
    List<String> logits = new ArrayList<>();
    for (MemberOutputs o : outs) {
      logits.add(o.logits());
    }
    g.identity(mean(logits, "logits"), LOGITS);
    g.output(LOGITS, -1, k);
    for (int c = 0; c < k; c++) {
      CandidateOutputs co = model.candidates().get(c);
      int p = co.slots();
      if (p == 0) {
        continue;
      }
      String out = paramsOutput(c);
      if (outs.get(0).gen()[c] == null) {
        // One configuration: a constant row, broadcast to the batch through the cost weight.
        String zeros = constant("zeros" + c, new float[p], 1, p);
        String row = constant("config" + c, toFloat(model.configurationEncodings(c)[0]), 1, p);
        String z = fresh("batch_zeros" + c);
        g.mul(COST_WEIGHT, zeros, z);
        g.add(z, row, out);
      } else {
        List<String> raws = new ArrayList<>();
        for (MemberOutputs o : outs) {
          raws.add(o.gen()[c]);
        }
        g.identity(mean(raws, "params" + c), out);
      }
      g.output(out, -1, p);
    }
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
