package dev.haps.collect.judge;

import dev.haps.api.error.ConfigurationException;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Judge type {@value #TYPE}: 1 when the number the response gives as its answer is within a
 * tolerance of the reference number, else 0.
 *
 * <p>The response's answer is the number after a GSM8K-style {@code ####} mark, else after
 * "answer is" or "answer:", else the last number in the response. Numbers may carry a sign, a
 * {@code $}, thousands separators, decimals, an exponent, a trailing {@code %} (dropped) or be a
 * fraction {@code a/b}. A response without a number, or a reference that is not a number, is not
 * graded.
 *
 * <p>Settings: {@code tolerance} (absolute, default {@code 1e-6}), {@code relativeTolerance}
 * (relative to the reference, default 0); the answer is right when
 * {@code |answer - reference| <= max(tolerance, relativeTolerance * |reference|)}.
 *
 * @since 0.1.0
 */
public final class NumericJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "numeric";

  /** Created by {@link java.util.ServiceLoader}. */
  public NumericJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "numeric: 1 when the response's final number is within tolerance of the reference";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    double abs = config.getDouble("tolerance", 1e-6);
    double rel = config.getDouble("relativeTolerance", 0.0);
    if (abs < 0 || rel < 0) {
      throw new ConfigurationException("judge 'numeric' tolerances must not be negative, got"
          + " tolerance " + abs + " and relativeTolerance " + rel);
    }
    return r -> {
      var ref = Answers.reference(r);
      if (ref.isEmpty()) {
        return Answers.noReference(r, TYPE);
      }
      OptionalDouble want = Answers.firstNumber(ref.get());
      if (want.isEmpty()) {
        return Verdict.ungraded("reference answer '" + Answers.shorten(ref.get())
            + "' of query '" + r.queryId() + "' is not a number; judge 'numeric' needs one");
      }
      OptionalDouble got = Answers.answerNumber(r.response());
      if (got.isEmpty()) {
        return Verdict.ungraded("the response has no number: '"
            + Answers.shorten(r.response()) + "'");
      }
      double tol = Math.max(abs, rel * Math.abs(want.getAsDouble()));
      boolean right = Math.abs(got.getAsDouble() - want.getAsDouble()) <= tol;
      return Verdict.graded(right ? 1.0 : 0.0, String.format(Locale.ROOT, "answer %s,"
          + " reference %s", num(got.getAsDouble()), num(want.getAsDouble())));
    };
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
