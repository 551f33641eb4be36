package dev.haps.eval;

import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bootstrap of gap closed: the evaluated queries are resampled with replacement, and on each
 * resample the fixed configurations, the oracle and every router's swept points are measured
 * again from the routers' recorded choices (routers are not re-run). All routers share the
 * resamples, so differences between them are paired. Resample {@code b} draws from its own
 * {@code SplittableRandom(seed, b)}, so the result does not depend on threads.
 */
final class Bootstrap {

  /** Resamples per evaluation. */
  static final int RESAMPLES = 1000;

  private final double[][] gaps; // [router][resample], NaN where the yardstick is degenerate

  private Bootstrap(double[][] gaps) {
    this.gaps = gaps;
  }

  /**
   * Runs the bootstrap.
   *
   * @param table the evaluated queries
   * @param grid the cost weights
   * @param tradeoff the reward mapping
   * @param choices per router, [grid index][query] configuration indices
   * @param resamples how many resamples
   * @param seed the seed
   */
  static Bootstrap run(OutcomeTable table, double[] grid, CostTradeoff tradeoff,
      List<int[][]> choices, int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
    }
    int n = table.size();
    int k = table.configurations().size();
    // The oracle's choice for a query does not depend on which other queries were drawn.
    int[][] oracle = new int[grid.length][];
    for (int w = 0; w < grid.length; w++) {
      oracle[w] = table.oracleChoices(grid[w], tradeoff);
    }
    double[][] gaps = new double[choices.size()][resamples];
    IntStream.range(0, resamples).parallel().forEach(b -> {
      int[] draw = draw(seed, b, n);
      List<TradeoffPoint> fixed = new ArrayList<>(k);
      for (int c = 0; c < k; c++) {
        double s = 0;
        double cost = 0;
        for (int q : draw) {
          s += table.score(q, c);
          cost += table.cost(q, c);
        }
        fixed.add(new TradeoffPoint(cost / n, s / n));
      }
      Yardstick y = Yardstick.of(fixed, points(table, oracle, draw));
      boolean degenerate = !(y.aiqOracle() > y.aiqFixed());
      for (int r = 0; r < choices.size(); r++) {
        gaps[r][b] = degenerate
            ? Double.NaN
            : y.measure(points(table, choices.get(r), draw)).gapClosed();
      }
    });
    return new Bootstrap(gaps);
  }

  // One point per cost weight over the drawn queries (a query drawn twice counts twice).
  private static List<TradeoffPoint> points(OutcomeTable table, int[][] choices, int[] draw) {
    List<TradeoffPoint> pts = new ArrayList<>(choices.length);
    for (int[] c : choices) {
      double s = 0;
      double cost = 0;
      for (int q : draw) {
        s += table.score(q, c[q]);
        cost += table.cost(q, c[q]);
      }
      pts.add(new TradeoffPoint(cost / draw.length, s / draw.length));
    }
    return pts;
  }

  /** The 95 % interval of router {@code r}'s gap closed. */
  GapInterval interval(int r) {
    return percentiles(gaps[r]);
  }

  /** Router {@code a} against router {@code b} on the same resamples. */
  PairedGap paired(int a, String nameA, int b, String nameB) {
    double[] diff = new double[gaps[a].length];
    int ahead = 0;
    int valid = 0;
    for (int s = 0; s < diff.length; s++) {
      diff[s] = gaps[a][s] - gaps[b][s];
      if (!Double.isNaN(diff[s])) {
        valid++;
        if (gaps[a][s] >= gaps[b][s]) {
          ahead++;
        }
      }
    }
    return new PairedGap(nameA, nameB, percentiles(diff),
        valid == 0 ? Double.NaN : (double) ahead / valid);
  }

  private static GapInterval percentiles(double[] values) {
    double[] lh = interval95(values);
    return lh.length == 0
        ? new GapInterval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)
        : new GapInterval(lh[0], lh[1]);
  }

  /**
   * Resample {@code b}'s row indices: {@code n} draws with replacement from its own generator,
   * so that a resample does not depend on threads or on the other resamples.
   */
  static int[] draw(long seed, int b, int n) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + b);
    int[] draw = new int[n];
    for (int i = 0; i < n; i++) {
      draw[i] = rng.nextInt(n);
    }
    return draw;
  }

  /**
   * The nearest-rank 2.5 % and 97.5 % percentiles of the finite values.
   *
   * @return {@code {low, high}}, or an empty array when no value is finite
   */
  static double[] interval95(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (v.length == 0) {
      return new double[0];
    }
    return new double[] {v[rank(0.025, v.length)], v[rank(0.975, v.length)]};
  }

  private static int rank(double p, int n) {
    return Math.min(n - 1, Math.max(0, (int) Math.ceil(p * n) - 1));
  }
}
