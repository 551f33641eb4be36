package dev.haps.api.params;

/**
 * The declared domain of one tunable parameter of one model: what the low-level router may
 * generate for it, and what a provider accepts. The family is closed:
 *
 * <ul>
 *   <li>{@link FloatSpec}: a real number in [min, max];
 *   <li>{@link IntSpec}: a whole number in [min, max];
 *   <li>{@link CategoricalSpec}: one of a fixed list of strings;
 *   <li>{@link TensorSpec}: a float tensor of fixed shape, reserved for white-box backends that
 *       accept generated weights (the paper's LoRA factors).
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public sealed interface ParameterSpec permits FloatSpec, IntSpec, CategoricalSpec, TensorSpec {

  /**
   * The parameter's name, unique within its {@link ParameterSpace}, e.g. {@code temperature}.
   *
   * @return the name
   */
  String name();

  /**
   * The value used when nothing else is chosen.
   *
   * @return the default value: a {@link Double}, {@link Long}, {@link String} or {@code float[]}
   */
  Object defaultValue();

  /**
   * Checks a value against this spec and returns it in canonical form (a {@link Double} for
   * floats, a {@link Long} for ints, the {@link String} for categoricals, a copy of the array for
   * tensors).
   *
   * @param value the candidate value
   * @return the canonical value
   * @throws dev.haps.api.error.InvalidParameterException naming the parameter, the value and the
   *     bound it broke
   */
  Object validate(Object value);

  /**
   * The kind of this spec, for code that cannot use pattern matching.
   *
   * @return the kind
   */
  Kind kind();

  /**
   * The kinds of parameter spec.
   *
   * @since 0.1.0
   */
  enum Kind {
    /** See {@link FloatSpec}. */
    FLOAT,
    /** See {@link IntSpec}. */
    INT,
    /** See {@link CategoricalSpec}. */
    CATEGORICAL,
    /** See {@link TensorSpec}. */
    TENSOR
  }
}
