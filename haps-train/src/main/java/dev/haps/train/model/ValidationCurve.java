package dev.haps.train.model;

/**
 * A router's greedy decisions on the validation split, swept over cost weights.
 *
 * @param costWeights the sweep
 * @param meanScore per cost weight, the mean recorded score of the decisions
 * @param meanCostUsd per cost weight, the mean recorded cost in USD
 * @param meanReward per cost weight, the mean reward (no failure augmentation)
 * @since 0.1.0
 */
public record ValidationCurve(
    double[] costWeights, double[] meanScore, double[] meanCostUsd, double[] meanReward) {

  /**
   * The mean reward over the sweep: the trainer's default model-selection metric.
   *
   * @return the mean of {@link #meanReward()}
   */
  public double meanOfRewards() {
    double s = 0;
    for (double r : meanReward) {
      s += r;
    }
    return s / meanReward.length;
  }
}
