package dev.haps.train.model;

import dev.haps.api.params.ParameterValues;

/**
 * Maps a generated (candidate, parameters) decision onto the index of a known configuration,
 * snapping continuous values as the offline environment does.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConfigResolver {

  /**
   * The configuration a decision runs as.
   *
   * @param candidate the candidate index
   * @param params decoded parameters
   * @return the configuration index
   */
  int resolve(int candidate, ParameterValues params);
}
