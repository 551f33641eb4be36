package dev.haps.eval;

import java.util.Map;

/**
 * A router's operating point at one cost weight of the sweep.
 *
 * @param costWeight the cost weight
 * @param meanCost mean cost per query of the chosen outcomes, USD
 * @param meanScore mean score of the chosen outcomes
 * @param sharePerModel fraction of the queries sent to each model (models never chosen are
 *     absent); unmodifiable
 * @since 0.1.0
 */
public record SweepPoint(
    double costWeight, double meanCost, double meanScore, Map<String, Double> sharePerModel) {

  /** Copies the share map. */
  public SweepPoint {
    sharePerModel = Map.copyOf(sharePerModel);
  }
}
