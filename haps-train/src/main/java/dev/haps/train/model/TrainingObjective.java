package dev.haps.train.model;

import java.util.OptionalDouble;

/**
 * What a HAPS network learns and how its heads decide: the shape of the heads, the loss and its
 * gradient (supervised warm-up and policy gradient), how checkpoints are chosen, and how the
 * trained ensemble's outputs become the bundle's outputs.
 *
 * <ul>
 *   <li>{@link ValueObjective}: structured value heads that predict every configuration's score
 *       and cost and decide by the utility {@code q − λ·c}.
 *   <li>{@link PolicyObjective}: the paper's heads, model logits and one parameter generator per
 *       candidate.
 * </ul>
 *
 * <p>The family is closed: the training loop calls the methods below and never asks which
 * objective it has; code that must treat them differently outside this package (the ONNX export
 * writes their heads as different graphs) uses {@link #accept(Visitor)}, which the compiler keeps
 * exhaustive. See {@code docs/architecture.md} for adding an objective.
 *
 * <p>Implementations are immutable and thread-safe: {@link #gradient} runs for several shards of
 * a minibatch at once.
 *
 * @since 0.1.0
 */
public sealed interface TrainingObjective permits ValueObjective, PolicyObjective {

  /**
   * The objective's name, as the manifest records it ({@code training.hyperParameters.head}).
   *
   * @return {@code value} or {@code policy}
   */
  String name();

  /**
   * Whether the trained router predicts each candidate's cost, so that the bundle has an {@code
   * expected_cost} output.
   *
   * @return the flag
   */
  boolean predictsCost();

  /**
   * The network this objective trains on a problem.
   *
   * @param problem the problem (its candidates and configurations fix the heads' widths)
   * @param trunkHidden the trunk's hidden sizes
   * @param generatorHidden each generator's hidden size, 0 for a linear generator
   * @param shared whether the generators read one shared trunk
   * @param costWeightInput whether the trunk reads the cost weight (an objective may always read
   *     it)
   * @return the network's shape
   * @throws IllegalArgumentException if the problem cannot be trained with this objective (a
   *     candidate without a configuration on the train split)
   */
  NetworkSpec network(TrainingProblem problem, int[] trunkHidden, int generatorHidden,
      boolean shared, boolean costWeightInput);

  /**
   * Prepares a freshly initialised network before training (for example, output biases at the
   * training means). Draws no random numbers.
   *
   * @param net the network, of {@link #network this objective's shape}
   * @param problem the problem
   */
  void initialise(HapsNetwork net, TrainingProblem problem);

  /**
   * Runs the network on rows {@code [from, to)} of a minibatch and accumulates the gradient of
   * their summed loss into {@code g}, which is zeroed first.
   *
   * @param net the network
   * @param problem the problem
   * @param batch the minibatch
   * @param from the first row of this shard
   * @param to one past the last row of this shard
   * @param policyGradient false for the supervised warm-up, true for a policy-gradient step
   *     (which keeps the warm-up loss as an anchor, weighted by the objective's auxiliary weight)
   * @param g the gradient, {@link HapsNetwork#parameterCount()} long; overwritten
   * @return the summed loss of the rows
   */
  double gradient(HapsNetwork net, TrainingProblem problem, Minibatch batch, int from, int to,
      boolean policyGradient, double[] g);

  /**
   * The {@code valid} loss by which warm-up checkpoints are chosen, lower is better; empty to
   * choose them by the validation metric instead.
   *
   * @param net the network
   * @param problem the problem
   * @return the loss, or empty
   */
  OptionalDouble selectionLoss(HapsNetwork net, TrainingProblem problem);

  /**
   * Calls the visitor's method for this objective's type.
   *
   * @param visitor the visitor
   * @param <R> the result type
   * @return the visitor's result
   */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per objective: the exhaustive dispatch over the family.
   *
   * @param <R> the result type
   * @since 0.1.0
   */
  interface Visitor<R> {

    /**
     * Handles value heads.
     *
     * @param objective the objective
     * @return the result
     */
    R value(ValueObjective objective);

    /**
     * Handles policy heads.
     *
     * @param objective the objective
     * @return the result
     */
    R policy(PolicyObjective objective);
  }
}
