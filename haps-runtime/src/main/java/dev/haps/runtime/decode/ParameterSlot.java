package dev.haps.runtime.decode;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.TensorSpec;
import java.util.Objects;

/**
 * Where one parameter's raw outputs sit in its candidate's parameter output row, and how they
 * are decoded.
 *
 * @param spec the declared parameter
 * @param slot the first slot (column) of the candidate's output row
 * @param transform the decoding rule; must suit the spec's kind
 * @since 0.1.0
 */
public record ParameterSlot(ParameterSpec spec, int slot, Transform transform) {

  /**
   * Checks the slot and that the transform suits the spec.
   *
   * @throws IllegalArgumentException for a negative slot or a transform the kind does not allow
   */
  public ParameterSlot {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(transform, "transform");
    if (slot < 0) {
      throw new IllegalArgumentException("parameter '" + spec.name() + "' slot " + slot
          + " is negative");
    }
    if (!allowed(spec).contains(transform.manifestName())) {
      throw new IllegalArgumentException("parameter '" + spec.name() + "' of kind "
          + spec.kind().name().toLowerCase(java.util.Locale.ROOT) + " cannot use transform '"
          + transform.manifestName() + "'; expected " + allowed(spec));
    }
  }

  /**
   * The number of slots this parameter occupies: 1 for float and int, the number of choices for
   * categorical, the element count for tensor.
   *
   * @return the width
   */
  public int width() {
    if (spec instanceof CategoricalSpec) {
      return ((CategoricalSpec) spec).choices().size();
    }
    if (spec instanceof TensorSpec) {
      return ((TensorSpec) spec).size();
    }
    return 1;
  }

  /**
   * The transform used when a manifest names none: sigmoid for float and int, argmax for
   * categorical, identity for tensor.
   *
   * @param spec the parameter
   * @return the default transform
   */
  public static Transform defaultTransform(ParameterSpec spec) {
    if (spec instanceof CategoricalSpec) {
      return Transform.ARGMAX;
    }
    if (spec instanceof TensorSpec) {
      return Transform.IDENTITY;
    }
    return Transform.SIGMOID;
  }

  private static java.util.List<String> allowed(ParameterSpec spec) {
    if (spec instanceof FloatSpec || spec instanceof IntSpec) {
      return java.util.List.of("sigmoid", "clamp");
    }
    if (spec instanceof CategoricalSpec) {
      return java.util.List.of("argmax");
    }
    return java.util.List.of("identity");
  }
}
