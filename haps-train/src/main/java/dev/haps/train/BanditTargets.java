package dev.haps.train;

/**
 * How value heads learn from bandit feedback (outcomes with a logged propensity: one action per
 * call, see {@code docs/learning-loop.md}); full-information rows are always plain regression
 * targets.
 *
 * @since 0.1.0
 */
public enum BanditTargets {
  /**
   * The direct method: regress the logged action's score and cost, nothing for the others.
   * With the default {@link TrainOptions#linearPath()} each configuration gets a closed-form
   * ridge fit on the rows that logged it, and the bundle routes on those linear values alone;
   * with {@code linearPath(false)} the network learns them with a masked loss, its shared trunk
   * carrying what one model's outcomes say about the query to the other models' heads.
   */
  DIRECT,
  /**
   * The logged action's loss weighted by its clipped inverse propensity {@code min(1/p,
   * propensityClip)}, normalised to mean 1: corrects for where the logging policy looked.
   */
  IPS,
  /**
   * Doubly robust targets: a first direct-method fit {@code ŝ, ĉ} gives every action a
   * target, {@code ŝ_a + 1[a = logged]·min(1/p, clip)·(s − ŝ_a)} (the cost likewise); the
   * second fit regresses every configuration on them.
   */
  DOUBLY_ROBUST
}
