package dev.haps.collect;

import dev.haps.data.Split;
import java.util.Locale;

/**
 * Assigns train/valid/test from a hash of the query id: the same id always lands in the same
 * split, whatever the order, the other queries or the seed, so a split never changes between
 * runs or when queries are added.
 */
final class Splits {

  private final double train;
  private final double valid;

  /**
   * @param train the share of train, in (0, 1)
   * @param valid the share of valid, in [0, 1); test gets the rest
   */
  Splits(double train, double valid) {
    if (!(train > 0 && valid >= 0 && train + valid < 1 + 1e-12)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "split shares must be a"
          + " positive train share and a valid share that sum to at most 1 (test gets the rest),"
          + " got train %s and valid %s", train, valid));
    }
    this.train = train;
    this.valid = valid;
  }

  Split of(String id) {
    double u = Hashing.unit("haps-split:" + id);
    return u < train ? Split.TRAIN : u < train + valid ? Split.VALID : Split.TEST;
  }

  double train() {
    return train;
  }

  double valid() {
    return valid;
  }
}
