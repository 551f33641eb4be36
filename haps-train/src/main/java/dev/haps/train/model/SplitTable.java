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
 * @since 0.1.0
 */
public record SplitTable(
    int n, int baseDim, double[] x, double[] score, double[] cost, boolean[] exact,
    int configurations) {

  /**
   * Checks the array sizes.
   *
   * @throws IllegalArgumentException on a size mismatch
   */
  public SplitTable {
    if (x.length != n * baseDim || score.length != n * configurations
        || cost.length != n * configurations || exact.length != n * configurations) {
      throw new IllegalArgumentException("split table arrays do not match n=" + n + ", baseDim="
          + baseDim + ", G=" + configurations);
    }
  }
}
