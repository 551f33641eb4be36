package dev.haps.eval.report;

import java.util.Locale;

/** Number formatting shared by the table, the HTML page and the plot. */
final class Fmt {

  private Fmt() {}

  static String score(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String gap(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.3f", v);
  }

  static String interval(dev.haps.eval.GapInterval iv) {
    return Double.isFinite(iv.low()) && Double.isFinite(iv.high())
        ? String.format(Locale.ROOT, "[%+.2f, %+.2f]", iv.low(), iv.high())
        : "–";
  }

  static String usd(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }
}
