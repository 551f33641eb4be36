package dev.haps.collect;

import java.util.Objects;

/**
 * A (query, configuration) pair without a score, and why: the judge could not grade the answer,
 * the judge failed, or the call failed after its retries (500s, malformed JSON, timeouts...).
 * No such pair is dropped silently: each is listed in {@code summary.json} and by the CLI.
 *
 * @param queryId the query id
 * @param configuration the configuration's key
 * @param status {@link RowStatus#UNGRADED}, {@link RowStatus#CALL_FAILED} or
 *     {@link RowStatus#JUDGE_FAILED}
 * @param reason what happened, in one line
 * @since 0.1.0
 */
public record RowProblem(String queryId, String configuration, RowStatus status, String reason) {

  /**
   * Checks for nulls.
   *
   * @param queryId the query id
   * @param configuration the configuration's key
   * @param status how the pair ended
   * @param reason what happened
   * @throws NullPointerException if a field is null
   */
  public RowProblem {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return queryId + " / " + configuration + ": " + status.wireName() + ": " + reason;
  }
}
