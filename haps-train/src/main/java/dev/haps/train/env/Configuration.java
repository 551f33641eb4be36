package dev.haps.train.env;

import dev.haps.api.params.ParameterValues;
import java.util.Objects;

/**
 * One discrete (model, parameters) configuration of an outcome log: a candidate model and a
 * complete set of parameter values (every declared parameter set, continuous values snapped to
 * an observed value).
 *
 * @param candidate the model's index in the log's candidate list
 * @param model the model id
 * @param params the complete, snapped parameter values
 * @since 0.1.0
 */
public record Configuration(int candidate, String model, ParameterValues params) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the index is negative
   * @throws NullPointerException if the model or params is null
   */
  public Configuration {
    if (candidate < 0) {
      throw new IllegalArgumentException("candidate index must be at least 0, got " + candidate);
    }
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
  }

  @Override
  public String toString() {
    return params.isEmpty() ? model : model + " " + params.asMap();
  }
}
