package dev.haps.eval;

import dev.haps.data.tradeoff.Yardstick;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.haps.data.tradeoff.Hull;

/**
 * Writes {@code report.html}: one self-contained page (the plot embedded as base64, inline CSS,
 * no scripts) with the ranking, per-task figures, model shares, the fixed configurations, every
 * sweep point, the metric definitions and the run's settings. Opens from disk, no server.
 */
final class HtmlReport {

  private HtmlReport() {}

  /**
   * Writes the page.
   *
   * @param report the report
   * @param png the plot's PNG bytes, embedded in the page
   * @param file the file (replaced)
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(EvalReport report, byte[] png, Path file) {
    try {
      Files.writeString(file, render(report, png), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the HTML report " + file, e);
    }
  }

  /**
   * The page as a string.
   *
   * @param report the report
   * @param png the plot's PNG bytes
   * @return the HTML
   */
  static String render(EvalReport report, byte[] png) {
    Yardstick y = report.yardstick();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>HAPS eval: ")
        .append(esc(report.benchmark())).append(" / ").append(report.split())
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;")
        .append("margin:2em auto;max-width:1500px;padding:0 1em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:0.6em 0 1.6em}\n")
        .append("th,td{border:1px solid #ccc;padding:4px 9px;text-align:right;")
        .append("font-variant-numeric:tabular-nums}\n")
        .append("th{background:#f3f3f3}td.l,th.l{text-align:left}\n")
        .append("tr.haps td{font-weight:600;background:#fff4f4}")
        .append("tr.ref td{color:#555;background:#fafafa}\n")
        .append("img{max-width:100%;border:1px solid #ddd}code{background:#f4f4f4;padding:1px 4px}\n")
        .append("details{margin:0.4em 0}summary{cursor:pointer}\n")
        .append("</style></head><body>\n");
    h.append("<h1>HAPS evaluation: ").append(esc(report.benchmark())).append(" — ")
        .append(report.split()).append(" split</h1>\n");
    h.append("<p>").append(report.routers().size()).append(" routers, each swept over ")
        .append(report.costWeights().length).append(" cost weights. Common cost range [")
        .append(ReportFormat.usd(y.lo())).append(", ").append(ReportFormat.usd(y.hi()))
        .append("] USD per query. Best single configuration: ")
        .append(esc(bestSingleLabel(report))).append(", score ")
        .append(ReportFormat.score(y.bestSingle().score())).append(" at ")
        .append(ReportFormat.usd(y.bestSingle().cost())).append(" USD.</p>\n");
    h.append("<img alt=\"cost/quality plot\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\">\n");

    h.append("<h2>Ranking</h2>\n<table><tr><th>#</th><th class=l>router</th><th class=l>kind</th>")
        .append("<th>AIQ</th><th>gap closed</th><th>95% interval</th>")
        .append("<th>score at best single's cost</th>")
        .append("<th>cost to match best single (USD)</th><th class=l>how it was built</th></tr>\n");
    int rank = 1;
    boolean fixedShown = false;
    for (RouterResult r : report.ranked()) {
      if (!fixedShown && r.metrics().aiq() < y.aiqFixed()) {
        fixedRow(h, report);
        fixedShown = true;
      }
      h.append("<tr").append(r.kind().equals("haps") ? " class=haps" : "")
          .append("><td>").append(rank++).append("</td><td class=l>").append(esc(r.name()))
          .append("</td><td class=l>").append(esc(r.kind())).append("</td><td>")
          .append(ReportFormat.score(r.metrics().aiq())).append("</td><td>")
          .append(ReportFormat.gap(r.metrics().gapClosed())).append("</td><td>")
          .append(ReportFormat.interval(r.gapClosed95())).append("</td><td>")
          .append(ReportFormat.score(r.metrics().scoreAtBestSingleCost())).append("</td><td>")
          .append(ReportFormat.usd(r.metrics().costToMatchBestSingle())).append("</td><td class=l>")
          .append(esc(r.description())).append("</td></tr>\n");
    }
    if (!fixedShown) {
      fixedRow(h, report);
    }
    h.append("</table>\n");
    if (!report.comparisons().isEmpty()) {
      h.append("<p>Intervals: 2.5th to 97.5th percentile of gap closed over ")
          .append(report.bootstrapResamples())
          .append(" bootstrap resamples of the evaluated queries (the same resamples for every")
          .append(" router).</p>\n<table><tr><th class=l>bundle</th><th class=l>versus</th>")
          .append("<th>gap closed difference, 95% interval</th><th>bundle ahead in</th></tr>\n");
      for (PairedGap c : report.comparisons()) {
        h.append("<tr><td class=l>").append(esc(c.router())).append("</td><td class=l>")
            .append(esc(c.versus())).append("</td><td>").append(ReportFormat.interval(c.difference()))
            .append("</td><td>").append(ReportFormat.pct(c.shareAhead())).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }

    List<String> tasks = List.copyOf(report.taskYardsticks().keySet());
    if (!tasks.isEmpty()) {
      h.append("<h2>Per task: AIQ (gap closed)</h2>\n<p>Each task is measured against its own ")
          .append("fixed configurations and oracle on the same queries.</p>\n<table><tr>")
          .append("<th class=l>router</th>");
      for (String t : tasks) {
        h.append("<th>").append(esc(t)).append(" (n=")
            .append(report.routers().get(0).perTask().get(t).queries()).append(")</th>");
      }
      h.append("</tr>\n");
      for (RouterResult r : report.ranked()) {
        h.append("<tr").append(r.kind().equals("haps") ? " class=haps" : "")
            .append("><td class=l>").append(esc(r.name())).append("</td>");
        for (String t : tasks) {
          TaskResult tr = r.perTask().get(t);
          h.append("<td>").append(ReportFormat.score(tr.metrics().aiq())).append(" (")
              .append(ReportFormat.gap(tr.metrics().gapClosed())).append(")</td>");
        }
        h.append("</tr>\n");
      }
      h.append("<tr class=ref><td class=l>(fixed-config hull)</td>");
      for (String t : tasks) {
        h.append("<td>").append(ReportFormat.score(report.taskYardsticks().get(t).aiqFixed()))
            .append("</td>");
      }
      h.append("</tr>\n</table>\n");
    }

    Set<String> models = new LinkedHashSet<>();
    for (ConfigurationPoint c : report.fixedConfigurations()) {
      models.add(c.configuration().model());
    }
    h.append("<h2>Share of calls per model</h2>\n<p>Over every query at every cost weight.</p>")
        .append("\n<table><tr><th class=l>router</th>");
    for (String m : models) {
      h.append("<th>").append(esc(m)).append("</th>");
    }
    h.append("</tr>\n");
    for (RouterResult r : report.ranked()) {
      h.append("<tr><td class=l>").append(esc(r.name())).append("</td>");
      for (String m : models) {
        Double v = r.sharePerModel().get(m);
        h.append("<td>").append(v == null ? "" : ReportFormat.pct(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Fixed configurations</h2>\n<table><tr><th class=l>configuration</th>")
        .append("<th>mean cost (USD)</th><th>mean score</th></tr>\n");
    for (ConfigurationPoint c : report.fixedConfigurations()) {
      h.append("<tr><td class=l>").append(esc(c.configuration().label())).append("</td><td>")
          .append(ReportFormat.usd(c.meanCost())).append("</td><td>").append(ReportFormat.score(c.meanScore()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Sweep points</h2>\n");
    for (RouterResult r : report.routers()) {
      h.append("<details><summary>").append(esc(r.name())).append("</summary>\n<table><tr>")
          .append("<th>cost weight</th><th>mean cost (USD)</th><th>mean score</th>")
          .append("<th class=l>share per model</th></tr>\n");
      for (SweepPoint p : r.points()) {
        h.append("<tr><td>").append(String.format(java.util.Locale.ROOT, "%.2f", p.costWeight()))
            .append("</td><td>").append(ReportFormat.usd(p.meanCost())).append("</td><td>")
            .append(ReportFormat.score(p.meanScore())).append("</td><td class=l>");
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : p.sharePerModel().entrySet()) {
          s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
              .append(ReportFormat.pct(e.getValue()));
        }
        h.append(esc(s.toString())).append("</td></tr>\n");
      }
      h.append("</table></details>\n");
    }

    h.append("<h2>How the numbers are computed</h2>\n<ul>\n")
        .append("<li>Every router is asked for a (model, parameters) decision for every query of ")
        .append("the split at each cost weight; continuous parameters are snapped to the nearest ")
        .append("recorded value, and the recorded outcome gives the score and the cost. Each ")
        .append("cost weight gives one point (mean cost, mean score).</li>\n")
        .append("<li>Reward at cost weight w: <code>score − λ(w)·cost/costScale</code>, ")
        .append("λ(0)=0, λ(w)=λ<sub>min</sub>·(λ<sub>max</sub>/λ<sub>min</sub>)<sup>w</sup>. ")
        .append("Baselines and the oracle pick by this reward; HAPS reads w directly.</li>\n")
        .append("<li><b>Hull</b>: the non-decreasing upper convex hull of a router's points. ")
        .append("<b>AIQ</b>: its area over the common cost range (cheapest to most expensive ")
        .append("fixed configuration) divided by the range's width; flat beyond its last point, ")
        .append("and zero left of its first point (a router that cannot run that cheaply gets ")
        .append("no credit there).</li>\n")
        .append("<li><b>Gap closed</b>: (AIQ − AIQ<sub>fixed</sub>) / (AIQ<sub>oracle</sub> − ")
        .append("AIQ<sub>fixed</sub>); 0 = the hull of the single fixed configurations, ")
        .append("1 = the per-query oracle.</li>\n")
        .append("<li><b>Score at best single's cost</b>: the router's hull at the mean cost of ")
        .append("the best single configuration (highest mean score on this split, ties to the ")
        .append("cheaper). <b>Cost to match</b>: the lowest cost where the router's hull reaches ")
        .append("that configuration's score (– if never).</li>\n")
        .append("<li>Every decision is in <code>decisions.jsonl</code>; every number here can be ")
        .append("recomputed from it and the outcome log.</li>\n</ul>\n");

    h.append("<h2>Run settings</h2>\n<table>\n");
    for (Map.Entry<String, Object> e : report.settings().entrySet()) {
      h.append("<tr><th class=l>").append(esc(e.getKey())).append("</th><td class=l>")
          .append(esc(String.valueOf(e.getValue()))).append("</td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static void fixedRow(StringBuilder h, EvalReport report) {
    Yardstick y = report.yardstick();
    h.append("<tr class=ref><td></td><td class=l>(fixed-config hull)</td><td class=l>reference")
        .append("</td><td>").append(ReportFormat.score(y.aiqFixed())).append("</td><td>")
        .append(ReportFormat.gap(0)).append("</td><td></td><td>").append(ReportFormat.score(y.bestSingle().score()))
        .append("</td><td>").append(ReportFormat.usd(y.bestSingle().cost()))
        .append("</td><td class=l>hull of the single fixed configurations</td></tr>\n");
  }

  static String bestSingleLabel(EvalReport report) {
    Yardstick y = report.yardstick();
    for (ConfigurationPoint c : report.fixedConfigurations()) {
      if (c.meanCost() == y.bestSingle().cost() && c.meanScore() == y.bestSingle().score()) {
        return c.configuration().label();
      }
    }
    return "?";
  }

  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
