package dev.haps.cli;

import dev.haps.runtime.RouterBundle;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.Map;

/** The cost/quality mapping a bundle was trained with, so baselines are judged on the same one. */
final class Tradeoffs {

  private Tradeoffs() {}

  /**
   * The bundle's mapping: its manifest's {@code costScale}, and λ bounds from its training record
   * when it has them ({@code lambdaMin}, {@code lambdaMax} under {@code costTradeoff}, {@code
   * hyperParameters} or at the top); otherwise {@link CostTradeoff}'s defaults. Without a usable cost scale,
   * {@code fallbackCostScale}.
   */
  static CostTradeoff of(RouterBundle bundle, double fallbackCostScale) {
    double scale = bundle.costScale() > 0 && Double.isFinite(bundle.costScale())
        ? bundle.costScale() : fallbackCostScale;
    Map<String, Object> training = bundle.training();
    double min = number(training, "lambdaMin", CostTradeoff.DEFAULT_LAMBDA_MIN);
    double max = number(training, "lambdaMax", CostTradeoff.DEFAULT_LAMBDA_MAX);
    return new CostTradeoff(min, max, scale);
  }

  private static double number(Map<String, Object> training, String key, double fallback) {
    for (String section : new String[] {"costTradeoff", "hyperParameters"}) {
      Object s = training.get(section);
      if (s instanceof Map && ((Map<?, ?>) s).get(key) instanceof Number) {
        return finite(((Number) ((Map<?, ?>) s).get(key)).doubleValue(), fallback);
      }
    }
    Object v = training.get(key);
    return v instanceof Number ? finite(((Number) v).doubleValue(), fallback) : fallback;
  }

  private static double finite(double v, double fallback) {
    return Double.isFinite(v) ? v : fallback;
  }
}
