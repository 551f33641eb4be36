package dev.haps.eval;

import dev.haps.data.tradeoff.RouterMetrics;
import dev.haps.data.tradeoff.TradeoffPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the evaluation measured for one router.
 *
 * @param name the router's name, e.g. {@code haps}, {@code knn}
 * @param kind {@code haps} for bundles (the main one and the named ablations), {@code baseline}
 *     for the simple routers, {@code reference} for the oracle
 * @param description how the router was built (for a baseline: its tuned hyper-parameters)
 * @param metrics the headline numbers over all queries
 * @param gapClosed95 95 % bootstrap interval of {@code metrics().gapClosed()} over resamples of
 *     the evaluated queries
 * @param points one point per cost weight, in grid order
 * @param perTask the same figures per task, in task order; unmodifiable
 * @param sharePerModel fraction of all decisions (every query at every cost weight) per model;
 *     unmodifiable
 * @since 0.1.0
 */
public record RouterResult(
    String name,
    String kind,
    String description,
    RouterMetrics metrics,
    GapInterval gapClosed95,
    List<SweepPoint> points,
    Map<String, TaskResult> perTask,
    Map<String, Double> sharePerModel) {

  /** Copies the collections. */
  public RouterResult {
    java.util.Objects.requireNonNull(gapClosed95, "gapClosed95");
    points = List.copyOf(points);
    perTask = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perTask));
    sharePerModel =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sharePerModel));
  }

  /**
   * The points as plain cost/quality points.
   *
   * @return one point per cost weight
   */
  public List<TradeoffPoint> tradeoffPoints() {
    List<TradeoffPoint> out = new ArrayList<>(points.size());
    for (SweepPoint p : points) {
      out.add(new TradeoffPoint(p.meanCost(), p.meanScore()));
    }
    return out;
  }
}
