package dev.haps.data.tradeoff;

import java.util.Collection;
import java.util.Objects;

/**
 * What every router on one data set is measured against: the common cost range, the hull of the
 * single fixed configurations, the oracle's hull and the best single configuration.
 *
 * <ul>
 *   <li>The common cost range is [mean cost of the cheapest fixed configuration, mean cost of the
 *       most expensive one].
 *   <li>The best single configuration has the highest mean score; a tie goes to the cheaper one.
 *   <li>AIQ of any hull is {@link Hull#aiq(double, double)} over that range: flat beyond the
 *       hull's last vertex, zero left of its first vertex.
 * </ul>
 *
 * @param lo the cheapest fixed configuration's mean cost
 * @param hi the most expensive fixed configuration's mean cost
 * @param fixed the hull of the fixed configurations' points
 * @param oracle the hull of the oracle's swept points
 * @param bestSingle the best single configuration's point
 * @param aiqFixed the fixed hull's AIQ
 * @param aiqOracle the oracle hull's AIQ
 * @since 0.1.0
 */
public record Yardstick(
    double lo,
    double hi,
    Hull fixed,
    Hull oracle,
    TradeoffPoint bestSingle,
    double aiqFixed,
    double aiqOracle) {

  /**
   * Builds the yardstick from the fixed configurations' points and the oracle's swept points.
   *
   * @param fixedConfigurations one point per fixed (model, parameters) configuration
   * @param oraclePoints the oracle's points, one per cost weight
   * @return the yardstick
   * @throws IllegalArgumentException if either collection is empty
   */
  public static Yardstick of(
      Collection<TradeoffPoint> fixedConfigurations, Collection<TradeoffPoint> oraclePoints) {
    Objects.requireNonNull(fixedConfigurations, "fixedConfigurations");
    Objects.requireNonNull(oraclePoints, "oraclePoints");
    if (fixedConfigurations.isEmpty()) {
      throw new IllegalArgumentException(
          "a yardstick needs at least one fixed configuration point, got none");
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    TradeoffPoint best = null;
    for (TradeoffPoint p : fixedConfigurations) {
      lo = Math.min(lo, p.cost());
      hi = Math.max(hi, p.cost());
      if (best == null
          || p.score() > best.score()
          || (p.score() == best.score() && p.cost() < best.cost())) {
        best = p;
      }
    }
    Hull fixed = Hull.of(fixedConfigurations);
    Hull oracle = Hull.of(oraclePoints);
    return new Yardstick(
        lo, hi, fixed, oracle, best, fixed.aiq(lo, hi), oracle.aiq(lo, hi));
  }

  /**
   * AIQ of a hull over this yardstick's cost range.
   *
   * @param hull the hull
   * @return its AIQ
   */
  public double aiq(Hull hull) {
    return hull.aiq(lo, hi);
  }

  /**
   * Gap closed for an AIQ: 0 at the fixed hull, 1 at the oracle.
   *
   * @param aiq a router's AIQ
   * @return {@code (aiq − aiqFixed) / (aiqOracle − aiqFixed)}, or {@code NaN} when the oracle's
   *     AIQ does not exceed the fixed hull's
   */
  public double gapClosed(double aiq) {
    double den = aiqOracle - aiqFixed;
    return den > 0 ? (aiq - aiqFixed) / den : Double.NaN;
  }

  /**
   * All headline numbers for a router's swept points.
   *
   * @param routerPoints the router's points, one per cost weight (order does not matter)
   * @return the metrics
   * @throws IllegalArgumentException if {@code routerPoints} is empty
   */
  public RouterMetrics measure(Collection<TradeoffPoint> routerPoints) {
    return measure(Hull.of(routerPoints));
  }

  /**
   * All headline numbers for a router's hull.
   *
   * @param hull the router's hull
   * @return the metrics
   */
  public RouterMetrics measure(Hull hull) {
    double aiq = aiq(hull);
    return new RouterMetrics(
        aiq,
        gapClosed(aiq),
        hull.valueAt(bestSingle.cost()),
        hull.costToReach(bestSingle.score()).orElse(Double.NaN));
  }
}
