package dev.haps.api.params;

/**
 * A whole-number parameter in the closed range [min, max], such as {@code max_tokens}.
 *
 * @param name the parameter name
 * @param min the smallest allowed value
 * @param max the largest allowed value (at least {@code min})
 * @param defaultValue the default, inside [min, max]
 * @since 0.1.0
 */
public record IntSpec(String name, long min, long max, Long defaultValue) implements ParameterSpec {

  /**
   * Validates the spec itself.
   *
   * @param name the parameter name
   * @param min the smallest allowed value
   * @param max the largest allowed value (at least {@code min})
   * @param defaultValue the default, inside [min, max]
   * @throws IllegalArgumentException if min &gt; max or the default is outside the range
   */
  public IntSpec {
    Checks.name(name);
    if (min > max) {
      throw new IllegalArgumentException(
          "int parameter '" + name + "' has min " + min + " > max " + max);
    }
    if (defaultValue == null || defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException(
          "int parameter '" + name + "' default " + defaultValue + " is outside [" + min + ", "
              + max + "]");
    }
  }

  /**
   * Creates an int spec.
   *
   * @param name the parameter name
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param defaultValue the default
   * @return the spec
   */
  public static IntSpec of(String name, long min, long max, long defaultValue) {
    return new IntSpec(name, min, max, defaultValue);
  }

  @Override
  public Object validate(Object value) {
    long v;
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      v = ((Number) value).longValue();
    } else if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        throw Checks.invalid(name, value, "expected a whole number in [" + min + ", " + max + "]");
      }
      v = (long) d;
    } else {
      throw Checks.invalid(name, value, "expected a whole number in [" + min + ", " + max + "]");
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
    return Kind.INT;
  }
}
