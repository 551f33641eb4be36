package dev.haps.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteTimings;
import dev.haps.api.params.ParameterValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link RouteDecision} as aligned text or as one JSON object. */
final class DecisionFormat {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final int QUERY_SHOWN = 100;

  private DecisionFormat() {}

  /** The decision as a block of labelled lines, for people. */
  static String text(String query, double costWeight, RouteDecision d) {
    RankedCandidate chosen = d.chosen();
    Block b = new Block();
    b.line("query", shorten(query));
    b.line("cost weight", number(costWeight));
    b.line("model", chosen.model() + "  (provider " + chosen.candidate().provider() + ", p="
        + probability(chosen.probability()) + expectedCost(chosen.expectedCostUsd(), ", ")
        + ")");
    b.line("parameters", parameters(chosen.parameters()));
    List<String> probs = new ArrayList<>();
    d.probabilities().forEach((m, p) -> probs.add(m + " " + probability(p)));
    b.line("probabilities", String.join(", ", probs));
    List<RankedCandidate> alts = d.alternatives();
    if (alts.isEmpty()) {
      b.line("alternatives", "(none)");
    }
    for (int i = 0; i < alts.size(); i++) {
      RankedCandidate a = alts.get(i);
      b.line(i == 0 ? "alternatives" : "", "#" + (i + 2) + " " + a.model() + "  p="
          + probability(a.probability()) + "  " + parameters(a.parameters())
          + expectedCost(a.expectedCostUsd(), "  "));
    }
    if (!d.excluded().isEmpty()) {
      boolean first = true;
      for (Map.Entry<String, String> e : d.excluded().entrySet()) {
        b.line(first ? "excluded" : "", e.getKey() + ": " + e.getValue());
        first = false;
      }
    }
    RouteTimings t = d.timings();
    b.line("timings", "encode " + millis(t.encodeNanos()) + ", infer " + millis(t.inferNanos())
        + ", total " + millis(t.totalNanos()) + " ("
        + (t.embeddingCacheHit() ? "embedding cache hit" : "embedding cache miss") + ")");
    b.line("bundle", d.bundle().toString());
    return b.toString();
  }

  /** The decision as one JSON object, for programs. */
  static ObjectNode json(String query, double costWeight, RouteDecision d) {
    ObjectNode o = JSON.createObjectNode();
    o.put("query", query);
    o.put("cost_weight", costWeight);
    RankedCandidate chosen = d.chosen();
    o.put("model", chosen.model());
    o.put("provider", chosen.candidate().provider());
    o.set("parameters", parametersJson(chosen.parameters()));
    o.put("probability", chosen.probability());
    putCost(o, chosen.expectedCostUsd());
    ObjectNode probs = o.putObject("probabilities");
    d.probabilities().forEach(probs::put);
    ArrayNode alts = o.putArray("alternatives");
    List<RankedCandidate> ranking = d.ranking();
    for (int i = 1; i < ranking.size(); i++) {
      RankedCandidate a = ranking.get(i);
      ObjectNode n = alts.addObject();
      n.put("rank", i + 1);
      n.put("model", a.model());
      n.put("provider", a.candidate().provider());
      n.put("probability", a.probability());
      n.set("parameters", parametersJson(a.parameters()));
      putCost(n, a.expectedCostUsd());
    }
    ObjectNode excluded = o.putObject("excluded");
    d.excluded().forEach(excluded::put);
    RouteTimings t = d.timings();
    ObjectNode timings = o.putObject("timings");
    timings.put("encode_ms", t.encodeNanos() / 1e6);
    timings.put("infer_ms", t.inferNanos() / 1e6);
    timings.put("total_ms", t.totalNanos() / 1e6);
    timings.put("embedding_cache_hit", t.embeddingCacheHit());
    ObjectNode bundle = o.putObject("bundle");
    bundle.put("id", d.bundle().id());
    bundle.put("version", d.bundle().version());
    return o;
  }

  /** Parameter values as JSON: numbers, strings, and tensors as arrays. */
  static ObjectNode parametersJson(ParameterValues values) {
    ObjectNode o = JSON.createObjectNode();
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Long) {
        o.put(e.getKey(), (Long) v);
      } else if (v instanceof Double) {
        o.put(e.getKey(), (Double) v);
      } else if (v instanceof float[]) {
        ArrayNode a = o.putArray(e.getKey());
        for (float f : (float[]) v) {
          a.add(f);
        }
      } else {
        o.put(e.getKey(), String.valueOf(v));
      }
    }
    return o;
  }

  /** Parameter values as {@code name=value, ...}; {@code (none)} for an empty space. */
  static String parameters(ParameterValues values) {
    if (values.isEmpty()) {
      return "(none)";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      Object v = e.getValue();
      String shown = v instanceof Double ? number((Double) v)
          : v instanceof float[] ? "float[" + ((float[]) v).length + "]" : String.valueOf(v);
      parts.add(e.getKey() + "=" + shown);
    }
    return String.join(", ", parts);
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String probability(double p) {
    return String.format(Locale.ROOT, "%.3f", p);
  }

  static String usd(double v) {
    return String.format(Locale.ROOT, "$%.6f", v);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  private static String expectedCost(double usd, String sep) {
    return Double.isNaN(usd) ? "" : sep + "expected " + usd(usd) + "/call";
  }

  private static void putCost(ObjectNode o, double usd) {
    if (Double.isNaN(usd)) {
      o.putNull("expected_cost_usd");
    } else {
      o.put("expected_cost_usd", usd);
    }
  }

  private static String shorten(String query) {
    String flat = query.strip().replaceAll("\\s+", " ");
    return flat.length() <= QUERY_SHOWN ? flat : flat.substring(0, QUERY_SHOWN - 3) + "...";
  }

  /** Lines of {@code label  value}, the values aligned two spaces after the longest label. */
  static final class Block {
    private final List<String[]> lines = new ArrayList<>();

    void line(String label, String value) {
      lines.add(new String[] {label, value});
    }

    @Override
    public String toString() {
      int width = 0;
      for (String[] l : lines) {
        width = Math.max(width, l[0].length());
      }
      StringBuilder sb = new StringBuilder();
      for (String[] l : lines) {
        sb.append(l[0]).append(" ".repeat(width + 2 - l[0].length())).append(l[1])
            .append(System.lineSeparator());
      }
      return sb.toString();
    }
  }
}
