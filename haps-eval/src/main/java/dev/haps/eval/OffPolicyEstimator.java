package dev.haps.eval;

import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IPS, SNIPS and DR estimates of a target policy's mean reward, score and cost from logged
 * bandit rows, with percentile bootstrap intervals (the same resamples for every estimator).
 *
 * <pre>
 *   w_i   = π(a_i | x_i) / p_i
 *   IPS   = (1/n) Σ w_i y_i
 *   SNIPS = Σ w_i y_i / Σ w_i
 *   DR    = (1/n) Σ [ Σ_a π(a | x_i) ŷ(x_i, a)  +  w_i (y_i − ŷ(x_i, a_i)) ]
 *   gain  = DR − (1/n) Σ y_i   (paired: the same resamples for both terms)
 * </pre>
 */
final class OffPolicyEstimator {

  /** Bootstrap resamples. */
  static final int RESAMPLES = 1000;

  private OffPolicyEstimator() {}

  static OffPolicyReport estimate(String candidate, List<LoggedRow> rows,
      BundlePolicy.Row[] target, CostTradeoff tradeoff, boolean directModel, int resamples,
      long seed) {
    int n = rows.size();
    if (n == 0) {
      throw new IllegalArgumentException("the feedback log has no bandit rows (calls logged with"
          + " a propensity, answered by the routed action); nothing to evaluate");
    }
    // Per row and quantity (0 reward, 1 score, 2 cost): observed y, direct model at the logged
    // action, and the direct model's expectation under the target.
    double[][] y = new double[3][n];
    double[][] hat = new double[3][n];
    double[][] dm = new double[3][n];
    double[] w = new double[n];
    int matched = 0;
    double minP = 1;
    Map<String, int[]> support = new LinkedHashMap<>(); // model -> {logged rows, target greedy}
    for (int i = 0; i < n; i++) {
      LoggedRow r = rows.get(i);
      BundlePolicy.Row t = target[i];
      y[0][i] = tradeoff.reward(r.score(), r.costUsd(), r.costWeight());
      y[1][i] = r.score();
      y[2][i] = r.costUsd();
      int a = t.indexOf(r.model(), r.params());
      double pi = a < 0 ? 0 : t.pi()[a];
      w[i] = pi / r.propensity();
      if (a == 0) {
        matched++;
      }
      minP = Math.min(minP, r.propensity());
      for (int j = 0; j < t.pi().length; j++) {
        dm[0][i] += t.pi()[j] * t.reward()[j];
        dm[1][i] += t.pi()[j] * t.score()[j];
        dm[2][i] += t.pi()[j] * t.costUsd()[j];
      }
      if (a >= 0) {
        hat[0][i] = t.reward()[a];
        hat[1][i] = t.score()[a];
        hat[2][i] = t.costUsd()[a];
      }
      support.computeIfAbsent(r.model(), k -> new int[2])[0]++;
      support.computeIfAbsent(t.greedyModel(), k -> new int[2])[1]++;
    }
    double sw = 0;
    double sw2 = 0;
    for (double v : w) {
      sw += v;
      sw2 += v * v;
    }
    double ess = sw2 == 0 ? 0 : sw * sw / sw2;

    String[] names = {"ips", "snips", "dr", "gain"};
    // Bootstrap: resample b draws row indices from its own generator.
    double[][][] boot = new double[names.length + 1][3][resamples];
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double[][] full = values(all, y, hat, dm, w);
    for (int b = 0; b < resamples; b++) {
      double[][] v = values(Bootstrap.draw(seed, b, n), y, hat, dm, w);
      for (int e = 0; e < names.length + 1; e++) {
        for (int q = 0; q < 3; q++) {
          boot[e][q][b] = v[e][q];
        }
      }
    }
    Map<String, OffPolicyReport.Estimates> est = new LinkedHashMap<>();
    for (int e = 0; e < 3; e++) {
      est.put(names[e], estimates(full[e], boot[e]));
    }
    OffPolicyReport.Estimates gain = estimates(full[3], boot[3]);
    OffPolicyReport.Estimates logged = estimates(full[names.length], boot[names.length]);

    List<String> warnings = new ArrayList<>();
    if (ess < 0.05 * n || ess < 30) {
      warnings.add(String.format(Locale.ROOT, "effective sample size %.1f of %d rows: the"
          + " candidate rarely takes the logged actions, so the estimates are uncertain", ess, n));
    }
    for (Map.Entry<String, int[]> e : support.entrySet()) {
      int logged1 = e.getValue()[0];
      int chosen = e.getValue()[1];
      if (chosen >= Math.max(1, 0.01 * n) && logged1 < Math.max(10, 0.1 * chosen)) {
        warnings.add(String.format(Locale.ROOT, "the candidate's greedy choice is %s on %d of %d"
            + " rows, but the log took it only %d times: the logging policy barely supports"
            + " this choice (explore more, or log longer)", e.getKey(), chosen, n, logged1));
      }
    }
    if (!directModel) {
      warnings.add("the candidate has no value heads: DR uses no direct model and equals IPS");
    }
    return new OffPolicyReport(candidate, n, matched, ess, minP, est, logged, gain, directModel,
        warnings);
  }

  /** [estimator ips/snips/dr/gain/logged][reward/score/cost] over the drawn rows. */
  private static double[][] values(int[] draw, double[][] y, double[][] hat, double[][] dm,
      double[] w) {
    double[][] out = new double[5][3];
    double m = draw.length;
    for (int q = 0; q < 3; q++) {
      double ips = 0;
      double snNum = 0;
      double snDen = 0;
      double dr = 0;
      double lg = 0;
      for (int i : draw) {
        ips += w[i] * y[q][i];
        snNum += w[i] * y[q][i];
        snDen += w[i];
        dr += dm[q][i] + w[i] * (y[q][i] - hat[q][i]);
        lg += y[q][i];
      }
      out[0][q] = ips / m;
      out[1][q] = snDen > 0 ? snNum / snDen : Double.NaN;
      out[2][q] = dr / m;
      out[3][q] = (dr - lg) / m;
      out[4][q] = lg / m;
    }
    return out;
  }

  private static OffPolicyReport.Estimates estimates(double[] point, double[][] boot) {
    return new OffPolicyReport.Estimates(interval(point[0], boot[0]),
        interval(point[1], boot[1]), interval(point[2], boot[2]));
  }

  private static OffPolicyReport.Interval interval(double value, double[] samples) {
    double[] lh = Bootstrap.interval95(samples);
    return lh.length == 0
        ? new OffPolicyReport.Interval(value, Double.NaN, Double.NaN)
        : new OffPolicyReport.Interval(value, lh[0], lh[1]);
  }
}
