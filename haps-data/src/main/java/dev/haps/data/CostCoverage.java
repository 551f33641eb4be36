package dev.haps.data;

/**
 * Where the costs of an outcome log's outcomes come from.
 *
 * <p>An outcome's cost is its {@code cost_usd} when the log records one. When {@code cost_usd}
 * is null but the outcome has {@code input_tokens} and {@code output_tokens} and its model has
 * both prices in {@code candidates.json} ({@code price_per_mtok}), the log derives the cost as
 * {@code (input_tokens × input price + output_tokens × output price) / 10^6} USD
 * ({@link CandidateModel#costOf(long, long)}). Otherwise the cost stays unknown ({@code NaN}).
 *
 * @param recorded outcomes whose {@code cost_usd} the log records
 * @param derived outcomes whose cost was derived from prices and token counts
 * @param unknown outcomes with no cost at all
 * @since 0.1.0
 */
public record CostCoverage(long recorded, long derived, long unknown) {

  /**
   * Checks the counts.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public CostCoverage {
    if (recorded < 0 || derived < 0 || unknown < 0) {
      throw new IllegalArgumentException("cost counts must be at least 0, got recorded "
          + recorded + ", derived " + derived + ", unknown " + unknown);
    }
  }

  /**
   * Whether no outcome has a cost: a router trained on such a log cannot weigh cost and must
   * not state one.
   *
   * @return {@code true} when every cost is unknown
   */
  public boolean none() {
    return recorded + derived == 0;
  }
}
