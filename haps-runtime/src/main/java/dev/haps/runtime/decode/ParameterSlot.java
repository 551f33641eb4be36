package dev.haps.runtime.decode;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.TensorSpec;
import java.util.ArrayList;
import java.util.List;
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
    return switch (spec.kind()) {
      case FLOAT, INT -> 1;
      case CATEGORICAL -> ((CategoricalSpec) spec).choices().size();
      case TENSOR -> ((TensorSpec) spec).size();
    };
  }

  /**
   * The transforms a kind allows, its default first: sigmoid (default) or clamp for float and
   * int, argmax for categorical, identity for tensor.
   *
   * @param kind the parameter's kind
   * @return the allowed transforms, never empty
   */
  public static List<Transform> transforms(ParameterSpec.Kind kind) {
    return switch (kind) {
      case FLOAT, INT -> List.of(Transform.SIGMOID, Transform.CLAMP);
      case CATEGORICAL -> List.of(Transform.ARGMAX);
      case TENSOR -> List.of(Transform.IDENTITY);
    };
  }

  /**
   * The transform used when a manifest names none: the first of {@link #transforms}.
   *
   * @param spec the parameter
   * @return the default transform
   */
  public static Transform defaultTransform(ParameterSpec spec) {
    return transforms(spec.kind()).get(0);
  }

  private static List<String> allowed(ParameterSpec spec) {
    List<String> names = new ArrayList<>();
    for (Transform t : transforms(spec.kind())) {
      names.add(t.manifestName());
    }
    return names;
  }
}
