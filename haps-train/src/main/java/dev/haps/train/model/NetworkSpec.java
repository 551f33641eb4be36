package dev.haps.train.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The shape of one HAPS network: input width, trunk, whether it has a policy head, and per
 * candidate the width of its generator's output. A {@link TrainingObjective} builds it ({@link
 * TrainingObjective#network}).
 *
 * @param inputDim width of the trunk's input row: embedding, then features, then (when {@code
 *     costWeightInput}) the cost weight
 * @param costWeightInput whether the cost weight is the last input column
 * @param trunkHidden hidden sizes of the trunk (ReLU after each); the last is the representation
 *     that the high-level head and every generator read
 * @param genHidden hidden size of each generator's own ReLU layer, 0 for a linear generator
 * @param shared whether the generators (and the policy head) read one shared trunk; when false
 *     each gets its own trunk of the same shape (the "no sharing" ablation)
 * @param policyHead whether the network has a high-level head of its own (a linear layer giving
 *     one logit per candidate) and a learned log-std per numeric slot ({@link PolicyObjective});
 *     without it the decision is derived from the generators' outputs ({@link ValueObjective})
 * @param outWidth per candidate, the generator's output width ({@link ValueObjective}: two per
 *     configuration, score logit then log-cost; {@link PolicyObjective}: the parameter slots)
 * @param numericSlots per candidate, the output slots that hold numeric (float or int)
 *     parameters, which get a learned log-std when the network has a policy head
 * @since 0.1.0
 */
public record NetworkSpec(
    int inputDim,
    boolean costWeightInput,
    int[] trunkHidden,
    int genHidden,
    boolean shared,
    boolean policyHead,
    int[] outWidth,
    int[][] numericSlots) {

  /**
   * Checks and copies the fields.
   *
   * @throws IllegalArgumentException on a non-positive size or mismatched per-candidate arrays
   */
  public NetworkSpec {
    if (inputDim <= 0) {
      throw new IllegalArgumentException("inputDim must be positive, got " + inputDim);
    }
    trunkHidden = trunkHidden.clone();
    for (int h : trunkHidden) {
      if (h <= 0) {
        throw new IllegalArgumentException("trunk hidden sizes must be positive, got "
            + Arrays.toString(trunkHidden));
      }
    }
    if (genHidden < 0) {
      throw new IllegalArgumentException("genHidden must be at least 0, got " + genHidden);
    }
    outWidth = outWidth.clone();
    if (outWidth.length == 0) {
      throw new IllegalArgumentException("a network needs at least one candidate");
    }
    if (numericSlots.length != outWidth.length) {
      throw new IllegalArgumentException("numericSlots has " + numericSlots.length
          + " entries for " + outWidth.length + " candidates");
    }
    int[][] ns = new int[numericSlots.length][];
    for (int k = 0; k < ns.length; k++) {
      ns[k] = numericSlots[k].clone();
    }
    numericSlots = ns;
  }

  /**
   * The number of candidate models.
   *
   * @return K
   */
  public int candidates() {
    return outWidth.length;
  }

  /**
   * Width of the representation the heads read.
   *
   * @return the last trunk hidden size, or the input width for a trunk without hidden layers
   */
  public int representationDim() {
    return trunkHidden.length == 0 ? inputDim : trunkHidden[trunkHidden.length - 1];
  }

  @Override
  public int[] trunkHidden() {
    return trunkHidden.clone();
  }

  @Override
  public int[] outWidth() {
    return outWidth.clone();
  }

  @Override
  public int[][] numericSlots() {
    int[][] ns = new int[numericSlots.length][];
    for (int k = 0; k < ns.length; k++) {
      ns[k] = numericSlots[k].clone();
    }
    return ns;
  }

  int width(int k) {
    return outWidth[k];
  }

  int[] numeric(int k) {
    return numericSlots[k];
  }

  int[] hidden() {
    return trunkHidden;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec s && s.inputDim == inputDim
        && s.costWeightInput == costWeightInput && Arrays.equals(s.trunkHidden, trunkHidden)
        && s.genHidden == genHidden && s.shared == shared && s.policyHead == policyHead
        && Arrays.equals(s.outWidth, outWidth)
        && Arrays.deepEquals(s.numericSlots, numericSlots);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputDim, costWeightInput, Arrays.hashCode(trunkHidden), genHidden,
        shared, policyHead, Arrays.hashCode(outWidth), Arrays.deepHashCode(numericSlots));
  }

  @Override
  public String toString() {
    return "NetworkSpec{" + (policyHead ? "policy head" : "value heads") + ", in=" + inputDim + ", cw=" + costWeightInput + ", trunk="
        + Arrays.toString(trunkHidden) + ", gen=" + genHidden + ", shared=" + shared + ", out="
        + Arrays.toString(outWidth) + "}";
  }
}
