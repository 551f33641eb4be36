package dev.haps.eval;

import dev.haps.data.tradeoff.RouterMetrics;
import java.util.List;

/**
 * A router's figures on the queries of one task, measured against that task's own yardstick
 * (its fixed configurations and oracle on the same queries).
 *
 * @param task the task name
 * @param queries how many queries of the evaluated split belong to the task
 * @param metrics AIQ, gap closed and the best-single comparisons on the task
 * @param points the sweep's points on the task's queries
 * @since 0.1.0
 */
public record TaskResult(String task, int queries, RouterMetrics metrics, List<SweepPoint> points) {

  /** Copies the points. */
  public TaskResult {
    points = List.copyOf(points);
  }
}
