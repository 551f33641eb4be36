package dev.haps.train.nn;

import java.util.SplittableRandom;

/**
 * The trainer's only source of randomness: a {@link SplittableRandom} with a Box–Muller normal,
 * written out so that the sequence does not depend on the JDK's choice of Gaussian algorithm.
 *
 * <p>Not thread-safe: give each thread its own {@link #split()}.
 *
 * @since 0.1.0
 */
public final class Rng {

  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  /**
   * A generator from a seed.
   *
   * @param seed the seed
   */
  public Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private Rng(SplittableRandom random) {
    this.random = random;
  }

  /**
   * An independent generator derived from this one.
   *
   * @return the child generator
   */
  public Rng split() {
    return new Rng(random.split());
  }

  /**
   * A uniform double in [0, 1).
   *
   * @return the value
   */
  public double uniform() {
    return random.nextDouble();
  }

  /**
   * A uniform int in [0, bound).
   *
   * @param bound the exclusive bound, positive
   * @return the value
   */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /**
   * A standard normal value.
   *
   * @return the value
   */
  public double gaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double m = Math.sqrt(-2 * Math.log(s) / s);
    spare = v * m;
    hasSpare = true;
    return u * m;
  }

  /**
   * Shuffles an array in place (Fisher–Yates).
   *
   * @param a the array
   */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
