package dev.haps.train.model;

/**
 * The rows of one optimisation step and what was drawn for each: its cost weight and, for policy
 * gradient, the seed of its sampling. The arrays are shared, not copied: a minibatch is built by
 * the training loop and read by the objectives during that step only.
 *
 * @param rows indices into the {@code train} table
 * @param costWeights one cost weight per row, in [0, 1]
 * @param seeds one sampling seed per row (unused by the supervised warm-up)
 * @param inputGradient empty, or {@code rows × baseDim}: then a gradient computation also writes
 *     here, row by row, the gradient of each row's loss with respect to its input row (the
 *     embedding and features of the {@code train} table), for an encoder trained upstream
 * @since 0.1.0
 */
public record Minibatch(int[] rows, double[] costWeights, long[] seeds, double[] inputGradient) {

  /**
   * Checks that the arrays line up.
   *
   * @throws IllegalArgumentException if their lengths differ
   */
  public Minibatch {
    if (costWeights.length != rows.length || seeds.length != rows.length) {
      throw new IllegalArgumentException("a minibatch needs one cost weight and one seed per row: "
          + rows.length + " rows, " + costWeights.length + " cost weights, " + seeds.length
          + " seeds");
    }
    if (inputGradient.length != 0 && (rows.length == 0
        || inputGradient.length % rows.length != 0)) {
      throw new IllegalArgumentException("inputGradient must be empty or rows × input width: "
          + rows.length + " rows, " + inputGradient.length + " values");
    }
  }

  /**
   * A minibatch without an input gradient.
   *
   * @param rows indices into the {@code train} table
   * @param costWeights one cost weight per row
   * @param seeds one sampling seed per row
   */
  public Minibatch(int[] rows, double[] costWeights, long[] seeds) {
    this(rows, costWeights, seeds, new double[0]);
  }

  /**
   * Whether gradient computations write {@link #inputGradient()}.
   *
   * @return {@code inputGradient().length > 0}
   */
  public boolean wantsInputGradient() {
    return inputGradient.length > 0;
  }

  /**
   * The number of rows.
   *
   * @return the size
   */
  public int size() {
    return rows.length;
  }
}
