package dev.haps.train.model;

/**
 * One split of an outcome log as dense arrays: input rows and, per configuration, the recorded
 * score and cost.
 *
 * @param n the number of queries
 * @param baseDim width of an input row without the cost weight (embedding + features)
 * @param x {@code n × baseDim}, row-major
 * @param score {@code n × G}: the score of configuration g on query i; NaN when the query has no
 *     outcome of that model
 * @param cost {@code n × G}: the cost in cost-scale units (USD / costScale); NaN as above
 * @param exact {@code n × G}: whether the outcome was recorded for exactly this configuration
 *     (false when it was looked up from the nearest recorded configuration); only exact outcomes
 *     are training targets
 * @param configurations G
 * @param weight {@code n × G}: the loss weight of each exact outcome (1 for full-information
 *     rows; for bandit rows as {@code TrainOptions.banditTargets} decides)
 * @param propensity per row, the probability with which the logged action of a bandit row was
 *     taken; NaN for a full-information row (every configuration recorded)
 * @since 0.1.0
 */
public record SplitTable(
    int n, int baseDim, double[] x, double[] score, double[] cost, boolean[] exact,
    int configurations, double[] weight, double[] propensity) {

  /**
   * Checks the array sizes.
   *
   * @throws IllegalArgumentException on a size mismatch
   */
  public SplitTable {
    if (x.length != n * baseDim || score.length != n * configurations
        || cost.length != n * configurations || exact.length != n * configurations
        || weight.length != n * configurations || propensity.length != n) {
      throw new IllegalArgumentException("split table arrays do not match n=" + n + ", baseDim="
          + baseDim + ", G=" + configurations);
    }
  }

  /**
   * A full-information table: every weight 1, no propensities.
   *
   * @param n the number of queries
   * @param baseDim width of an input row
   * @param x the inputs
   * @param score the scores
   * @param cost the costs
   * @param exact which outcomes are exact
   * @param configurations G
   */
  public SplitTable(int n, int baseDim, double[] x, double[] score, double[] cost,
      boolean[] exact, int configurations) {
    this(n, baseDim, x, score, cost, exact, configurations, ones(n * configurations),
        nans(n));
  }

  private static double[] ones(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, 1.0);
    return a;
  }

  private static double[] nans(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, Double.NaN);
    return a;
  }

  /**
   * Whether row {@code i} is bandit feedback (one logged action with its propensity).
   *
   * @param i the row
   * @return {@code true} for a bandit row
   */
  public boolean bandit(int i) {
    return !Double.isNaN(propensity[i]);
  }
}
