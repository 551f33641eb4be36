package dev.haps.eval;

import java.util.Locale;

/**
 * How reports write numbers: the same text in {@code report.html}, the plot and the console
 * table of {@code haps eval}. Undefined numbers (NaN) are written as an en dash.
 *
 * @since 0.1.0
 */
public final class ReportFormat {

  private ReportFormat() {}

  /**
   * A score or AIQ, 4 decimals.
   *
   * @param v the value
   * @return e.g. {@code 0.7828}
   */
  public static String score(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  /**
   * A gap closed, signed, 3 decimals.
   *
   * @param v the value
   * @return e.g. {@code -0.018}
   */
  public static String gap(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.3f", v);
  }

  /**
   * A 95 % interval of gap closed, signed, 2 decimals.
   *
   * @param iv the interval
   * @return e.g. {@code [-0.23, +0.11]}
   */
  public static String interval(GapInterval iv) {
    return Double.isFinite(iv.low()) && Double.isFinite(iv.high())
        ? String.format(Locale.ROOT, "[%+.2f, %+.2f]", iv.low(), iv.high())
        : "–";
  }

  /**
   * A cost in USD, 4 significant digits.
   *
   * @param v the value
   * @return e.g. {@code 0.002525}, or {@code 0}
   */
  public static String usd(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  /**
   * A share as a percentage, 1 decimal.
   *
   * @param v the share in [0, 1]
   * @return e.g. {@code 94.9%}
   */
  public static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
