package dev.haps.train.model;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.api.params.TensorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How one candidate's parameters map onto raw output slots (the bundle contract's decoding) and,
 * for value heads, which discrete configurations the generator scores.
 *
 * <p>Slots follow the parameter space's order: a float or int parameter takes one slot decoded
 * as {@code min + (max − min)·σ(u)} (ints then rounded half-up); a categorical parameter takes one
 * slot per choice, decoded by argmax (first index wins a tie).
 *
 * @param model the candidate's model id
 * @param space the candidate's parameter space
 * @param configs for value heads, the configurations the generator scores (complete parameter
 *     values); for policy heads, empty
 * @since 0.1.0
 */
public record CandidateOutputs(String model, ParameterSpace space, List<ParameterValues> configs) {

  /** Raw slot value that decodes to a bound: σ(±12) is within 7e-6 of 0 or 1. */
  private static final double EDGE = 12.0;

  private static final String TENSOR_REFUSED = "tensor parameters are refused by the constructor";

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the space holds a tensor parameter (not trainable from
   *     black-box outcome logs)
   */
  public CandidateOutputs {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(space, "space");
    configs = List.copyOf(configs);
    for (ParameterSpec s : space.specs()) {
      boolean learnable = switch (s.kind()) {
        case FLOAT, INT, CATEGORICAL -> true;
        case TENSOR -> false;
      };
      if (!learnable) {
        throw new IllegalArgumentException("model '" + model + "' declares tensor parameter '"
            + s.name() + "'; tensor parameters cannot be learned from outcome logs of black-box"
            + " backends, remove it from candidates.json");
      }
    }
  }

  /**
   * The number of raw output slots.
   *
   * @return P, 0 for an empty space
   */
  public int slots() {
    int n = 0;
    for (ParameterSpec s : space.specs()) {
      n += width(s);
    }
    return n;
  }

  /**
   * The first slot of each parameter, in space order.
   *
   * @return the offsets
   */
  public List<Integer> slotOffsets() {
    List<Integer> out = new ArrayList<>();
    int n = 0;
    for (ParameterSpec s : space.specs()) {
      out.add(n);
      n += width(s);
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The slots holding numbers (float or int), for the learned spread in policy training.
   *
   * @return slot indices
   */
  int[] numericSlots() {
    List<Integer> off = slotOffsets();
    List<Integer> out = new ArrayList<>();
    List<ParameterSpec> specs = space.specs();
    for (int i = 0; i < specs.size(); i++) {
      if (numeric(specs.get(i))) {
        out.add(off.get(i));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  static int width(ParameterSpec s) {
    return switch (s.kind()) {
      case FLOAT, INT -> 1;
      case CATEGORICAL -> ((CategoricalSpec) s).choices().size();
      case TENSOR -> ((TensorSpec) s).size();
    };
  }

  /** Whether a parameter's slot holds a number (float or int) rather than per-choice scores. */
  static boolean numeric(ParameterSpec s) {
    return switch (s.kind()) {
      case FLOAT, INT -> true;
      case CATEGORICAL, TENSOR -> false;
    };
  }

  /**
   * The raw slot values that decode to the given parameter values.
   *
   * @param values complete values for this space
   * @return {@link #slots()} raw values
   */
  public double[] encode(ParameterValues values) {
    double[] u = new double[slots()];
    int off = 0;
    for (ParameterSpec s : space.specs()) {
      Object v = values.get(s.name()).orElse(s.defaultValue());
      int used = switch (s.kind()) {
        case CATEGORICAL -> {
          CategoricalSpec c = (CategoricalSpec) s;
          u[off + c.indexOf((String) v)] = 1.0;
          yield c.choices().size();
        }
        case FLOAT -> {
          FloatSpec f = (FloatSpec) s;
          u[off] = unitLogit(v, f.min(), f.max());
          yield 1;
        }
        case INT -> {
          IntSpec i = (IntSpec) s;
          u[off] = unitLogit(v, i.min(), i.max());
          yield 1;
        }
        case TENSOR -> throw new IllegalStateException(TENSOR_REFUSED);
      };
      off += used;
    }
    return u;
  }

  /**
   * Decodes raw slot values as the runtime does.
   *
   * @param raw the raw outputs, {@link #slots()} long (from {@code offset})
   * @param offset where this candidate's slots start in {@code raw}
   * @return the parameter values, inside the space
   */
  public ParameterValues decode(double[] raw, int offset) {
    ParameterValues.Builder b = ParameterValues.builder();
    int off = offset;
    for (ParameterSpec s : space.specs()) {
      Object value = switch (s.kind()) {
        case CATEGORICAL -> {
          CategoricalSpec c = (CategoricalSpec) s;
          int best = 0;
          for (int i = 1; i < c.choices().size(); i++) {
            if (raw[off + i] > raw[off + best]) {
              best = i;
            }
          }
          yield c.choices().get(best);
        }
        case FLOAT -> {
          FloatSpec f = (FloatSpec) s;
          yield f.min() + (f.max() - f.min()) * sigmoid(raw[off]);
        }
        case INT -> {
          IntSpec i = (IntSpec) s;
          double v = i.min() + (i.max() - i.min()) * sigmoid(raw[off]);
          long r = (long) Math.floor(v + 0.5);
          yield Math.max(i.min(), Math.min(i.max(), r));
        }
        case TENSOR -> throw new IllegalStateException(TENSOR_REFUSED);
      };
      b.put(s.name(), value);
      off += width(s);
    }
    return b.build();
  }

  private static double unitLogit(Object v, double lo, double hi) {
    return hi > lo ? logit((((Number) v).doubleValue() - lo) / (hi - lo)) : 0.0;
  }

  static double logit(double x) {
    double e = 1 / (1 + Math.exp(EDGE));
    double c = Math.max(e, Math.min(1 - e, x));
    return Math.log(c / (1 - c));
  }

  static double sigmoid(double u) {
    return 1 / (1 + Math.exp(-u));
  }
}
