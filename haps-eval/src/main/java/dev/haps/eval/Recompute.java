package dev.haps.eval;

import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.OutcomeTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.RouterMetrics;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Re-derives every router's numbers in a report folder from {@code decisions.jsonl} (or {@code
 * decisions.jsonl.gz}) and the outcome log alone, and lists where they disagree with {@code
 * report.json}. For points, AIQ, gap closed and the per-task figures it shares no code with
 * {@link Evaluation} beyond the metric definitions ({@link Yardstick}, {@link
 * dev.haps.data.tradeoff.Hull}) and the λ mapping ({@link CostTradeoff}): each decision is
 * looked up in the log by query id, model and exact parameters, and the fixed configurations and
 * the oracle are rebuilt from the log's records. The bootstrap intervals are then re-derived from
 * the same decisions with the evaluation's own resampling.
 *
 * <pre>{@code
 * List<String> problems = Recompute.check(Path.of("docs/reports/concise-cot"),
 *     OutcomeLog.load(Path.of("../shared/data/concise-cot")));
 * // empty: every point, AIQ, gap closed and per-task figure matches
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Recompute {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final double TOL = 1e-9;

  private Recompute() {}

  /**
   * Checks a report folder against an outcome log.
   *
   * @param reportDir the folder holding {@code report.json} and the decisions file
   * @param log the outcome log the report was computed from
   * @return the disagreements, one readable line each; empty when everything matches
   * @throws UncheckedIOException if a file cannot be read
   */
  public static List<String> check(Path reportDir, OutcomeLog log) {
    JsonNode report = read(reportDir.resolve("report.json"));
    List<String> problems = new ArrayList<>();
    Split split = Split.parse(report.path("split").asText());
    List<Double> grid = new ArrayList<>();
    report.path("cost_weights").forEach(n -> grid.add(n.asDouble()));
    CostTradeoff tradeoff = new CostTradeoff(report.path("lambda_min").asDouble(),
        report.path("lambda_max").asDouble(), report.path("cost_scale").asDouble());
    List<QueryRecord> records = log.records(split);
    Map<String, QueryRecord> byId = new HashMap<>();
    for (QueryRecord r : records) {
      byId.put(r.id(), r);
    }

    // router -> weight index -> task ("" = all) -> {score sum, cost sum, count}
    Map<String, Map<Integer, Map<String, double[]>>> sums = new LinkedHashMap<>();
    Map<Double, Integer> weightIndex = new HashMap<>();
    for (int i = 0; i < grid.size(); i++) {
      weightIndex.put(grid.get(i), i);
    }
    BootstrapCheck boot = report.has("bootstrap")
        ? new BootstrapCheck(report, OutcomeTable.of(log, split), grid.size()) : null;
    forEachDecision(reportDir, line -> {
      String router = line.path("router").asText();
      Integer w = weightIndex.get(line.path("cost_weight").asDouble());
      QueryRecord rec = byId.get(line.path("id").asText());
      if (w == null || rec == null) {
        problems.add("decision of " + router + " names cost weight "
            + line.path("cost_weight") + " / query " + line.path("id")
            + " that the report's grid or the " + split + " split does not have");
        return;
      }
      ParameterValues params = params(line.path("params"));
      Outcome o = outcome(rec, line.path("model").asText(), params);
      if (o == null) {
        problems.add("decision of " + router + " on " + rec.id() + " names "
            + line.path("model").asText() + " " + line.path("params")
            + ", which the log does not record for that query");
        return;
      }
      if (boot != null) {
        boot.record(router, w, rec.id(), new Decision(line.path("model").asText(), params));
      }
      double cost = Double.isNaN(o.costUsd()) ? 0 : o.costUsd();
      Map<String, double[]> byTask = sums.computeIfAbsent(router, k -> new HashMap<>())
          .computeIfAbsent(w, k -> new HashMap<>());
      for (String key : new String[] {"", rec.task()}) {
        double[] acc = byTask.computeIfAbsent(key, k -> new double[3]);
        acc[0] += o.score();
        acc[1] += cost;
        acc[2]++;
      }
    });

    Map<String, Integer> taskSize = new LinkedHashMap<>();
    for (QueryRecord r : records) {
      taskSize.merge(r.task(), 1, Integer::sum);
    }
    Yardstick all = yardstick(records, grid, tradeoff);
    Map<String, Yardstick> perTask = new HashMap<>();
    for (String t : taskSize.keySet()) {
      List<QueryRecord> sub = new ArrayList<>();
      for (QueryRecord r : records) {
        if (r.task().equals(t)) {
          sub.add(r);
        }
      }
      perTask.put(t, yardstick(sub, grid, tradeoff));
    }

    for (JsonNode r : report.path("routers")) {
      String name = r.path("name").asText();
      Map<Integer, Map<String, double[]>> s = sums.get(name);
      if (s == null) {
        problems.add("router " + name + " has no decisions in the decisions file");
        continue;
      }
      compareRouter(problems, name, "", r, s, grid, records.size(), all);
      for (Map.Entry<String, Integer> t : taskSize.entrySet()) {
        JsonNode tr = r.path("per_task").path(t.getKey());
        if (tr.isMissingNode()) {
          problems.add(name + ": report has no per-task entry for " + t.getKey());
          continue;
        }
        compareRouter(problems, name, t.getKey(), tr, s, grid, t.getValue(),
            perTask.get(t.getKey()));
      }
    }
    JsonNode ref = report.path("reference");
    same(problems, "reference aiq_fixed", ref.path("aiq_fixed"), all.aiqFixed());
    same(problems, "reference aiq_oracle", ref.path("aiq_oracle"), all.aiqOracle());
    if (problems.isEmpty() && boot != null) {
      boot.check(problems, report, grid, tradeoff);
    }
    return problems;
  }

  /**
   * Re-derives the bootstrap intervals. Unlike the figures above this reuses the evaluation's own
   * resampling ({@link Bootstrap}) on choices rebuilt from the decisions file, so it checks that
   * the published intervals belong to the published decisions, not the resampling code itself.
   */
  private static final class BootstrapCheck {
    private final OutcomeTable table;
    private final Map<String, Integer> row = new HashMap<>();
    private final Map<String, int[][]> byRouter = new LinkedHashMap<>();

    BootstrapCheck(JsonNode report, OutcomeTable table, int weights) {
      this.table = table;
      for (int q = 0; q < table.size(); q++) {
        row.put(table.id(q), q);
      }
      for (JsonNode r : report.path("routers")) {
        byRouter.put(r.path("name").asText(), new int[weights][table.size()]);
      }
    }

    /** One decision the first pass found in the log. */
    void record(String router, int weight, String id, Decision decision) {
      int[][] c = byRouter.get(router);
      if (c != null) { // a router the report does not list has no intervals to check
        c[weight][row.get(id)] = table.snap(decision);
      }
    }

    void check(List<String> problems, JsonNode report, List<Double> grid, CostTradeoff tradeoff) {
      double[] weights = grid.stream().mapToDouble(Double::doubleValue).toArray();
      List<String> names = new ArrayList<>(byRouter.keySet());
      Bootstrap boot = Bootstrap.run(table, weights, tradeoff, new ArrayList<>(byRouter.values()),
          report.path("bootstrap").path("resamples").asInt(),
          report.path("settings").path("seed").asLong());
      int i = 0;
      for (JsonNode r : report.path("routers")) {
        GapInterval iv = boot.interval(i++);
        JsonNode got = r.path("gap_closed_95");
        same(problems, r.path("name").asText() + " gap_closed_95 low", got.path(0), iv.low());
        same(problems, r.path("name").asText() + " gap_closed_95 high", got.path(1), iv.high());
      }
      for (JsonNode c : report.path("bootstrap").path("comparisons")) {
        String a = c.path("router").asText();
        String b = c.path("versus").asText();
        PairedGap p = boot.paired(names.indexOf(a), a, names.indexOf(b), b);
        String where = a + " vs " + b;
        JsonNode d = c.path("gap_closed_difference_95");
        same(problems, where + " difference low", d.path(0), p.difference().low());
        same(problems, where + " difference high", d.path(1), p.difference().high());
        same(problems, where + " share_ahead", c.path("share_ahead"), p.shareAhead());
      }
    }
  }

  private static void compareRouter(List<String> problems, String name, String task, JsonNode r,
      Map<Integer, Map<String, double[]>> sums, List<Double> grid, int queries, Yardstick y) {
    String where = name + (task.isEmpty() ? "" : " [" + task + "]");
    List<TradeoffPoint> pts = new ArrayList<>();
    JsonNode reported = r.path("points");
    for (int w = 0; w < grid.size(); w++) {
      double[] acc = sums.getOrDefault(w, Map.of()).get(task);
      if (acc == null || acc[2] != queries) {
        problems.add(where + " at cost weight " + grid.get(w) + ": "
            + (acc == null ? 0 : (long) acc[2]) + " decisions for " + queries + " queries");
        return;
      }
      TradeoffPoint p = new TradeoffPoint(acc[1] / acc[2], acc[0] / acc[2]);
      pts.add(p);
      JsonNode rp = reported.path(w);
      same(problems, where + " point " + w + " mean_cost", rp.path("mean_cost"), p.cost());
      same(problems, where + " point " + w + " mean_score", rp.path("mean_score"), p.score());
    }
    RouterMetrics m = y.measure(pts);
    same(problems, where + " aiq", r.path("aiq"), m.aiq());
    same(problems, where + " gap_closed", r.path("gap_closed"), m.gapClosed());
    same(problems, where + " score_at_best_single_cost", r.path("score_at_best_single_cost"),
        m.scoreAtBestSingleCost());
    same(problems, where + " cost_to_match_best_single", r.path("cost_to_match_best_single"),
        m.costToMatchBestSingle());
  }

  /** Fixed configurations and the oracle, rebuilt from records (first outcome per config). */
  private static Yardstick yardstick(List<QueryRecord> records, List<Double> grid,
      CostTradeoff tradeoff) {
    Map<String, double[]> fixed = new LinkedHashMap<>();
    for (QueryRecord r : records) {
      Map<String, Outcome> first = firstPerConfiguration(r);
      for (Map.Entry<String, Outcome> e : first.entrySet()) {
        double[] acc = fixed.computeIfAbsent(e.getKey(), k -> new double[3]);
        acc[0] += e.getValue().score();
        acc[1] += cost(e.getValue());
        acc[2]++;
      }
    }
    List<TradeoffPoint> fixedPts = new ArrayList<>();
    for (double[] acc : fixed.values()) {
      fixedPts.add(new TradeoffPoint(acc[1] / acc[2], acc[0] / acc[2]));
    }
    List<TradeoffPoint> oracle = new ArrayList<>();
    for (double w : grid) {
      double s = 0;
      double c = 0;
      for (QueryRecord r : records) {
        Outcome best = null;
        double bestR = Double.NEGATIVE_INFINITY;
        for (Outcome o : firstPerConfiguration(r).values()) {
          double rew = tradeoff.reward(o.score(), cost(o), w);
          if (best == null || rew > bestR || (rew == bestR && cost(o) < cost(best))) {
            best = o;
            bestR = rew;
          }
        }
        s += best.score();
        c += cost(best);
      }
      oracle.add(new TradeoffPoint(c / records.size(), s / records.size()));
    }
    return Yardstick.of(fixedPts, oracle);
  }

  private static Map<String, Outcome> firstPerConfiguration(QueryRecord r) {
    Map<String, Outcome> first = new LinkedHashMap<>();
    for (Outcome o : r.outcomes()) {
      first.putIfAbsent(o.model() + "\u0000" + o.params(), o);
    }
    return first;
  }

  private static double cost(Outcome o) {
    return Double.isNaN(o.costUsd()) ? 0 : o.costUsd();
  }

  private static Outcome outcome(QueryRecord r, String model, ParameterValues params) {
    for (Outcome o : r.outcomes()) {
      if (o.is(model, params)) {
        return o;
      }
    }
    return null;
  }

  private static ParameterValues params(JsonNode node) {
    ParameterValues.Builder b = ParameterValues.builder();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isIntegralNumber()) {
        b.put(e.getKey(), v.asLong());
      } else if (v.isNumber()) {
        b.put(e.getKey(), v.asDouble());
      } else if (v.isArray()) {
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) v.get(i).asDouble();
        }
        b.put(e.getKey(), a);
      } else {
        b.put(e.getKey(), v.asText());
      }
    }
    return b.build();
  }

  private static void same(List<String> problems, String what, JsonNode reported, double value) {
    boolean nullish = reported.isNull() || reported.isMissingNode();
    if (Double.isNaN(value) && nullish) {
      return;
    }
    if (nullish || Math.abs(reported.asDouble() - value) > TOL * Math.max(1, Math.abs(value))) {
      problems.add(what + ": report says " + reported + ", recomputed " + value);
    }
  }

  private interface LineSink {
    void accept(JsonNode line);
  }

  private static void forEachDecision(Path dir, LineSink sink) {
    Path plain = dir.resolve("decisions.jsonl");
    Path gz = dir.resolve("decisions.jsonl.gz");
    Path file = Files.exists(plain) ? plain : gz;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file == gz ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
            1 << 16)) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank()) {
          sink.accept(MAPPER.readTree(l));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the decisions in " + dir
          + " (decisions.jsonl or decisions.jsonl.gz)", e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

}
