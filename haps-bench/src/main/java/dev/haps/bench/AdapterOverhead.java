package dev.haps.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@link AdapterBench}'s two calls timed back to back, alternating, so that the machine's drift
 * (other builds, other benchmarks) lands on both alike: prints the median of each and the median
 * of the per-pair differences (routed minus direct), the figure the ≤ 1 ms target is about.
 *
 * <p>{@code java -cp haps-bench/target/benchmarks.jar dev.haps.bench.AdapterOverhead [pairs]}
 * (default 5,000 pairs after 1,000 warm-up pairs).
 *
 * @since 0.1.0
 */
public final class AdapterOverhead {

  private AdapterOverhead() {}

  /**
   * Runs the measurement.
   *
   * @param args optionally the number of measured pairs
   */
  public static void main(String[] args) {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    AdapterBench b = new AdapterBench();
    b.setUp();
    try {
      for (int i = 0; i < 1_000; i++) {
        b.direct();
        b.routed();
      }
      long[] direct = new long[pairs];
      long[] routed = new long[pairs];
      long[] diff = new long[pairs];
      for (int i = 0; i < pairs; i++) {
        // Alternate which goes first, so neither always gets the warmer connection.
        boolean directFirst = (i & 1) == 0;
        long t0 = System.nanoTime();
        if (directFirst) {
          b.direct();
        } else {
          b.routed();
        }
        long t1 = System.nanoTime();
        if (directFirst) {
          b.routed();
        } else {
          b.direct();
        }
        long t2 = System.nanoTime();
        direct[i] = directFirst ? t1 - t0 : t2 - t1;
        routed[i] = directFirst ? t2 - t1 : t1 - t0;
        diff[i] = routed[i] - direct[i];
      }
      System.out.printf(Locale.ROOT, "pairs %d, %d cores, load %s%n", pairs,
          Runtime.getRuntime().availableProcessors(), load());
      System.out.printf(Locale.ROOT, "direct  p50 %8.1f us  p90 %8.1f us%n",
          p(direct, 0.5), p(direct, 0.9));
      System.out.printf(Locale.ROOT, "routed  p50 %8.1f us  p90 %8.1f us%n",
          p(routed, 0.5), p(routed, 0.9));
      System.out.printf(Locale.ROOT, "routed - direct, per pair: p50 %+8.1f us  p25 %+8.1f us"
          + "  p75 %+8.1f us%n", p(diff, 0.5), p(diff, 0.25), p(diff, 0.75));
    } finally {
      b.tearDown();
    }
  }

  private static double p(long[] nanos, double q) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))] / 1_000.0;
  }

  private static String load() {
    try {
      return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg")))
          .trim();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
