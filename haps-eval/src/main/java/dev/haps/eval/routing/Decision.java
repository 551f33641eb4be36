package dev.haps.eval.routing;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;
import java.util.Objects;

/**
 * What a router chose for one query at one cost weight: a model and its parameters. The
 * evaluation maps it to the recorded outcome of the nearest configuration (see {@link
 * OutcomeTable#snap(Decision)}).
 *
 * @param model the candidate model id
 * @param params the chosen parameters; values the log never observed are snapped
 * @since 0.1.0
 */
public record Decision(String model, ParameterValues params) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if the model or the params are null
   */
  public Decision {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
  }

  /**
   * The decision to run a configuration.
   *
   * @param configuration the configuration
   * @return the decision
   */
  public static Decision of(Configuration configuration) {
    return new Decision(configuration.model(), configuration.params());
  }
}
