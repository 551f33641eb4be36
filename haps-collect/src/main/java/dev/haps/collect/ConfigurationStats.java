package dev.haps.collect;

import dev.haps.data.Configuration;
import java.util.Objects;

/**
 * What one configuration scored and cost over the collected queries.
 *
 * @param configuration the configuration
 * @param graded the pairs graded (the outcomes in the log)
 * @param meanScore the mean score over the graded pairs, NaN when none
 * @param meanCostUsd the mean cost over the graded pairs with a known cost, NaN when none
 * @param ungraded the pairs answered but not graded (each reported with its reason)
 * @param failed the pairs whose call or judge failed (each reported with its error)
 * @param judgeCostUsd what judging this configuration's answers cost in total
 * @since 0.1.0
 */
public record ConfigurationStats(
    Configuration configuration,
    int graded,
    double meanScore,
    double meanCostUsd,
    int ungraded,
    int failed,
    double judgeCostUsd) {

  /**
   * Checks the fields.
   *
   * @param configuration the configuration
   * @param graded the pairs graded
   * @param meanScore the mean score, NaN when none
   * @param meanCostUsd the mean cost, NaN when none
   * @param ungraded the pairs not graded
   * @param failed the pairs failed
   * @param judgeCostUsd the judging cost
   * @throws IllegalArgumentException if a count is negative
   */
  public ConfigurationStats {
    Objects.requireNonNull(configuration, "configuration");
    if (graded < 0 || ungraded < 0 || failed < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }
}
