package dev.haps.data;

import dev.haps.api.params.ParameterValues;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
   * @throws IllegalArgumentException if the model is blank
   */
  public Configuration {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params must not be null; use ParameterValues.empty()");
    if (model.isBlank()) {
      throw new IllegalArgumentException("a configuration's model must not be blank");
    }
  }

  /**
   * A stable identity for files and maps: the model, then each parameter as {@code name=value}
   * in name order, separated by single spaces, e.g. {@code gpt-4 prompt_style=concise
   * temperature=0.7}. Equal configurations have equal keys whatever the order their parameters
   * were given in.
   *
   * @return the key
   */
  public String key() {
    StringBuilder sb = new StringBuilder(model);
    Map<String, Object> sorted = new TreeMap<>(params.asMap());
    sorted.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
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
