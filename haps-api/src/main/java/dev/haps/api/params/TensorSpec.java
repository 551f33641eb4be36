package dev.haps.api.params;

import java.util.Arrays;
import java.util.List;

/**
 * A float tensor of fixed shape, reserved for white-box backends that accept generated weights
 * (for example the rank-r LoRA factors of the HAPS paper). Its default is all zeros: "no update".
 *
 * @param name the parameter name
 * @param shape the dimensions, each positive
 * @since 0.1.0
 */
public record TensorSpec(String name, List<Integer> shape) implements ParameterSpec {

  /** Refuses tensors over this many elements: generated weights larger than this are a bug. */
  static final long MAX_ELEMENTS = 1L << 26;

  /**
   * Validates the spec itself and copies the shape.
   *
   * @param name the parameter name
   * @param shape the dimensions, each positive
   * @throws IllegalArgumentException if the shape is empty, has a non-positive dimension, or is
   *     absurdly large
   */
  public TensorSpec {
    Checks.name(name);
    shape = List.copyOf(shape);
    if (shape.isEmpty()) {
      throw new IllegalArgumentException("tensor parameter '" + name + "' has an empty shape");
    }
    long n = 1;
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "tensor parameter '" + name + "' has a non-positive dimension in shape " + shape);
      }
      n *= d;
      if (n > MAX_ELEMENTS) {
        throw new IllegalArgumentException(
            "tensor parameter '" + name + "' shape " + shape + " exceeds " + MAX_ELEMENTS
                + " elements");
      }
    }
  }

  /**
   * The number of elements: the product of the shape.
   *
   * @return the element count
   */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public Object defaultValue() {
    return new float[size()];
  }

  @Override
  public Object validate(Object value) {
    if (!(value instanceof float[])) {
      throw Checks.invalid(name, value == null ? "null" : value.getClass().getSimpleName(),
          "expected a float[] of " + size() + " elements (shape " + shape + ")");
    }
    float[] a = (float[]) value;
    if (a.length != size()) {
      throw Checks.invalid(name, "float[" + a.length + "]",
          "expected " + size() + " elements (shape " + shape + ")");
    }
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw Checks.invalid(name, "float[" + a.length + "]", "element " + i + " is " + a[i]);
      }
    }
    return Arrays.copyOf(a, a.length);
  }

  @Override
  public Kind kind() {
    return Kind.TENSOR;
  }
}
