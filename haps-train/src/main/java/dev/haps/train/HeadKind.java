package dev.haps.train;

/**
 * Which heads a router is trained with: the user-facing value of {@link
 * TrainOptions#head()}, mapped to its {@link dev.haps.train.model.TrainingObjective} once, by
 * {@link TrainOptions#objective()}.
 *
 * @since 0.1.0
 */
public enum HeadKind {
  /**
   * The paper's policy heads ({@link dev.haps.train.model.PolicyObjective}): free model logits,
   * and per candidate a generator whose outputs are pre-sigmoid means for numbers and logits per
   * categorical choice. Trained by supervised warm-up toward the best configuration and then by
   * policy gradient.
   */
  POLICY,
  /**
   * Structured value heads ({@link dev.haps.train.model.ValueObjective}): each candidate's
   * generator predicts, per configuration of that candidate, the expected score and the expected
   * cost; the graph combines them with λ(cost weight) into utilities {@code q − λ·c/costScale}. A
   * model's logit is its best configuration's utility (divided by a temperature), and its
   * parameter outputs select that configuration. Trained by score and cost regression plus
   * cross-entropy toward the λ-best configuration, optionally followed by policy gradient.
   */
  VALUE
}
