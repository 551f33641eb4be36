package dev.haps.api.params;

/**
 * A real-valued parameter in the closed range [min, max], such as {@code temperature}.
 *
 * @param name the parameter name
 * @param min the smallest allowed value (finite)
 * @param max the largest allowed value (finite, at least {@code min})
 * @param defaultValue the default, inside [min, max]
 * @since 0.1.0
 */
public record FloatSpec(String name, double min, double max, Double defaultValue)
    implements ParameterSpec {

  /**
   * Validates the spec itself.
   *
   * @param name the parameter name
   * @param min the smallest allowed value (finite)
   * @param max the largest allowed value (finite, at least {@code min})
   * @param defaultValue the default, inside [min, max]
   * @throws IllegalArgumentException if a bound is not finite, min &gt; max, or the default is
   *     outside the range
   */
  public FloatSpec {
    Checks.name(name);
    if (!Double.isFinite(min) || !Double.isFinite(max)) {
      throw new IllegalArgumentException(
          "float parameter '" + name + "' needs finite bounds, got [" + min + ", " + max + "]");
    }
    if (min > max) {
      throw new IllegalArgumentException(
          "float parameter '" + name + "' has min " + min + " > max " + max);
    }
    if (defaultValue == null || !(defaultValue >= min && defaultValue <= max)) {
      throw new IllegalArgumentException(
          "float parameter '" + name + "' default " + defaultValue + " is outside [" + min + ", "
              + max + "]");
    }
  }

  /**
   * Creates a float spec.
   *
   * @param name the parameter name
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param defaultValue the default
   * @return the spec
   */
  public static FloatSpec of(String name, double min, double max, double defaultValue) {
    return new FloatSpec(name, min, max, defaultValue);
  }

  @Override
  public Object validate(Object value) {
    if (!(value instanceof Number)) {
      throw Checks.invalid(name, value, "expected a number in [" + min + ", " + max + "]");
    }
    double v = ((Number) value).doubleValue();
    if (!Double.isFinite(v)) {
      throw Checks.invalid(name, value, "expected a finite number in [" + min + ", " + max + "]");
    }
    if (v < min) {
      throw Checks.invalid(name, value, "below the minimum " + min);
    }
    if (v > max) {
      throw Checks.invalid(name, value, "above the maximum " + max);
    }
    return v;
  }

  @Override
  public Kind kind() {
    return Kind.FLOAT;
  }
}
