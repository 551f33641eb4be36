package dev.haps.runtime.decode;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.api.params.TensorSpec;

/**
 * Maps a candidate's raw parameter outputs to {@link ParameterValues} that are always inside the
 * declared space, whatever the raw values (huge, NaN, infinite).
 *
 * <p>Rules, for raw row {@code u} (see {@code docs/bundle-format.md}):
 *
 * <ul>
 *   <li>float, {@code sigmoid}: {@code (1 − σ(u))·min + σ(u)·max}; {@code clamp}: {@code u}
 *       limited to [min, max]. The network computes in float32, so the result carries float32
 *       precision only: it is rounded to the shortest decimal that reads back as the same
 *       float32 ({@code 0.7}, not {@code 0.69999999724559}), then clamped to [min, max] again
 *       against rounding. A NaN raw value gives the default.
 *   <li>int: the float rule, then rounded half up ({@code floor(x + 0.5)}) and clamped to
 *       [min, max]; NaN gives the default.
 *   <li>categorical, {@code argmax}: the choice at the largest raw value; the first wins a tie;
 *       NaN slots never win; all NaN gives the default.
 *   <li>tensor, {@code identity}: the raw slots; NaN becomes 0, ±∞ becomes ±{@link
 *       Float#MAX_VALUE}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
final class ParameterDecoder {

  private ParameterDecoder() {}

  /**
   * Decodes one candidate's raw row.
   *
   * @param head the candidate's layout
   * @param raw the raw outputs
   * @param offset where the candidate's row starts in {@code raw}
   * @return the values, one per declared parameter, in declaration order
   * @throws IndexOutOfBoundsException if {@code raw} is shorter than {@code offset + width}
   */
  public static ParameterValues decode(CandidateHead head, float[] raw, int offset) {
    if (head.slots().isEmpty()) {
      return ParameterValues.empty();
    }
    if (offset < 0 || (long) offset + head.width() > raw.length) {
      throw new IndexOutOfBoundsException("raw row [" + offset + ", " + (offset + head.width())
          + ") is outside an array of " + raw.length);
    }
    ParameterValues.Builder b = ParameterValues.builder();
    for (ParameterSlot s : head.slots()) {
      b.put(s.spec().name(), decodeOne(s, raw, offset + s.slot()));
    }
    return b.build();
  }

  /**
   * Decodes one parameter from its first raw slot.
   *
   * @param slot the parameter's layout
   * @param raw the raw outputs
   * @param at the index of the parameter's first slot in {@code raw}
   * @return the canonical value: {@link Double}, {@link Long}, {@link String} or {@code float[]}
   */
  public static Object decodeOne(ParameterSlot slot, float[] raw, int at) {
    ParameterSpec spec = slot.spec();
    return switch (spec.kind()) {
      case FLOAT -> {
        FloatSpec f = (FloatSpec) spec;
        float u = raw[at];
        if (Float.isNaN(u)) {
          yield f.defaultValue();
        }
        yield float32Precision(scale(u, f.min(), f.max(), slot.transform()), f.min(), f.max());
      }
      case INT -> {
        IntSpec i = (IntSpec) spec;
        float u = raw[at];
        if (Float.isNaN(u)) {
          yield i.defaultValue();
        }
        double x = scale(u, i.min(), i.max(), slot.transform());
        long v = (long) Math.floor(x + 0.5); // saturates at the long range; clamped next
        yield Math.max(i.min(), Math.min(i.max(), v));
      }
      case CATEGORICAL -> {
        CategoricalSpec c = (CategoricalSpec) spec;
        int best = -1;
        float bestValue = 0;
        for (int j = 0; j < c.choices().size(); j++) {
          float v = raw[at + j];
          if (!Float.isNaN(v) && (best < 0 || v > bestValue)) {
            best = j;
            bestValue = v;
          }
        }
        yield best < 0 ? c.defaultValue() : c.choices().get(best);
      }
      case TENSOR -> {
        TensorSpec t = (TensorSpec) spec;
        float[] out = new float[t.size()];
        for (int j = 0; j < out.length; j++) {
          float v = raw[at + j];
          out[j] = Float.isNaN(v) ? 0f
              : v == Float.POSITIVE_INFINITY ? Float.MAX_VALUE
              : v == Float.NEGATIVE_INFINITY ? -Float.MAX_VALUE : v;
        }
        yield out;
      }
    };
  }

  private static double scale(float u, double min, double max, Transform transform) {
    double x;
    if (transform == Transform.CLAMP) {
      x = u;
    } else {
      double s = sigmoid(u);
      // (1 - s)·min + s·max cannot overflow for finite bounds, unlike min + (max - min)·s.
      x = (1 - s) * min + s * max;
    }
    return Math.max(min, Math.min(max, x));
  }

  /**
   * A float result at the precision the network produced it with: the shortest decimal that
   * identifies the same float32 value, kept inside [min, max].
   */
  static double float32Precision(double x, double min, double max) {
    float f = (float) x;
    if (!Float.isFinite(f)) {
      return x; // beyond float range only for bounds beyond it; nothing finer to recover
    }
    double d = Double.parseDouble(Float.toString(f));
    return Math.max(min, Math.min(max, d));
  }

  /**
   * The logistic function, stable for large |u|: never NaN for non-NaN input.
   *
   * @param u the input
   * @return σ(u) in [0, 1]
   */
  static double sigmoid(double u) {
    if (u >= 0) {
      return 1 / (1 + Math.exp(-u));
    }
    double e = Math.exp(u);
    return e / (1 + e);
  }
}
