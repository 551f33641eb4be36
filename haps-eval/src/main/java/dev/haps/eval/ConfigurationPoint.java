package dev.haps.eval;

import dev.haps.data.Configuration;

/**
 * A fixed configuration's mean cost and mean score on the evaluated split.
 *
 * @param configuration the configuration
 * @param meanCost mean cost per query, USD
 * @param meanScore mean score
 * @since 0.1.0
 */
public record ConfigurationPoint(Configuration configuration, double meanCost, double meanScore) {}
