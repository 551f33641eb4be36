package dev.haps.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A cold start's exploration aimed at the cost/quality frontier: uniform over the configurations
 * that no other configuration dominates in the outcomes logged so far. Once every remaining
 * configuration has {@code minRows} outcomes (and again each time the smallest count grows by
 * another {@code minRows}), a configuration is dropped when another one still explored costs no
 * more on average and scores higher on average by more than {@code z} standard errors of the
 * difference. A dropped configuration is never dominated at any cost weight in expectation, so
 * the calls it no longer takes go to the configurations a router has to tell apart.
 *
 * <p>Why: with uniform exploration every configuration gets {@code W/g} outcomes, and the
 * per-configuration value estimates of the ones that matter stay noisy (docs/learning-loop.md,
 * "Exploration aimed at the frontier"). Each pruning changes the logging distribution, so the
 * policy id names how many configurations remain ({@code uniform-7-of-11}); propensities are
 * {@code 1/k}.
 */
final class FrontierWarmup {

  /** Variance floor of a configuration's score, so that 0/1 scores near 0 or 1 stay honest. */
  private static final double MIN_VARIANCE = 0.02;

  private final int g;
  private final int minRows;
  private final double z;
  private final long[] n;
  private final double[] scoreSum;
  private final double[] scoreSq;
  private final double[] costSum;
  private int[] kept;
  private long nextCheck;

  /**
   * @param configurations g
   * @param minRows outcomes every remaining configuration needs before a pruning; 0 = never
   *     prune (plain uniform exploration)
   * @param z standard errors by which a dominating configuration must score higher
   */
  FrontierWarmup(int configurations, int minRows, double z) {
    this.g = configurations;
    this.minRows = minRows;
    this.z = z;
    this.n = new long[g];
    this.scoreSum = new double[g];
    this.scoreSq = new double[g];
    this.costSum = new double[g];
    this.kept = new int[g];
    for (int c = 0; c < g; c++) {
      kept[c] = c;
    }
    this.nextCheck = minRows;
  }

  /** A configuration drawn uniformly from those still explored. */
  int draw(SplittableRandom rng) {
    return kept[rng.nextInt(kept.length)];
  }

  /** The probability of each configuration still explored. */
  double propensity() {
    return 1.0 / kept.length;
  }

  /** The logging policy's id: {@link Promoter#UNIFORM} until the first pruning. */
  String policy() {
    return kept.length == g ? Promoter.UNIFORM : "uniform-" + kept.length + "-of-" + g;
  }

  /** The configurations still explored, ascending. */
  int[] kept() {
    return kept.clone();
  }

  /** Records one outcome and prunes when the counts are due. */
  void observe(int c, double score, double cost) {
    n[c]++;
    scoreSum[c] += score;
    scoreSq[c] += score * score;
    costSum[c] += cost;
    if (minRows <= 0 || kept.length < 2) {
      return;
    }
    long least = Long.MAX_VALUE;
    for (int k : kept) {
      least = Math.min(least, n[k]);
    }
    if (least >= nextCheck) {
      nextCheck = least + minRows;
      prune();
    }
  }

  private void prune() {
    int[] next = Arrays.stream(kept).filter(c -> !dominated(c)).toArray();
    kept = next.length == 0 ? kept : next;
  }

  private boolean dominated(int c) {
    double mc = scoreSum[c] / n[c];
    double vc = variance(c) / n[c];
    for (int o : kept) {
      if (o == c || costSum[o] / n[o] > costSum[c] / n[c]) {
        continue;
      }
      double diff = scoreSum[o] / n[o] - mc;
      if (diff > z * Math.sqrt(vc + variance(o) / n[o])) {
        return true;
      }
    }
    return false;
  }

  private double variance(int c) {
    double m = scoreSum[c] / n[c];
    double v = n[c] > 1 ? (scoreSq[c] - n[c] * m * m) / (n[c] - 1) : 0.25;
    return Math.max(v, MIN_VARIANCE);
  }
}
