package dev.haps.runtime.decode;

import java.util.Locale;

/**
 * How a parameter's raw network outputs become a value inside its declared space. The bundle
 * manifest names it per parameter ({@code transform}); see {@code docs/bundle-format.md}.
 *
 * @since 0.1.0
 */
public enum Transform {
  /** {@code min + (max − min) · σ(u)} for float and int parameters. */
  SIGMOID,
  /** {@code clamp(u, min, max)} for float and int parameters. */
  CLAMP,
  /** The choice at the largest of {@code |choices|} slots, for categorical parameters. */
  ARGMAX,
  /** The raw slots as they are (non-finite values replaced), for tensor parameters. */
  IDENTITY;

  /**
   * The manifest spelling, e.g. {@code sigmoid}.
   *
   * @return the lower-case name
   */
  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the manifest spelling.
   *
   * @param s {@code sigmoid}, {@code clamp}, {@code argmax} or {@code identity}
   * @return the transform
   * @throws IllegalArgumentException for any other value, listing the valid ones
   */
  public static Transform fromManifest(String s) {
    for (Transform t : values()) {
      if (t.manifestName().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown transform '" + s + "'; expected one of sigmoid, clamp, argmax, identity");
  }
}
