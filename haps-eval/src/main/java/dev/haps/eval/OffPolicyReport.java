package dev.haps.eval;

import java.util.List;
import java.util.Map;

/**
 * What off-policy evaluation says about a candidate router on logged bandit traffic: its
 * estimated mean reward, score and cost under each estimator with 95 % bootstrap intervals, the
 * observed value of the logging policies on the same rows, and how far the log supports the
 * candidate's choices.
 *
 * @param candidate the candidate bundle (source)
 * @param rows bandit rows used (fallbacks excluded)
 * @param matched rows whose logged action is the candidate's greedy choice
 * @param effectiveSampleSize {@code (Σw)² / Σw²} of the importance weights {@code π(a|x)/p}
 * @param minPropensity the smallest logged propensity
 * @param estimates by estimator name ({@code ips}, {@code snips}, {@code dr}): reward, score
 *     and cost
 * @param logged the logging policies' observed mean reward, score and cost on these rows
 * @param gain the DR estimate minus the observed value, per resample on the same rows (a paired
 *     comparison with what the logging policy got); on rows logged by one policy, the
 *     candidate's estimated improvement over that policy
 * @param directModel whether the candidate has value heads (otherwise DR equals IPS)
 * @param warnings support and sample-size warnings, empty when none
 * @since 0.1.0
 */
public record OffPolicyReport(String candidate, int rows, int matched,
    double effectiveSampleSize, double minPropensity, Map<String, Estimates> estimates,
    Estimates logged, Estimates gain, boolean directModel, List<String> warnings) {

  /**
   * Copies the collections.
   *
   * @throws NullPointerException if a collection is null
   */
  public OffPolicyReport {
    estimates = Map.copyOf(estimates);
    warnings = List.copyOf(warnings);
  }

  /**
   * One estimate with its 95 % bootstrap interval.
   *
   * @param value the point estimate
   * @param low the 2.5 % percentile
   * @param high the 97.5 % percentile
   * @since 0.1.0
   */
  public record Interval(double value, double low, double high) {

    /**
     * Whether the interval holds a value.
     *
     * @param x the value
     * @return {@code low ≤ x ≤ high}
     */
    public boolean covers(double x) {
      return x >= low && x <= high;
    }
  }

  /**
   * Reward, score and cost of one estimator.
   *
   * @param reward the mean reward {@code score − λ(w)·cost/costScale} at the logged cost
   *     weights
   * @param score the mean score
   * @param costUsd the mean cost per call in USD
   * @since 0.1.0
   */
  public record Estimates(Interval reward, Interval score, Interval costUsd) {}

  /**
   * The doubly robust estimate.
   *
   * @return the estimates of {@code dr}
   */
  public Estimates dr() {
    return estimates.get("dr");
  }
}
