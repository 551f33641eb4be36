package dev.haps.data.tradeoff;

/**
 * One point on the cost/quality plane: a mean cost per query and a mean score.
 *
 * @param cost mean cost per query, USD; finite
 * @param score mean score, normally in [0, 1]; finite
 * @since 0.1.0
 */
public record TradeoffPoint(double cost, double score) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if either value is not finite
   */
  public TradeoffPoint {
    if (!Double.isFinite(cost) || !Double.isFinite(score)) {
      throw new IllegalArgumentException(
          "a cost/quality point needs a finite cost and score, got cost "
              + cost
              + " and score "
              + score
              + "; drop or repair the point before building a hull");
    }
  }
}
