package dev.haps.api.params;

import java.util.HashSet;
import java.util.List;

/**
 * A parameter that takes one of a fixed list of string choices, such as a prompt style or a
 * reasoning effort. The order of {@link #choices()} is the order of the router's output slots.
 *
 * @param name the parameter name
 * @param choices the allowed values, non-empty and distinct
 * @param defaultValue the default, one of the choices
 * @since 0.1.0
 */
public record CategoricalSpec(String name, List<String> choices, String defaultValue)
    implements ParameterSpec {

  /**
   * Validates the spec itself and copies the choices.
   *
   * @param name the parameter name
   * @param choices the allowed values, non-empty and distinct
   * @param defaultValue the default, one of the choices
   * @throws IllegalArgumentException if there are no choices, duplicates, or the default is not
   *     a choice
   */
  public CategoricalSpec {
    Checks.name(name);
    choices = List.copyOf(choices);
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("categorical parameter '" + name + "' has no choices");
    }
    if (new HashSet<>(choices).size() != choices.size()) {
      throw new IllegalArgumentException(
          "categorical parameter '" + name + "' has duplicate choices: " + choices);
    }
    if (defaultValue == null || !choices.contains(defaultValue)) {
      throw new IllegalArgumentException(
          "categorical parameter '" + name + "' default '" + defaultValue + "' is not one of "
              + choices);
    }
  }

  /**
   * Creates a categorical spec.
   *
   * @param name the parameter name
   * @param defaultValue the default choice
   * @param choices the allowed values
   * @return the spec
   */
  public static CategoricalSpec of(String name, String defaultValue, String... choices) {
    return new CategoricalSpec(name, List.of(choices), defaultValue);
  }

  /**
   * The position of a choice in {@link #choices()}.
   *
   * @param choice a choice
   * @return its index, or -1 if it is not a choice
   */
  public int indexOf(String choice) {
    return choices.indexOf(choice);
  }

  @Override
  public Object validate(Object value) {
    if (!(value instanceof String) || !choices.contains(value)) {
      throw Checks.invalid(name, value instanceof String ? "'" + value + "'" : value,
          "expected one of " + choices);
    }
    return value;
  }

  @Override
  public Kind kind() {
    return Kind.CATEGORICAL;
  }
}
