package dev.haps.train.export;

import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.HeadKind;
import dev.haps.train.model.LayerView;
import dev.haps.train.model.NetworkSpec;
import dev.haps.train.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link TrainedModel} as an ONNX graph with the bundle contract's names. */
final class OnnxGraph {

  static final String EMBEDDING = "embedding";
  static final String COST_WEIGHT = "cost_weight";
  static final String FEATURES = "features";
  static final String LOGITS = "model_logits";
  static final String EXPECTED_COST = "expected_cost";

  private final TrainedModel model;
  private final OnnxModelBuilder g = OnnxModelBuilder.create();
  private int names;

  OnnxGraph(TrainedModel model) {
    this.model = model;
  }

  static String paramsOutput(int k) {
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
    List<MemberOutputs> outs = new ArrayList<>();
    for (int m = 0; m < model.members().size(); m++) {
      outs.add(member(model.members().get(m), m, x));
    }
    if (model.head() == HeadKind.POLICY) {
      policyHead(outs, k);
    } else {
      valueHead(outs, k);
    }
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

  private void valueHead(List<MemberOutputs> outs, int k) {
    // λ(w) = λmin · exp(w · ln(λmax/λmin)) · sign(w): 0 at w = 0, as CostTradeoff.lambda.
    var t = model.tradeoff();
    String scaled = fresh("cw_scaled");
    g.mul(COST_WEIGHT, constant("log_ratio",
        new float[] {(float) Math.log(t.lambdaMax() / t.lambdaMin())}), scaled);
    String ex = fresh("cw_exp");
    g.exp(scaled, ex);
    String lmin = fresh("lambda_pos");
    g.mul(ex, constant("lambda_min", new float[] {(float) t.lambdaMin()}), lmin);
    String sign = fresh("cw_sign");
    g.node("Sign", List.of(COST_WEIGHT), List.of(sign));
    String lambda = "lambda";
    g.mul(lmin, sign, lambda);

    List<String> best = new ArrayList<>();
    List<String> costs = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      CandidateOutputs co = model.candidates().get(c);
      int cc = co.configs().size();
      List<String> qs = new ArrayList<>();
      List<String> es = new ArrayList<>();
      for (MemberOutputs o : outs) {
        String zq = fresh("zq" + c);
        String zc = fresh("zc" + c);
        g.slice(o.gen()[c], zq, new long[] {0}, new long[] {cc}, new long[] {1});
        g.slice(o.gen()[c], zc, new long[] {cc}, new long[] {2L * cc}, new long[] {1});
        String q = fresh("q" + c);
        g.sigmoid(zq, q);
        String ec = fresh("c" + c);
        g.exp(zc, ec);
        qs.add(q);
        es.add(ec);
      }
      String q = mean(qs, "q" + c);
      String cost = mean(es, "c" + c);
      String penalty = fresh("penalty" + c);
      g.mul(lambda, cost, penalty);
      String u = "utility_" + c;
      g.sub(q, penalty, u);
      String mx = fresh("best" + c);
      g.node("ReduceMax", List.of(u), List.of(mx), Map.of("axes", new long[] {1}, "keepdims", 1L));
      best.add(mx);
      String onehot = fresh("choice" + c);
      g.node("Hardmax", List.of(u), List.of(onehot), Map.of("axis", 1L));
      String picked = fresh("picked_cost" + c);
      g.mul(onehot, cost, picked);
      String ec = fresh("expected_cost" + c);
      g.matMul(picked, constant("ones" + c, ones(cc), cc, 1), ec);
      costs.add(ec);
      int p = co.slots();
      if (p > 0) {
        double[][] enc = model.configurationEncodings(c);
        float[] m = new float[cc * p];
        for (int j = 0; j < cc; j++) {
          for (int s = 0; s < p; s++) {
            m[j * p + s] = (float) enc[j][s];
          }
        }
        String out = paramsOutput(c);
        g.matMul(onehot, constant("encodings" + c, m, cc, p), out);
        g.output(out, -1, p);
      }
    }
    String allBest = fresh("best_all");
    g.concat(allBest, 1, best.toArray(new String[0]));
    g.div(allBest, constant("temperature", new float[] {(float) model.temperature()}), LOGITS);
    g.output(LOGITS, -1, k);
    String allCost = fresh("cost_all");
    g.concat(allCost, 1, costs.toArray(new String[0]));
    g.mul(allCost, constant("cost_scale", new float[] {(float) t.costScale()}), EXPECTED_COST);
    g.output(EXPECTED_COST, -1, k);
  }

  private static float[] ones(int n) {
    float[] o = new float[n];
    java.util.Arrays.fill(o, 1f);
    return o;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
