package dev.haps.api.params;

import dev.haps.api.error.InvalidParameterException;
import java.util.Objects;

/** Shared argument checks for the parameter types; messages state the rule and the value. */
final class Checks {
  private Checks() {}

  static String name(String name) {
    Objects.requireNonNull(name, "parameter name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("parameter name must not be blank");
    }
    return name;
  }

  static InvalidParameterException invalid(String name, Object value, String rule) {
    String shown = String.valueOf(value);
    return new InvalidParameterException(
        name, shown, "parameter '" + name + "' = " + shown + " is invalid: " + rule);
  }
}
