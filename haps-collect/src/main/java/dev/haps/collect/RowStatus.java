package dev.haps.collect;

/**
 * How one (query, configuration) pair ended, as the collector's journal records it.
 *
 * @since 0.1.0
 */
public enum RowStatus {
  /** The model answered and the judge graded the answer: the pair is in the outcome log. */
  GRADED("graded", true),
  /** The model answered but the judge could not grade it (the reason is kept): done, no score. */
  UNGRADED("ungraded", true),
  /** The model call failed after the retries: a rerun calls it again. */
  CALL_FAILED("call_failed", false),
  /** The judge failed to run (an LLM judge's call failed): a rerun grades the kept answer again. */
  JUDGE_FAILED("judge_failed", false);

  private final String wireName;
  private final boolean done;

  RowStatus(String wireName, boolean done) {
    this.wireName = wireName;
    this.done = done;
  }

  /**
   * The name in the journal and in {@code summary.json}.
   *
   * @return e.g. {@code call_failed}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether a rerun skips the pair.
   *
   * @return {@code true} for {@link #GRADED} and {@link #UNGRADED}
   */
  public boolean done() {
    return done;
  }

  static RowStatus parse(String name) {
    for (RowStatus s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown row status '" + name + "'");
  }
}
