package dev.haps.cli;

import static dev.haps.eval.ReportFormat.gap;
import static dev.haps.eval.ReportFormat.interval;
import static dev.haps.eval.ReportFormat.pct;
import static dev.haps.eval.ReportFormat.score;
import static dev.haps.eval.ReportFormat.usd;

import dev.haps.data.tradeoff.Yardstick;
import dev.haps.eval.EvalReport;
import dev.haps.eval.PairedGap;
import dev.haps.eval.RouterResult;
import java.util.Locale;

/**
 * What {@code haps eval} prints: a title line, one row per router (best AIQ first) with the
 * fixed-configuration hull as a reference row where it ranks, and the main bundle against every
 * other router but the oracle on the shared bootstrap resamples.
 */
final class EvalTable {

  private EvalTable() {}

  static String render(EvalReport report) {
    Yardstick y = report.yardstick();
    TextTable t = new TextTable(">#", "router", ">AIQ", ">gap closed", ">95% interval",
        ">score@best-cost", ">cost to match best", "kind");
    int rank = 1;
    boolean fixedShown = false;
    for (RouterResult r : report.ranked()) {
      if (!fixedShown && r.metrics().aiq() < y.aiqFixed()) {
        fixedRow(t, y);
        fixedShown = true;
      }
      t.row(Integer.toString(rank++), r.name(), score(r.metrics().aiq()),
          gap(r.metrics().gapClosed()), interval(r.gapClosed95()),
          score(r.metrics().scoreAtBestSingleCost()), usd(r.metrics().costToMatchBestSingle()),
          r.kind());
    }
    if (!fixedShown) {
      fixedRow(t, y);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%s / %s: %d routers, cost range [%s, %s] USD, best single %s at %s USD%n",
        report.benchmark(), report.split(), report.routers().size(), usd(y.lo()), usd(y.hi()),
        score(y.bestSingle().score()), usd(y.bestSingle().cost())));
    sb.append(t);
    for (RouterResult r : report.routers()) {
      // A bundle trained with cross-validation carries its own out-of-sample estimate.
      int at = r.description().indexOf("cross-validated gap closed");
      if (r.kind().equals("haps") && at >= 0) {
        sb.append(String.format(Locale.ROOT, "%s: %s gap closed %s %s; %s%n", r.name(),
            report.split(), gap(r.metrics().gapClosed()), interval(r.gapClosed95()),
            r.description().substring(at)));
      }
    }
    for (PairedGap c : report.comparisons()) {
      if (c.versus().equals("oracle")) {
        continue;
      }
      sb.append(String.format(Locale.ROOT,
          "%s vs %s: gap closed difference %s, %s ahead in %s of %d resamples%n",
          c.router(), c.versus(), interval(c.difference()), c.router(), pct(c.shareAhead()),
          report.bootstrapResamples()));
    }
    return sb.toString();
  }

  private static void fixedRow(TextTable t, Yardstick y) {
    t.row("", "(fixed-config hull)", score(y.aiqFixed()), gap(0), "",
        score(y.bestSingle().score()), usd(y.bestSingle().cost()), "reference");
  }
}
