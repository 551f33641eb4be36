package dev.haps.collect;

import dev.haps.api.params.ParameterValues;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One candidate configuration of a collection: a candidate model and the parameter values it
 * runs with (canonical form: {@link Double} floats, {@link Long} ints, {@link String} choices).
 *
 * @param model the candidate id, as the outcome log names it
 * @param params the parameter values; empty when the model runs with its backend's defaults
 * @since 0.1.0
 */
public record Configuration(String model, ParameterValues params) {

  /**
   * Checks the fields.
   *
   * @param model the candidate id
   * @param params the parameter values
   * @throws IllegalArgumentException if the model is blank
   * @throws NullPointerException if {@code params} is null
   */
  public Configuration {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a configuration's model must not be blank");
    }
    Objects.requireNonNull(params, "params must not be null; use ParameterValues.empty()");
  }

  /**
   * A stable text key: the model and the parameters sorted by name, e.g.
   * {@code gpt-4o-mini prompt_style=concise temperature=0.7}. The collector's journal names
   * configurations by it.
   *
   * @return the key
   */
  public String key() {
    StringBuilder sb = new StringBuilder(model);
    Map<String, Object> sorted = new TreeMap<>(params.asMap());
    sorted.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  /** The {@link #key()}. */
  @Override
  public String toString() {
    return key();
  }
}
