package dev.haps.collect;

import java.util.List;

/**
 * What a collection run is expected to cost, estimated before it starts from each candidate's
 * price and token counts: input tokens as the characters of the system prompt and query / 4,
 * output tokens as the configuration's {@code max_tokens} or else the estimate given to the
 * collector (default {@value Collector#DEFAULT_OUTPUT_TOKENS}). The judge's own calls are not
 * estimated (an LLM judge's cost depends on the answers); the budget still counts them.
 *
 * @param pairsPlanned the (query, configuration) pairs of the plan
 * @param pairsDone the pairs a previous run already finished, skipped now
 * @param calls the model calls this run would make
 * @param estimatedUsd the estimated cost of those calls, NaN when a candidate has no price
 * @param unpriced the candidates without a price, in plan order
 * @param spentUsd the money earlier runs into the same folder spent
 * @param budgetUsd the budget, NaN when there is none
 * @since 0.1.0
 */
public record CostEstimate(int pairsPlanned, int pairsDone, int calls, double estimatedUsd,
    List<String> unpriced, double spentUsd, double budgetUsd) {

  /**
   * Copies the list.
   *
   * @param pairsPlanned the pairs of the plan
   * @param pairsDone the pairs already finished
   * @param calls the calls this run would make
   * @param estimatedUsd the estimated cost, NaN when unknown
   * @param unpriced the candidates without a price
   * @param spentUsd the money already spent
   * @param budgetUsd the budget, NaN when none
   */
  public CostEstimate {
    unpriced = List.copyOf(unpriced);
  }
}
