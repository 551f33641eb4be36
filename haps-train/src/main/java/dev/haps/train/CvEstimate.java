package dev.haps.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The out-of-sample estimate of a training run: K-fold cross-validation over {@code train} +
 * {@code valid}, which also chose the run's hyper-parameters (the ridge penalty α of the linear
 * path, its rank and the scale γ of the trained residual). Gap closed is measured with the
 * evaluation's own yardstick (fixed configurations' hull and oracle) on each held-out fold.
 *
 * <p>The estimate is taken after selection on the same folds, so it is slightly optimistic;
 * {@code docs/quality.md} compares it with the test split.
 *
 * @param folds K
 * @param alpha the chosen ridge penalty of the linear path
 * @param taskBalanced whether the linear path was fitted with task-balancing sample weights
 *     ({@code 1/√n_task}), which cross-validation chose over equal weights
 * @param gamma the chosen scale of the trained residual (0: the linear path alone)
 * @param alphas the α grid
 * @param alphaCurve mean selection criterion per α (linear path alone, equal row weights), in
 *     grid order
 * @param balancedAlphaCurve the same with task-balancing weights; empty when the log names
 *     fewer than two tasks
 * @param gammas the γ grid
 * @param gammaCurve mean selection criterion per γ at the chosen α, in grid order
 * @param foldGapClosed gap closed on each held-out fold at the chosen α and γ
 * @param meanGapClosed mean of {@code foldGapClosed}
 * @param sdGapClosed standard deviation of {@code foldGapClosed}
 * @param pooledGapClosed gap closed of the pooled out-of-fold decisions on every train+valid
 *     query: the figure to compare with a test report
 * @param pooledLow lower end of its 95 % bootstrap interval (resampled queries)
 * @param pooledHigh upper end of its 95 % bootstrap interval
 * @param taskUniformGapClosed the pooled out-of-fold gap closed with every task weighted the
 *     same (a shift of the task mix); NaN when the log names fewer than two tasks
 * @param tasks the number of distinct tasks in train+valid
 * @param seconds wall time of the cross-validation, refit excluded
 * @param rank the chosen rank of the linear path's score slopes (0: full rank, the default)
 * @param reducedRankAlphaCurves per reduced rank tried (those below the configuration count,
 *     ascending), the mean selection criterion per α (equal row weights), in grid order; empty
 *     when none was tried
 * @since 0.1.0
 */
public record CvEstimate(
    int folds,
    double alpha,
    boolean taskBalanced,
    double gamma,
    List<Double> alphas,
    List<Double> alphaCurve,
    List<Double> balancedAlphaCurve,
    List<Double> gammas,
    List<Double> gammaCurve,
    List<Double> foldGapClosed,
    double meanGapClosed,
    double sdGapClosed,
    double pooledGapClosed,
    double pooledLow,
    double pooledHigh,
    double taskUniformGapClosed,
    int tasks,
    double seconds,
    int rank,
    Map<Integer, List<Double>> reducedRankAlphaCurves) {

  /** Copies the collections. */
  public CvEstimate {
    alphas = List.copyOf(alphas);
    alphaCurve = List.copyOf(alphaCurve);
    balancedAlphaCurve = List.copyOf(balancedAlphaCurve);
    gammas = List.copyOf(gammas);
    gammaCurve = List.copyOf(gammaCurve);
    foldGapClosed = List.copyOf(foldGapClosed);
    Map<Integer, List<Double>> curves = new LinkedHashMap<>();
    reducedRankAlphaCurves.forEach((r, c) -> curves.put(r, List.copyOf(c)));
    reducedRankAlphaCurves = Collections.unmodifiableMap(curves);
  }
}
