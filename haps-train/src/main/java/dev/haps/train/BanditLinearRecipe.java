package dev.haps.train;

import dev.haps.train.model.ConfigurationValues;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.LinearPath;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.nn.Rng;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The value recipe for bandit feedback (one logged action per call) with the direct method:
 * each configuration's score and log-cost are regressed, in closed form, on the rows that
 * logged it ({@link LinearPath#perConfigurationFitter}), on train+valid, the score slopes
 * pooled toward one they share ({@link #DEFAULT_ALPHA}, {@link #SHARED_ALPHA}), the log-cost
 * at its own, lighter penalty ({@link #COST_ALPHA}). No trained
 * residual: on a few thousand one-outcome rows
 * the network's per-configuration estimates were the noisier part (docs/learning-loop.md,
 * section 3).
 */
final class BanditLinearRecipe {

  /**
   * The ridge penalty unless {@link TrainOptions#linearAlpha()} sets one. Chosen on design
   * runs of the simulator (stream over routerbench-3task's train split, gap closed on valid;
   * docs/learning-loop.md): 30 decided best on average (α 3 / 10 / 30 / 100: 0.055 / 0.113 /
   * 0.122 / 0.073 over 20 logs), while the squared error of the logged outcomes, by 5-fold
   * cross-validation, picked 3 in 18 of the 20 — as with full information, the shrinkage that
   * decides best is stronger than the one that predicts best. Checked again with the slopes
   * pooled ({@link #SHARED_ALPHA}): α 10 / 30 / 100 gave 0.123 / 0.133 / 0.089 on
   * routerbench-3task (20 seeds) and 0.165 / 0.142 / 0.137 on zeroeval (5 seeds); 30 kept.
   */
  static final double DEFAULT_ALPHA = 30;

  /**
   * The penalty on the score-logit slope that configurations share ({@link
   * LinearPath.PerConfigurationFitter#path(double, double)}); {@link #DEFAULT_ALPHA} then
   * penalises each configuration's own part. Pooling matters where configurations have few
   * outcomes each. Design runs (valid gap closed after N calls): zeroeval, 29 models, 5 seeds:
   * 0.009 unpooled, 0.142 at 2, 0.132 at 10 (the network: 0.106); routerbench-3task, 11 models,
   * 20 seeds: 0.127 unpooled, 0.133 at 2, 0.134 at 10.
   */
  static final double SHARED_ALPHA = 2;

  /**
   * The penalty on each configuration's log-cost slope ({@link
   * LinearPath.PerConfigurationFitter#path(double, double, double)}). A call's cost follows its
   * length and the model's price, a steadier signal than a 0/1 score, and it wants less
   * shrinkage. Design runs (valid gap closed after N calls, paired with the cost at α 30):
   * routerbench-3task, 20 seeds: cost α 1 / 3 / 10: +0.006 / +0.006 / +0.002 (0.151 at 3);
   * concise-cot, 20 seeds: +0.012 at 3; zeroeval, whose costs are one figure per
   * model, unchanged. Not tied to {@link TrainOptions#linearAlpha()}, which sets the score's.
   */
  static final double COST_ALPHA = 3;

  private BanditLinearRecipe() {}

  /**
   * Runs the recipe.
   *
   * @param o the options (linearAlpha, seed)
   * @param run the training run (network shape, assembly, metric)
   * @param problem the problem over train and valid
   * @param listener progress
   * @return the result and the penalties used
   */
  static Fitted run(TrainOptions o, TrainingRun run, TrainingProblem problem,
      TrainingListener listener) {
    SplitTable both = ConfigurationValues.concat(problem.train(), problem.valid());
    TrainingProblem all = ConfigurationValues.withTables(problem, both, problem.valid());
    double alpha = o.linearAlpha() > 0 ? o.linearAlpha() : DEFAULT_ALPHA;
    LinearPath.PerConfigurationFitter fit = LinearPath.perConfigurationFitter(all, both,
        IntStream.range(0, both.n()).toArray(), new double[0]);
    int g = both.configurations();
    int least = Integer.MAX_VALUE;
    for (int c = 0; c < g; c++) {
      least = Math.min(least, fit.rows(c));
    }
    BanditPenalties p = new BanditPenalties(alpha, SHARED_ALPHA, COST_ALPHA, least);
    listener.status("bandit feedback: linear values per configuration on train+valid (alpha "
        + CrossValidation.fmt(p.scoreAlpha()) + " on each one's own score slope, "
        + CrossValidation.fmt(p.sharedAlpha()) + " on the one they share, "
        + CrossValidation.fmt(p.costAlpha()) + " on the log-cost's); the least logged"
        + " configuration has " + p.leastRows() + " outcome(s)");
    HapsNetwork net = new HapsNetwork(run.spec(), new Rng(o.seed()).split());
    net.linearPath(fit.path(p.scoreAlpha(), p.sharedAlpha(), p.costAlpha()));
    net.scaleGenerators(0);
    return new Fitted(run.result(List.of(net),
        List.of(new MemberReport(0, Double.NaN, 0, Double.NaN, 0, false)), null), p);
  }

  /** The run's result and the penalties it used. */
  record Fitted(TrainingRun.Result result, BanditPenalties penalties) {}
}
