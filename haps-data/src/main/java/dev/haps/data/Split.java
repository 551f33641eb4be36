package dev.haps.data;

/**
 * The fixed data split a query belongs to. Splits are part of the log: they are never
 * recomputed, and nothing trains on {@link #TEST}.
 *
 * @since 0.1.0
 */
public enum Split {
  /** Training queries. */
  TRAIN("train"),
  /** Validation queries: model selection and early stopping. */
  VALID("valid"),
  /** Held-out test queries: final evaluation only. */
  TEST("test");

  private final String wireName;

  Split(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in {@code outcomes.jsonl}.
   *
   * @return {@code train}, {@code valid} or {@code test}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a split name as written in {@code outcomes.jsonl}.
   *
   * @param name {@code train}, {@code valid} or {@code test} (exact, lower case)
   * @return the split
   * @throws IllegalArgumentException if the name is none of those
   */
  public static Split parse(String name) {
    if (name != null) {
      for (Split s : values()) {
        if (s.wireName.equals(name)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException("unknown split '" + name + "'; expected one of train,"
        + " valid, test (lower case)");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
