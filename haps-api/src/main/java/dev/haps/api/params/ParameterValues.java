package dev.haps.api.params;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Concrete values for some or all of a model's parameters, as chosen by the low-level router or
 * set by hand. Values are stored in canonical form: {@link Double} for floats, {@link Long} for
 * ints, {@link String} for categoricals, {@code float[]} for tensors.
 *
 * <p>Immutable and thread-safe; tensor values are copied in and out.
 *
 * @since 0.1.0
 */
public final class ParameterValues {

  private static final ParameterValues EMPTY = new ParameterValues(Map.of());

  private final Map<String, Object> values;

  private ParameterValues(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * No values: the model runs with its defaults.
   *
   * @return the empty set of values
   */
  public static ParameterValues empty() {
    return EMPTY;
  }

  /**
   * Values from a map of name to value. Numbers become {@link Double} or {@link Long}.
   *
   * @param values name to value; no null keys or values
   * @return the values
   * @throws IllegalArgumentException for a null or unsupported value type
   */
  public static ParameterValues of(Map<String, ?> values) {
    Builder b = builder();
    values.forEach(b::put);
    return b.build();
  }

  /**
   * A builder that accepts values in insertion order.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The parameter names that carry a value, in insertion order.
   *
   * @return an unmodifiable set
   */
  public Set<String> names() {
    return values.keySet();
  }

  /**
   * Whether no parameter carries a value.
   *
   * @return {@code true} when empty
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The value of a parameter, in canonical form (tensors copied).
   *
   * @param name the parameter name
   * @return the value, if set
   */
  public Optional<Object> get(String name) {
    Object v = values.get(name);
    if (v instanceof float[]) {
      float[] a = (float[]) v;
      return Optional.of(Arrays.copyOf(a, a.length));
    }
    return Optional.ofNullable(v);
  }

  /**
   * A float parameter's value.
   *
   * @param name the parameter name
   * @return the value
   * @throws IllegalArgumentException if unset or not a number
   */
  public double getDouble(String name) {
    return ((Number) require(name, Number.class)).doubleValue();
  }

  /**
   * An int parameter's value.
   *
   * @param name the parameter name
   * @return the value
   * @throws IllegalArgumentException if unset or not a {@link Long}; a whole number stored as a
   *     {@link Double} (values not yet checked against their space) is refused too, with a hint
   *     to use the canonical values {@link ParameterSpace#validate} returns
   */
  public long getLong(String name) {
    Object v = require(name, Number.class);
    if (!(v instanceof Long)) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d)) {
        throw new IllegalArgumentException("parameter '" + name + "' = " + v + " is stored as a"
            + " Double; check the values with ParameterSpace.validate, which returns ints as Long,"
            + " and read the returned values");
      }
      throw new IllegalArgumentException(
          "parameter '" + name + "' = " + v + " is not a whole number; use getDouble");
    }
    return (Long) v;
  }

  /**
   * A categorical parameter's value.
   *
   * @param name the parameter name
   * @return the chosen value
   * @throws IllegalArgumentException if unset or not a string
   */
  public String getString(String name) {
    return (String) require(name, String.class);
  }

  /**
   * A tensor parameter's value, copied.
   *
   * @param name the parameter name
   * @return the elements in row-major order
   * @throws IllegalArgumentException if unset or not a tensor
   */
  public float[] getTensor(String name) {
    float[] a = (float[]) require(name, float[].class);
    return Arrays.copyOf(a, a.length);
  }

  /**
   * The values as a map (tensors are not copied: do not modify them).
   *
   * @return an unmodifiable map in insertion order
   */
  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * A copy with one value added or replaced.
   *
   * @param name the parameter name
   * @param value the value
   * @return the new values
   */
  public ParameterValues with(String name, Object value) {
    Builder b = builder();
    values.forEach(b::put);
    return b.put(name, value).build();
  }

  private Object require(String name, Class<?> type) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' has no value; set: " + values.keySet());
    }
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(
          "parameter '" + name + "' is a " + v.getClass().getSimpleName() + ", not a "
              + type.getSimpleName());
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ParameterValues)) {
      return false;
    }
    Map<String, Object> other = ((ParameterValues) o).values;
    if (!other.keySet().equals(values.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!Objects.deepEquals(e.getValue(), other.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      int vh = v instanceof float[] ? Arrays.hashCode((float[]) v) : v.hashCode();
      h += e.getKey().hashCode() ^ vh;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      Object v = e.getValue();
      sb.append(e.getKey()).append('=');
      sb.append(v instanceof float[] ? "float[" + ((float[]) v).length + "]" : v);
    }
    return sb.append('}').toString();
  }

  /**
   * Builds {@link ParameterValues}; not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets a value, converting numbers to canonical form: integral boxed types become
     * {@link Long}, other numbers {@link Double}.
     *
     * @param name the parameter name
     * @param value a number, a string or a float[]
     * @return this builder
     * @throws IllegalArgumentException for a null name or value or an unsupported type
     */
    public Builder put(String name, Object value) {
      Checks.name(name);
      if (value == null) {
        throw new IllegalArgumentException("parameter '" + name + "' value must not be null");
      }
      Object canonical;
      if (value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof Byte) {
        canonical = ((Number) value).longValue();
      } else if (value instanceof Number) {
        canonical = ((Number) value).doubleValue();
      } else if (value instanceof String) {
        canonical = value;
      } else if (value instanceof float[]) {
        float[] a = (float[]) value;
        canonical = Arrays.copyOf(a, a.length);
      } else {
        throw new IllegalArgumentException(
            "parameter '" + name + "' has unsupported value type " + value.getClass().getName()
                + "; use a number, a String or a float[]");
      }
      values.put(name, canonical);
      return this;
    }

    /**
     * Builds the immutable values.
     *
     * @return the values
     */
    public ParameterValues build() {
      return values.isEmpty()
          ? EMPTY
          : new ParameterValues(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
