package dev.haps.spi;

/**
 * How a query longer than the encoder's token budget is cut. The trainer records its choice in
 * the bundle manifest ({@code encoder.truncation}) and the runtime cuts the same way.
 *
 * @since 0.1.0
 */
public enum Truncation {
  /** Keep the first tokens. */
  HEAD,
  /** Keep the last tokens: the question usually comes after few-shot examples. */
  TAIL,
  /** Keep the first quarter and the last three quarters of the budget. */
  HEAD_TAIL;

  /**
   * The manifest spelling: {@code head}, {@code tail} or {@code head_tail}.
   *
   * @return the lower-case name
   */
  public String manifestName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Parses the manifest spelling.
   *
   * @param s {@code head}, {@code tail} or {@code head_tail}
   * @return the truncation
   * @throws IllegalArgumentException for any other value, listing the valid ones
   */
  public static Truncation fromManifest(String s) {
    for (Truncation t : values()) {
      if (t.manifestName().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown truncation '" + s + "'; expected one of head, tail, head_tail");
  }
}
