package dev.haps.data.tradeoff;

import java.util.OptionalDouble;

/**
 * A router's headline numbers against a {@link Yardstick}.
 *
 * @param aiq area under the router's hull over the yardstick's cost range, divided by the range
 * @param gapClosed {@code (aiq − aiqFixed) / (aiqOracle − aiqFixed)}; {@code NaN} when the oracle
 *     does not beat the fixed configurations
 * @param scoreAtBestSingleCost the router's hull at the best single configuration's cost; {@code
 *     NaN} when the router's hull starts at a higher cost
 * @param costToMatchBestSingle the smallest cost at which the router's hull reaches the best
 *     single configuration's score; {@code NaN} when it never does
 * @since 0.1.0
 */
public record RouterMetrics(
    double aiq, double gapClosed, double scoreAtBestSingleCost, double costToMatchBestSingle) {

  /**
   * {@link #costToMatchBestSingle()} as an optional.
   *
   * @return the cost, or empty when the router never matches the best single configuration
   */
  public OptionalDouble costToMatch() {
    return Double.isNaN(costToMatchBestSingle)
        ? OptionalDouble.empty()
        : OptionalDouble.of(costToMatchBestSingle);
  }
}
