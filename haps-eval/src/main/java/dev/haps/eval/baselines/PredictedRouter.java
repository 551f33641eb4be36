package dev.haps.eval.baselines;

import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.EvalRouter;
import dev.haps.eval.routing.OutcomeTable;

/**
 * Routes from predicted per-configuration scores and costs: at a cost weight, the allowed
 * configuration with the best predicted reward {@code score − λ · cost / costScale}; ties go to
 * the cheaper prediction, then the lower index.
 */
final class PredictedRouter implements EvalRouter {

  private final String name;
  private final String description;
  private final OutcomeTable table;
  private final double[][] score;
  private final double[][] cost;
  private final int[] allowed;
  private final CostTradeoff tradeoff;

  PredictedRouter(
      String name,
      String description,
      OutcomeTable table,
      double[][] score,
      double[][] cost,
      int[] allowed,
      CostTradeoff tradeoff) {
    this.name = name;
    this.description = description;
    this.table = table;
    this.score = score;
    this.cost = cost;
    this.allowed = allowed;
    this.tradeoff = tradeoff;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  int choose(int q, double costWeight) {
    double lambda = tradeoff.lambda(costWeight) / tradeoff.costScale();
    int best = -1;
    double bestR = Double.NEGATIVE_INFINITY;
    for (int c : allowed) {
      double r = score[q][c] - lambda * cost[q][c];
      if (best < 0 || r > bestR || (r == bestR && cost[q][c] < cost[q][best])) {
        best = c;
        bestR = r;
      }
    }
    return best;
  }

  @Override
  public Decision decide(int query, double costWeight) {
    return Decision.of(table.configurations().get(choose(query, costWeight)));
  }
}
