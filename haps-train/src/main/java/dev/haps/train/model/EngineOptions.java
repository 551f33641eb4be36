package dev.haps.train.model;

/**
 * Hyper-parameters of one training run (see {@code dev.haps.train.Trainer} for their meaning
 * and defaults).
 *
 * @param head policy or value heads
 * @param trunkHidden trunk hidden sizes
 * @param genHidden generator hidden size (0: linear)
 * @param shared parameter sharing between the generators and the high-level head
 * @param costWeightInput whether the trunk reads the cost weight
 * @param ensemble members averaged in the exported graph
 * @param batchSize rows per minibatch
 * @param learningRate warm-up learning rate
 * @param weightDecay decoupled weight decay
 * @param warmupEpochs maximal warm-up epochs
 * @param rlSteps policy-gradient steps after the warm-up (0: warm-up only)
 * @param rlLearningRate policy-gradient learning rate
 * @param entropyBonus β of the entropy bonus
 * @param auxWeight weight of the warm-up loss kept during policy gradient
 * @param validateEvery steps between validations
 * @param patience validations without improvement before stopping a phase
 * @param costLossWeight weight of the cost regression (value heads)
 * @param policyLossWeight weight of the cross-entropy toward the λ-best configuration
 * @param temperature τ of the value heads' logits
 * @param failureAugmentation whether a score of 0 counts as −1 in targets and rewards
 * @param zeroCostWeightShare share of training rows whose cost weight is exactly 0 (the rest
 *     are uniform in [0, 1])
 * @param selectByLoss value heads only: select checkpoints and stop early on the {@code valid}
 *     split's regression loss (a proper scoring rule, far less noisy than AIQ on a small split)
 *     instead of the validation metric
 * @param gridPoints cost weights in the validation sweep
 * @param seed the seed
 * @param threads worker threads for minibatch gradients (results do not depend on it)
 * @since 0.1.0
 */
public record EngineOptions(
    HeadKind head,
    int[] trunkHidden,
    int genHidden,
    boolean shared,
    boolean costWeightInput,
    int ensemble,
    int batchSize,
    double learningRate,
    double weightDecay,
    int warmupEpochs,
    int rlSteps,
    double rlLearningRate,
    double entropyBonus,
    double auxWeight,
    int validateEvery,
    int patience,
    double costLossWeight,
    double policyLossWeight,
    double temperature,
    boolean failureAugmentation,
    double zeroCostWeightShare,
    boolean selectByLoss,
    int gridPoints,
    long seed,
    int threads) {

  /** Copies the array. */
  public EngineOptions {
    trunkHidden = trunkHidden.clone();
  }

  @Override
  public int[] trunkHidden() {
    return trunkHidden.clone();
  }
}
