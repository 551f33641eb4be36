package dev.haps.eval;

import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.Configuration;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.RouterMetrics;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a router's per-query choices over the grid into its {@link RouterResult}: points, hull
 * metrics, per-task figures and model shares. Holds the yardsticks (overall and per task), which
 * every router shares.
 */
final class Scoring {

  private final OutcomeTable table;
  private final double[] grid;
  private final Yardstick yardstick;
  private final List<String> tasks;
  private final Map<String, int[]> taskQueries = new LinkedHashMap<>();
  private final Map<String, Yardstick> taskYardsticks = new LinkedHashMap<>();

  Scoring(OutcomeTable table, double[] grid, CostTradeoff tradeoff) {
    this.table = table;
    this.grid = grid.clone();
    this.yardstick = table.yardstick(grid, tradeoff);
    this.tasks = table.tasks();
    for (String t : tasks) {
      int[] qs = table.queriesOf(t);
      taskQueries.put(t, qs);
      taskYardsticks.put(t, table.subset(qs).yardstick(grid, tradeoff));
    }
  }

  Yardstick yardstick() {
    return yardstick;
  }

  Map<String, Yardstick> taskYardsticks() {
    return taskYardsticks;
  }

  Map<String, int[]> taskQueries() {
    return taskQueries;
  }

  /**
   * Scores choices.
   *
   * @param choices [grid index][query] configuration indices
   * @param gapClosed95 the bootstrap interval of its gap closed
   */
  RouterResult score(String name, String kind, String description, int[][] choices,
      GapInterval gapClosed95) {
    List<SweepPoint> points = points(choices, allQueries());
    RouterMetrics metrics = yardstick.measure(tradeoff(points));
    Map<String, TaskResult> perTask = new LinkedHashMap<>();
    for (String t : tasks) {
      int[] qs = taskQueries.get(t);
      List<SweepPoint> tp = points(choices, qs);
      perTask.put(t, new TaskResult(t, qs.length, taskYardsticks.get(t).measure(tradeoff(tp)), tp));
    }
    Map<String, Double> share = share(choices, allQueries());
    return new RouterResult(name, kind, description, metrics, gapClosed95, points, perTask,
        share);
  }

  private int[] allQueries() {
    int[] all = new int[table.size()];
    for (int q = 0; q < all.length; q++) {
      all[q] = q;
    }
    return all;
  }

  private List<SweepPoint> points(int[][] choices, int[] queries) {
    List<SweepPoint> out = new ArrayList<>(grid.length);
    for (int w = 0; w < grid.length; w++) {
      double s = 0;
      double c = 0;
      for (int q : queries) {
        int k = choices[w][q];
        s += table.score(q, k);
        c += table.cost(q, k);
      }
      int[][] one = {choices[w]};
      out.add(
          new SweepPoint(
              grid[w], c / queries.length, s / queries.length, share(one, queries)));
    }
    return out;
  }

  private Map<String, Double> share(int[][] choices, int[] queries) {
    Map<String, Integer> counts = new TreeMap<>();
    int total = 0;
    for (int[] row : choices) {
      for (int q : queries) {
        counts.merge(table.configurations().get(row[q]).model(), 1, Integer::sum);
        total++;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    // Candidate order, not alphabetical, so tables line up across routers.
    for (Configuration c : table.configurations()) {
      Integer n = counts.get(c.model());
      if (n != null && !out.containsKey(c.model())) {
        out.put(c.model(), (double) n / total);
      }
    }
    return out;
  }

  static List<TradeoffPoint> tradeoff(List<SweepPoint> points) {
    List<TradeoffPoint> out = new ArrayList<>(points.size());
    for (SweepPoint p : points) {
      out.add(new TradeoffPoint(p.meanCost(), p.meanScore()));
    }
    return out;
  }
}
