package dev.haps.data;

import dev.haps.api.params.ParameterValues;
import java.util.Objects;

/**
 * One fixed (model, parameters) configuration of an outcome log: what a router can choose, what
 * the trainer learns to predict and what the evaluation scores. Its position in a list of
 * configurations (a column of a table, a head output) belongs to that list, not to the
 * configuration.
 *
 * @param model the candidate model id, as in {@code candidates.json}
 * @param params the parameter values ({@code {}} = the model's defaults); the trainer completes
 *     and snaps them, the evaluation keeps them exactly as the log records them
 * @since 0.1.0
 */
public record Configuration(String model, ParameterValues params) {

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

  /**
   * The model and its parameter map, e.g. {@code gpt-4 {prompt_style=concise}}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return params.isEmpty() ? model : model + " " + params.asMap();
  }
}
