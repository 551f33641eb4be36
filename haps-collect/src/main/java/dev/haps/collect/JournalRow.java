package dev.haps.collect;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;

/**
 * One line of the collector's journal: how one (query, configuration) pair ended.
 *
 * @param queryId the query id
 * @param querySha the first 16 hex digits of the SHA-256 of the query text (a changed text
 *     makes the row stale)
 * @param config the configuration's {@link Configuration#key()}
 * @param model the candidate id
 * @param params the configuration's parameters
 * @param status how the pair ended
 * @param score the grade, or NaN when there is none
 * @param reason why there is no grade (the judge's reason or the call's failure), or the
 *     grade's explanation; possibly empty
 * @param costUsd the answer's cost, or NaN when unknown or when there was no answer
 * @param inputTokens prompt tokens, or -1
 * @param outputTokens completion tokens, or -1
 * @param judge the judge that graded ({@code JudgeConfig.toString()})
 * @param judgeCostUsd what judging cost (0 for judges that call nothing, NaN when unknown)
 * @param attempts the model call's attempts (retries included)
 * @param latencyMillis the model call's wall time
 * @param response the model's answer text, empty when the call failed
 */
record JournalRow(
    String queryId,
    String querySha,
    String config,
    String model,
    ParameterValues params,
    RowStatus status,
    double score,
    String reason,
    double costUsd,
    long inputTokens,
    long outputTokens,
    String judge,
    double judgeCostUsd,
    int attempts,
    long latencyMillis,
    String response) {

  /** The money this row spent: the answer and the judging, unknown parts as 0. */
  double spentUsd() {
    return (Double.isNaN(costUsd) ? 0 : costUsd) + (Double.isNaN(judgeCostUsd) ? 0
        : judgeCostUsd);
  }

  String pairKey() {
    return pairKey(queryId, config);
  }

  static String pairKey(String queryId, String config) {
    return queryId + "\u0000" + config;
  }
}
