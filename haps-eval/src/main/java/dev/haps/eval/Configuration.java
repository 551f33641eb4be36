package dev.haps.eval;

import dev.haps.api.params.ParameterValues;
import java.util.Objects;

/**
 * One fixed (model, parameters) configuration that an outcome log records, with its index in the
 * evaluation's configuration list.
 *
 * @param index position in {@link OutcomeTable#configurations()}
 * @param model the candidate model id
 * @param params the parameter values exactly as the log records them ({@code {}} = defaults)
 * @since 0.1.0
 */
public record Configuration(int index, String model, ParameterValues params) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if the model or the params are null
   */
  public Configuration {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
  }

  /**
   * This configuration as a routing decision.
   *
   * @return the decision
   */
  public Decision decision() {
    return new Decision(model, params);
  }

  /**
   * A short label such as {@code gpt-4 (prompt_style=concise)} or {@code gpt-4}.
   *
   * @return the label
   */
  public String label() {
    if (params.isEmpty()) {
      return model;
    }
    String p = params.toString();
    return model + " (" + p.substring(1, p.length() - 1) + ")";
  }
}
