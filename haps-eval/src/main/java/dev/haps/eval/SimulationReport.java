package dev.haps.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * What a learning-loop simulation measured: one point per retraining, the final serving
 * router's test gap closed, and the guard's record.
 *
 * @param benchmark the benchmark
 * @param seed the simulation's seed
 * @param calls calls simulated
 * @param poolSize train + valid queries the stream draws from (N)
 * @param points the learning curve, one point per retraining
 * @param finalTestGapClosed the serving router's test gap closed at the end (NaN if none
 *     served)
 * @param promotions how many candidates were promoted
 * @param worseCandidatesPromoted how many deliberately worse candidates the guard promoted
 *     (must be 0)
 * @param worseCandidatesChecked how many deliberately worse candidates were put to the guard
 * @param out the output folder
 * @since 0.1.0
 */
public record SimulationReport(String benchmark, long seed, int calls, int poolSize,
    List<Point> points, double finalTestGapClosed, int promotions, int worseCandidatesPromoted,
    int worseCandidatesChecked, Path out) {

  /**
   * Copies the points.
   *
   * @throws NullPointerException if a field is null
   */
  public SimulationReport {
    points = List.copyOf(points);
  }

  /**
   * One retraining.
   *
   * @param calls calls so far
   * @param servedReward mean reward served in the calls since the previous point
   * @param bestFixedReward mean reward the best fixed configuration (chosen in hindsight per
   *     cost weight on the whole train + valid log) would have served on those calls
   * @param servedRewardSoFar mean reward served from call 1
   * @param testGapClosed the serving router's gap closed on the test split (valid in design
   *     mode; NaN before the first promotion)
   * @param candidateGapClosed the candidate's gap closed on that split when candidates are
   *     evaluated, else NaN
   * @param candidateDr the candidate's DR reward estimate on the valid rows
   * @param candidateDrLow its lower bound
   * @param servingObserved the serving policy's observed mean reward
   * @param promoted whether the candidate was promoted
   * @param retrainSeconds wall time of the retraining
   * @param evalSeconds wall time of the off-policy evaluation
   * @since 0.1.0
   */
  public record Point(int calls, double servedReward, double bestFixedReward,
      double servedRewardSoFar, double testGapClosed, double candidateGapClosed,
      double candidateDr,
      double candidateDrLow, double servingObserved, boolean promoted, double retrainSeconds,
      double evalSeconds) {}
}
