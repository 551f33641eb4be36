package dev.haps.eval;

/**
 * A 95 % bootstrap interval of a gap-closed figure: the 2.5th and 97.5th percentiles over
 * resamples of the evaluated queries (drawn with replacement, the same draws for every router).
 *
 * @param low the 2.5th percentile
 * @param high the 97.5th percentile
 * @since 0.1.0
 */
public record GapInterval(double low, double high) {

  /**
   * Checks the order.
   *
   * @throws IllegalArgumentException if {@code low > high} or either is NaN
   */
  public GapInterval {
    if (!(low <= high)) {
      throw new IllegalArgumentException(
          "interval needs low <= high, got [" + low + ", " + high + "]");
    }
  }
}
