package dev.haps.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.tradeoff.Hull;
import dev.haps.data.tradeoff.RouterMetrics;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.json}: the benchmark, the split, the cost weights, the yardstick, every
 * router's figures (overall and per task) and the run's settings. Undefined numbers are written
 * as {@code null}.
 */
final class JsonReport {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /**
   * Writes the report as JSON.
   *
   * @param report the report
   * @param file the file to write (replaced)
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(EvalReport report, Path file) {
    try {
      Files.write(file, MAPPER.writeValueAsBytes(toTree(report)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evaluation report " + file
          + "; check that the folder is writable", e);
    }
  }

  /**
   * The report as a JSON tree.
   *
   * @param report the report
   * @return the tree
   */
  static ObjectNode toTree(EvalReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("benchmark", report.benchmark());
    root.put("split", report.split().wireName());
    ArrayNode weights = root.putArray("cost_weights");
    for (double w : report.costWeights()) {
      weights.add(w);
    }
    Map<String, Object> settings = report.settings();
    for (String k : List.of("cost_scale", "lambda_min", "lambda_max")) {
      root.set(k, MAPPER.valueToTree(settings.get(k)));
    }
    ObjectNode ref = root.putObject("reference");
    yardstick(ref, report.yardstick(), report.fixedConfigurations());
    ArrayNode fixed = ref.putArray("fixed_configurations");
    for (ConfigurationPoint c : report.fixedConfigurations()) {
      ObjectNode o = fixed.addObject();
      o.put("model", c.configuration().model());
      o.set("params", params(c.configuration().params()));
      num(o, "mean_cost", c.meanCost());
      num(o, "mean_score", c.meanScore());
    }
    ObjectNode refTasks = ref.putObject("per_task");
    report.taskYardsticks().forEach((t, y) -> yardstick(refTasks.putObject(t), y, List.of()));
    ArrayNode routers = root.putArray("routers");
    for (RouterResult r : report.routers()) {
      ObjectNode o = routers.addObject();
      o.put("name", r.name());
      o.put("kind", r.kind());
      o.put("description", r.description());
      metrics(o, r.metrics());
      interval(o, "gap_closed_95", r.gapClosed95());
      // DESIGN.md: raising the cost weight must not raise the mean cost.
      boolean monotone = true;
      for (int i = 1; i < r.points().size(); i++) {
        monotone &= r.points().get(i).meanCost() <= r.points().get(i - 1).meanCost() + 1e-15;
      }
      o.put("mean_cost_non_increasing", monotone);
      points(o.putArray("points"), r.points());
      ArrayNode hull = o.putArray("hull");
      for (TradeoffPoint p : Hull.of(r.tradeoffPoints()).vertices()) {
        ObjectNode h = hull.addObject();
        num(h, "mean_cost", p.cost());
        num(h, "mean_score", p.score());
      }
      ObjectNode tasks = o.putObject("per_task");
      for (TaskResult t : r.perTask().values()) {
        ObjectNode to = tasks.putObject(t.task());
        to.put("queries", t.queries());
        metrics(to, t.metrics());
        points(to.putArray("points"), t.points());
      }
      ObjectNode share = o.putObject("share_per_model");
      r.sharePerModel().forEach((m, v) -> num(share, m, v));
    }
    ObjectNode boot = root.putObject("bootstrap");
    boot.set("resamples", MAPPER.valueToTree(settings.get("bootstrap_resamples")));
    ArrayNode comparisons = boot.putArray("comparisons");
    for (PairedGap c : report.comparisons()) {
      ObjectNode co = comparisons.addObject();
      co.put("router", c.router());
      co.put("versus", c.versus());
      interval(co, "gap_closed_difference_95", c.difference());
      num(co, "share_ahead", c.shareAhead());
    }
    root.set("settings", MAPPER.valueToTree(settings));
    return root;
  }

  private static void yardstick(ObjectNode o, Yardstick y, List<ConfigurationPoint> fixed) {
    ArrayNode range = o.putArray("cost_range");
    range.add(y.lo());
    range.add(y.hi());
    num(o, "aiq_fixed", y.aiqFixed());
    num(o, "aiq_oracle", y.aiqOracle());
    ObjectNode best = o.putObject("best_single");
    for (ConfigurationPoint c : fixed) {
      if (c.meanCost() == y.bestSingle().cost() && c.meanScore() == y.bestSingle().score()) {
        best.put("model", c.configuration().model());
        best.set("params", params(c.configuration().params()));
        break;
      }
    }
    num(best, "mean_cost", y.bestSingle().cost());
    num(best, "mean_score", y.bestSingle().score());
  }

  private static void interval(ObjectNode o, String key, GapInterval iv) {
    ArrayNode a = o.putArray(key);
    for (double v : new double[] {iv.low(), iv.high()}) {
      if (Double.isFinite(v)) {
        a.add(v);
      } else {
        a.addNull();
      }
    }
  }

  private static void metrics(ObjectNode o, RouterMetrics m) {
    num(o, "aiq", m.aiq());
    num(o, "gap_closed", m.gapClosed());
    num(o, "score_at_best_single_cost", m.scoreAtBestSingleCost());
    num(o, "cost_to_match_best_single", m.costToMatchBestSingle());
  }

  private static void points(ArrayNode a, List<SweepPoint> points) {
    for (SweepPoint p : points) {
      ObjectNode po = a.addObject();
      num(po, "cost_weight", p.costWeight());
      num(po, "mean_cost", p.meanCost());
      num(po, "mean_score", p.meanScore());
      ObjectNode share = po.putObject("share_per_model");
      p.sharePerModel().forEach((m, v) -> num(share, m, v));
    }
  }

  /**
   * Parameter values as a JSON object, in their canonical types.
   *
   * @param p the values
   * @return the object
   */
  static JsonNode params(ParameterValues p) {
    return MAPPER.valueToTree(p.asMap());
  }

  private static void num(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }
}
