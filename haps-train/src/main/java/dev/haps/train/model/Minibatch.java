package dev.haps.train.model;

/**
 * The rows of one optimisation step and what was drawn for each: its cost weight and, for policy
 * gradient, the seed of its sampling. The arrays are shared, not copied: a minibatch is built by
 * the training loop and read by the objectives during that step only.
 *
 * @param rows indices into the {@code train} table
 * @param costWeights one cost weight per row, in [0, 1]
 * @param seeds one sampling seed per row (unused by the supervised warm-up)
 * @since 0.1.0
 */
public record Minibatch(int[] rows, double[] costWeights, long[] seeds) {

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
