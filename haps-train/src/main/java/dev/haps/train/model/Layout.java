package dev.haps.train.model;

import java.util.ArrayList;
import java.util.List;

/** Hands out ranges of one flat parameter vector and remembers which ones are weight-decayed. */
final class Layout {

  private int size;
  private final List<int[]> decayed = new ArrayList<>();

  int alloc(int n, boolean decay) {
    int off = size;
    size += n;
    if (decay && n > 0) {
      decayed.add(new int[] {off, n});
    }
    return off;
  }

  int size() {
    return size;
  }

  boolean[] decayMask() {
    boolean[] m = new boolean[size];
    for (int[] r : decayed) {
      for (int i = 0; i < r[1]; i++) {
        m[r[0] + i] = true;
      }
    }
    return m;
  }
}
