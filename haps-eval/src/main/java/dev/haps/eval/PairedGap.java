package dev.haps.eval;

/**
 * The main bundle against another router on the same bootstrap resamples: how far apart their
 * gap closed is, and how often the bundle comes out ahead.
 *
 * @param router the main bundle's name
 * @param versus the other router's name
 * @param difference 95 % interval of (the bundle's gap closed − the other router's)
 * @param shareAhead fraction of resamples in which the bundle's gap closed is at least the other
 *     router's, in [0, 1]
 * @since 0.1.0
 */
public record PairedGap(String router, String versus, GapInterval difference, double shareAhead) {}
