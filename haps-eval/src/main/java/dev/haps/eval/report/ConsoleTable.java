package dev.haps.eval.report;

import dev.haps.eval.EvalReport;
import dev.haps.eval.PairedGap;
import dev.haps.eval.RouterResult;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text table of an {@link EvalReport}: one row per router, best AIQ first, plus the
 * fixed-configuration hull as a reference row.
 *
 * @since 0.1.0
 */
public final class ConsoleTable {

  private ConsoleTable() {}

  /**
   * Renders the table.
   *
   * @param report the report
   * @return the table, lines separated by {@code \n}, ending with a newline
   */
  public static String render(EvalReport report) {
    Yardstick y = report.yardstick();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"#", "router", "AIQ", "gap closed", "95% interval", "score@best-cost",
        "cost to match best", "kind"});
    int rank = 1;
    boolean fixedShown = false;
    for (RouterResult r : report.ranked()) {
      if (!fixedShown && r.metrics().aiq() < y.aiqFixed()) {
        rows.add(fixedRow(y));
        fixedShown = true;
      }
      rows.add(new String[] {Integer.toString(rank++), r.name(), Fmt.score(r.metrics().aiq()),
          Fmt.gap(r.metrics().gapClosed()), Fmt.interval(r.gapClosed95()),
          Fmt.score(r.metrics().scoreAtBestSingleCost()),
          Fmt.usd(r.metrics().costToMatchBestSingle()), r.kind()});
    }
    if (!fixedShown) {
      rows.add(fixedRow(y));
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%s / %s: %d routers, cost range [%s, %s] USD, best single %s at %s USD%n",
        report.benchmark(), report.split(), report.routers().size(), Fmt.usd(y.lo()),
        Fmt.usd(y.hi()), Fmt.score(y.bestSingle().score()), Fmt.usd(y.bestSingle().cost())));
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean left = i == 1 || i == row.length - 1;
        line.append(i == 0 ? "" : "  ").append(pad(row[i], width[i], left));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    for (PairedGap c : report.comparisons()) {
      if (c.versus().equals("oracle")) {
        continue;
      }
      sb.append(String.format(Locale.ROOT,
          "%s vs %s: gap closed difference %s, %s ahead in %s of %d resamples%n",
          c.router(), c.versus(), Fmt.interval(c.difference()), c.router(),
          Fmt.pct(c.shareAhead()), resamples(report)));
    }
    return sb.toString().replace(System.lineSeparator(), "\n");
  }

  static int resamples(EvalReport report) {
    Object n = report.settings().get("bootstrap_resamples");
    return n instanceof Number num ? num.intValue() : 0;
  }

  private static String[] fixedRow(Yardstick y) {
    return new String[] {"", "(fixed-config hull)", Fmt.score(y.aiqFixed()), Fmt.gap(0), "",
        Fmt.score(y.bestSingle().score()), Fmt.usd(y.bestSingle().cost()), "reference"};
  }

  private static String pad(String s, int w, boolean left) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return left ? s + fill : fill + s;
  }
}
