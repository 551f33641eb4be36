package dev.haps.eval;

import dev.haps.data.tradeoff.CostTradeoff;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A cold start's exploration aimed at the cost/quality frontier, per cost weight. It explores
 * uniformly until every configuration still explored has {@code minRows} outcomes; from then on
 * (and again each time the smallest count grows by another {@code minRows}) a call with cost
 * weight {@code w} explores uniformly among the configurations whose mean reward at {@code w}
 * (mean score minus the tradeoff's price of the mean cost) is within {@code z} standard errors
 * of the difference from the best configuration's there. A configuration that another one beats
 * at no higher mean cost by more than {@code z} standard errors is not explored at any weight
 * again; one merely behind at every weight now may come back as the others' estimates move.
 *
 * <p>Why: with uniform exploration every configuration gets {@code W/g} outcomes wherever it
 * stands, and the calls at a high cost weight spent on the costliest models teach a router
 * nothing it will use there (docs/learning-loop.md, "Exploration aimed at the frontier"). Each
 * narrowing changes the logging distribution: before the first one the policy id is {@link
 * Promoter#UNIFORM}; after it, the id names the weight and how many configurations remain there
 * ({@code frontier-0.50-3-of-11}); the propensity is {@code 1/k} and may be 1 where one
 * configuration is clearly best (off-policy estimates then rest on the direct model there).
 */
final class FrontierWarmup {

  /** Variance floor of a configuration's score, so that 0/1 scores near 0 or 1 stay honest. */
  private static final double MIN_VARIANCE = 0.02;

  private final int g;
  private final int minRows;
  private final double z;
  private final CostTradeoff tradeoff;
  private final double[] grid;
  private final long[] n;
  private final double[] scoreSum;
  private final double[] scoreSq;
  private final double[] costSum;
  /** Explored per grid weight; null until the first narrowing (uniform over all). */
  private int[][] keptAt;
  private final int[] all;
  /** Not dominated at every weight so far; only shrinks. */
  private int[] front;
  /** Explored at some weight: {@link #all} until the first narrowing, then the union. */
  private int[] explored;
  private long nextCheck;

  /**
   * @param configurations g
   * @param minRows outcomes every configuration still explored needs before a narrowing; 0 =
   *     never narrow (plain uniform exploration)
   * @param z standard errors of the difference a configuration must fall behind to be dropped
   * @param tradeoff the reward of a mean score and a mean cost at a cost weight
   * @param grid the cost weights calls are drawn from
   */
  FrontierWarmup(int configurations, int minRows, double z, CostTradeoff tradeoff,
      double[] grid) {
    this.g = configurations;
    this.minRows = minRows;
    this.z = z;
    this.tradeoff = tradeoff;
    this.grid = grid.clone();
    this.n = new long[g];
    this.scoreSum = new double[g];
    this.scoreSq = new double[g];
    this.costSum = new double[g];
    this.all = new int[g];
    for (int c = 0; c < g; c++) {
      all[c] = c;
    }
    this.front = all;
    this.explored = all;
    this.nextCheck = minRows;
  }

  /** A configuration drawn uniformly from those explored at the grid weight {@code wi}. */
  int draw(SplittableRandom rng, int wi) {
    int[] k = kept(wi);
    return k[rng.nextInt(k.length)];
  }

  /** The probability of each configuration explored at the grid weight {@code wi}. */
  double propensity(int wi) {
    return 1.0 / kept(wi).length;
  }

  /** The logging policy's id at the grid weight {@code wi}: uniform while all are explored. */
  String policy(int wi) {
    int k = kept(wi).length;
    return k == g ? Promoter.UNIFORM
        : String.format(Locale.ROOT, "frontier-%.2f-%d-of-%d", grid[wi], k, g);
  }

  /** The configurations explored at the grid weight {@code wi}, ascending. */
  int[] kept(int wi) {
    return keptAt == null ? all : keptAt[wi];
  }

  /** Records one outcome and narrows when the counts are due. */
  void observe(int c, double score, double cost) {
    n[c]++;
    scoreSum[c] += score;
    scoreSq[c] += score * score;
    costSum[c] += cost;
    if (minRows <= 0) {
      return;
    }
    long least = Long.MAX_VALUE;
    for (int k : explored) {
      least = Math.min(least, n[k]);
    }
    if (least >= nextCheck) {
      nextCheck = least + minRows;
      narrow();
    }
  }

  private void narrow() {
    int[] before = front;
    front = Arrays.stream(before).filter(c -> !dominated(c, before)).toArray();
    int[][] at = new int[grid.length][];
    for (int w = 0; w < grid.length; w++) {
      double wt = grid[w];
      int best = front[0];
      for (int c : front) {
        if (reward(c, wt) > reward(best, wt)) {
          best = c;
        }
      }
      int b = best;
      at[w] = Arrays.stream(front).filter(c -> c == b
          || reward(b, wt) - reward(c, wt) <= z * se(b, c)).toArray();
    }
    keptAt = at;
    explored = Arrays.stream(at).flatMapToInt(Arrays::stream).distinct().sorted().toArray();
  }

  /** Another candidate costs no more on average and scores higher by more than z SE. */
  private boolean dominated(int c, int[] candidates) {
    for (int o : candidates) {
      if (o != c && costSum[o] / n[o] <= costSum[c] / n[c]
          && scoreSum[o] / n[o] - scoreSum[c] / n[c] > z * se(o, c)) {
        return true;
      }
    }
    return false;
  }

  private double reward(int c, double w) {
    return tradeoff.reward(scoreSum[c] / n[c], costSum[c] / n[c], w);
  }

  /** The standard error of the difference of two configurations' mean scores. */
  private double se(int a, int b) {
    return Math.sqrt(variance(a) / n[a] + variance(b) / n[b]);
  }

  private double variance(int c) {
    double m = scoreSum[c] / n[c];
    double v = n[c] > 1 ? (scoreSq[c] - n[c] * m * m) / (n[c] - 1) : 0.25;
    return Math.max(v, MIN_VARIANCE);
  }
}
