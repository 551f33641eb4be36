package dev.haps.data.tradeoff;

/**
 * The one mapping from a request's cost weight to the reward's λ, shared by the trainer, every
 * baseline and the evaluation sweep, so that all routers are compared on the same trade-offs.
 *
 * <p>Reward of an outcome: {@code score − λ(costWeight) · costUsd / costScale}. λ grows
 * geometrically with the cost weight: a linear grid would spend most of a 21-point sweep where
 * only the cheapest models are worth calling.
 *
 * @param lambdaMin λ at cost weight just above 0
 * @param lambdaMax λ at cost weight 1
 * @param costScale the cost unit in USD (the mean cost of the most expensive fixed configuration
 *     on the training split)
 * @since 0.1.0
 */
public record CostTradeoff(double lambdaMin, double lambdaMax, double costScale) {

  /** Default λ at the low end of the grid. */
  public static final double DEFAULT_LAMBDA_MIN = 0.01;

  /** Default λ at cost weight 1. */
  public static final double DEFAULT_LAMBDA_MAX = 10.0;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException unless 0 &lt; lambdaMin &lt; lambdaMax and costScale &gt; 0
   */
  public CostTradeoff {
    if (!(lambdaMin > 0 && lambdaMax > lambdaMin && Double.isFinite(lambdaMax))) {
      throw new IllegalArgumentException(
          "need 0 < lambdaMin < lambdaMax, got " + lambdaMin + ", " + lambdaMax);
    }
    if (!(costScale > 0 && Double.isFinite(costScale))) {
      throw new IllegalArgumentException("costScale must be positive, got " + costScale);
    }
  }

  /**
   * The default mapping for a given cost scale.
   *
   * @param costScale the cost unit in USD
   * @return the mapping
   */
  public static CostTradeoff withCostScale(double costScale) {
    return new CostTradeoff(DEFAULT_LAMBDA_MIN, DEFAULT_LAMBDA_MAX, costScale);
  }

  /**
   * λ for a cost weight: 0 at weight 0, else {@code lambdaMin · (lambdaMax/lambdaMin)^w}.
   *
   * @param costWeight in [0, 1]
   * @return λ
   */
  public double lambda(double costWeight) {
    if (!(costWeight >= 0 && costWeight <= 1)) {
      throw new IllegalArgumentException("cost weight " + costWeight + " is outside [0, 1]");
    }
    return costWeight == 0 ? 0 : lambdaMin * Math.pow(lambdaMax / lambdaMin, costWeight);
  }

  /**
   * The reward of an outcome at a cost weight.
   *
   * @param score in [0, 1]
   * @param costUsd the outcome's cost (NaN is treated as 0)
   * @param costWeight in [0, 1]
   * @return {@code score − λ · cost / costScale}
   */
  public double reward(double score, double costUsd, double costWeight) {
    double c = Double.isNaN(costUsd) ? 0 : costUsd;
    return score - lambda(costWeight) * c / costScale;
  }

  /**
   * The evaluation grid: {@code n} cost weights evenly spaced from 0 to 1.
   *
   * @param n at least 2 (the standard sweep uses 21)
   * @return the weights
   */
  public static double[] grid(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("grid needs at least 2 points, got " + n);
    }
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = (double) i / (n - 1);
    }
    return g;
  }
}
