package dev.haps.api.params;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered set of tunable parameters one model accepts. Names are unique. The order is the
 * order of the router's output slots and of documentation tables.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ParameterSpace {

  private static final ParameterSpace EMPTY = new ParameterSpace(List.of());

  private final List<ParameterSpec> specs;
  private final Map<String, ParameterSpec> byName;

  private ParameterSpace(List<ParameterSpec> specs) {
    Map<String, ParameterSpec> m = new LinkedHashMap<>();
    for (ParameterSpec s : specs) {
      Objects.requireNonNull(s, "parameter spec must not be null");
      if (m.put(s.name(), s) != null) {
        throw new IllegalArgumentException("duplicate parameter name '" + s.name() + "'");
      }
    }
    this.specs = List.copyOf(specs);
    this.byName = Collections.unmodifiableMap(m);
  }

  /**
   * The space with no parameters: the model runs with its defaults.
   *
   * @return the empty space
   */
  public static ParameterSpace empty() {
    return EMPTY;
  }

  /**
   * Creates a space from specs in slot order.
   *
   * @param specs the specs, with distinct names
   * @return the space
   * @throws IllegalArgumentException on a duplicate name
   */
  public static ParameterSpace of(ParameterSpec... specs) {
    return of(List.of(specs));
  }

  /**
   * Creates a space from specs in slot order.
   *
   * @param specs the specs, with distinct names
   * @return the space
   * @throws IllegalArgumentException on a duplicate name
   */
  public static ParameterSpace of(List<? extends ParameterSpec> specs) {
    return specs.isEmpty() ? EMPTY : new ParameterSpace(new ArrayList<>(specs));
  }

  /**
   * The specs in slot order.
   *
   * @return an unmodifiable list
   */
  public List<ParameterSpec> specs() {
    return specs;
  }

  /**
   * Looks a spec up by name.
   *
   * @param name the parameter name
   * @return the spec, if this space declares it
   */
  public Optional<ParameterSpec> spec(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Whether this space declares no parameter.
   *
   * @return {@code true} when empty
   */
  public boolean isEmpty() {
    return specs.isEmpty();
  }

  /**
   * Every parameter at its default.
   *
   * @return the default values
   */
  public ParameterValues defaults() {
    ParameterValues.Builder b = ParameterValues.builder();
    for (ParameterSpec s : specs) {
      b.put(s.name(), s.defaultValue());
    }
    return b.build();
  }

  /**
   * Checks values against this space and returns them in canonical form: every name must be
   * declared and every value must be in range. Parameters the values leave out are allowed (the
   * backend's default applies) and stay absent.
   *
   * <p>Use the returned values, not the given ones: a whole number given as a {@link Double} (as
   * JSON readers and {@code Map.of("max_tokens", 5.0)} produce) passes an int spec and comes back
   * as the {@link Long} {@code 5}, so {@link ParameterValues#getLong} and a wire format see a
   * whole number.
   *
   * @param values the values to check
   * @return the same values in canonical form: {@link Double} for floats, {@link Long} for ints,
   *     the {@link String} for categoricals, a copy for tensors; in the given order
   * @throws dev.haps.api.error.InvalidParameterException for an undeclared name or a value out of
   *     range; the message lists the declared names
   */
  public ParameterValues validate(ParameterValues values) {
    ParameterValues.Builder canonical = ParameterValues.builder();
    for (String name : values.names()) {
      ParameterSpec s = byName.get(name);
      if (s == null) {
        throw Checks.invalid(name, values.get(name).orElse(null),
            "not a declared parameter; declared: " + byName.keySet());
      }
      canonical.put(name, s.validate(values.get(name).orElseThrow()));
    }
    return canonical.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSpace && ((ParameterSpace) o).specs.equals(specs);
  }

  @Override
  public int hashCode() {
    return specs.hashCode();
  }

  @Override
  public String toString() {
    return "ParameterSpace" + specs;
  }
}
