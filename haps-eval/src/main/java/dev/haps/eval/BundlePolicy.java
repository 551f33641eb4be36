package dev.haps.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.haps.api.Exploration;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle as a target policy for off-policy evaluation: per logged row, its (explored)
 * probability of every action and, for value heads, its own predicted reward, score and cost of
 * every action, read from the network's logits ({@code utility = τ·logit}) and expected costs.
 */
final class BundlePolicy implements AutoCloseable {

  private static final int BATCH = 512;

  private final RouterBundle bundle;
  private final Exploration exploration;
  private final HapsRouter router;
  private final boolean valueHeads;
  private final double tau;
  private final CostTradeoff own;

  /** One row: the ranked actions, the target's probabilities and the direct model. */
  record Row(List<RankedCandidate> ranking, double[] pi, double[] reward, double[] score,
      double[] costUsd) {

    int indexOf(String model, ParameterValues params) {
      for (int i = 0; i < ranking.size(); i++) {
        if (ranking.get(i).model().equals(model) && ranking.get(i).parameters().equals(params)) {
          return i;
        }
      }
      return -1;
    }

    /** The greedy action's model. */
    String greedyModel() {
      return ranking.get(0).model();
    }
  }

  BundlePolicy(RouterBundle bundle, Exploration exploration, FixedEncoder encoder) {
    this.bundle = bundle;
    this.exploration = exploration;
    this.router = HapsRouter.builder().bundle(bundle).encoder(encoder)
        .cache(CacheSettings.disabled()).build();
    Object hp = bundle.training().get("hyperParameters");
    this.valueHeads = hp instanceof Map<?, ?> m && "value".equals(m.get("head"))
        && bundle.ioNames().containsKey("expectedCost");
    this.tau = bundle.utilityScale();
    Object ct = bundle.training().get("costTradeoff");
    CostTradeoff t = CostTradeoff.withCostScale(bundle.costScale());
    if (ct instanceof Map<?, ?> m && m.get("lambdaMin") instanceof Number lo
        && m.get("lambdaMax") instanceof Number hi) {
      t = new CostTradeoff(lo.doubleValue(), hi.doubleValue(), bundle.costScale());
    }
    this.own = t;
  }

  boolean hasDirectModel() {
    return valueHeads;
  }

  RouterBundle bundle() {
    return bundle;
  }

  /** Scores every row: embeddings, cost weights; rewards under {@code tradeoff}. */
  Row[] rows(float[][] emb, double[] costWeights, CostTradeoff tradeoff) {
    int n = emb.length;
    Row[] out = new Row[n];
    float[][] logits = new float[n][];
    float[][] cost = new float[n][];
    if (valueHeads) {
      raw(emb, costWeights, logits, cost);
    }
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < bundle.candidates().size(); k++) {
      index.put(bundle.candidates().get(k).model(), k);
    }
    for (int i = 0; i < n; i++) {
      RouteDecision d = router.routeEmbedding(emb[i], RouteRequest.builder().query("q")
          .costWeight(costWeights[i]).exploration(Exploration.none()).build());
      List<RankedCandidate> ranking = d.ranking();
      double[] pi = exploration.probabilities(ranking, tau);
      int a = ranking.size();
      double[] r = new double[a];
      double[] s = new double[a];
      double[] c = new double[a];
      if (valueHeads) {
        double lb = own.lambda(costWeights[i]);
        double lt = tradeoff.lambda(costWeights[i]);
        for (int j = 0; j < a; j++) {
          int k = index.get(ranking.get(j).model());
          c[j] = cost[i][k];
          s[j] = Math.max(0, Math.min(1, tau * logits[i][k] + lb * c[j] / own.costScale()));
          r[j] = s[j] - lt * c[j] / tradeoff.costScale();
        }
      }
      out[i] = new Row(ranking, pi, r, s, c);
    }
    return out;
  }

  private void raw(float[][] emb, double[] w, float[][] logits, float[][] cost) {
    Map<String, String> io = bundle.ioNames();
    int e = emb[0].length;
    int k = bundle.candidates().size();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(bundle.routerOnnx(), opts)) {
        for (int from = 0; from < emb.length; from += BATCH) {
          int m = Math.min(BATCH, emb.length - from);
          float[] x = new float[m * e];
          float[] cw = new float[m];
          for (int i = 0; i < m; i++) {
            System.arraycopy(emb[from + i], 0, x, i * e, e);
            cw[i] = (float) w[from + i];
          }
          try (OnnxTensor tx = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                  new long[] {m, e});
              OnnxTensor tw = OnnxTensor.createTensor(env, FloatBuffer.wrap(cw),
                  new long[] {m, 1});
              OrtSession.Result res = session.run(Map.of(io.get("embedding"), tx,
                  io.get("costWeight"), tw), java.util.Set.of(io.get("logits"),
                  io.get("expectedCost")))) {
            float[][] l = (float[][]) res.get(io.get("logits")).orElseThrow().getValue();
            float[][] c = (float[][]) res.get(io.get("expectedCost")).orElseThrow().getValue();
            for (int i = 0; i < m; i++) {
              logits[from + i] = l[i];
              cost[from + i] = c[i];
              if (l[i].length != k) {
                throw new IllegalStateException("logits row has " + l[i].length + " values");
              }
            }
          }
        }
      }
    } catch (OrtException ex) {
      throw new ConfigurationException("cannot run " + bundle.source() + " for off-policy"
          + " evaluation: " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() {
    router.close();
  }
}
