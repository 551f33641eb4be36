package dev.haps.train.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands out ranges of one flat parameter vector and remembers which ones are weight-decayed.
 * Layers allocate their ranges in construction order, so a network's layout is fixed by the order
 * in which it builds its layers.
 *
 * @since 0.1.0
 */
public final class ParameterLayout {

  private int size;
  private final List<int[]> decayed = new ArrayList<>();

  /** An empty layout. */
  public ParameterLayout() {}

  /**
   * Reserves the next {@code n} values.
   *
   * @param n how many
   * @param decay whether weight decay applies to them (weights yes, biases and spreads no)
   * @return the offset of the first one
   */
  public int alloc(int n, boolean decay) {
    int off = size;
    size += n;
    if (decay && n > 0) {
      decayed.add(new int[] {off, n});
    }
    return off;
  }

  /**
   * The number of values reserved so far.
   *
   * @return the size of the parameter vector
   */
  public int size() {
    return size;
  }

  /**
   * Which values are weight-decayed.
   *
   * @return one flag per value
   */
  public boolean[] decayMask() {
    boolean[] m = new boolean[size];
    for (int[] r : decayed) {
      for (int i = 0; i < r[1]; i++) {
        m[r[0] + i] = true;
      }
    }
    return m;
  }
}
