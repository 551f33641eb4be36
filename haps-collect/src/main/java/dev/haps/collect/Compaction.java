package dev.haps.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Configuration;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.OutcomeLogWriter;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the journal into the outcome log: {@code candidates.json}, {@code outcomes.jsonl} (one
 * record per query with at least one graded pair, in input order, its outcomes in plan order)
 * and {@code summary.json}. The result depends only on the queries, the plan and the journal's
 * latest row per pair, never on the order calls finished in, so a run stopped and resumed writes
 * the same bytes as one that ran straight through. Each file is written to a temporary name and
 * moved into place.
 */
final class Compaction {

  private static final ObjectMapper PRETTY = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** One query of the plan: its text, split, fingerprint and sampled configurations. */
  record Item(CollectQuery query, Split split, String sha, List<Configuration> configurations) {}

  private Compaction() {}

  static CollectSummary.Builder write(Path out, String benchmark, String judge, Plan plan,
      List<Item> items, Map<String, JournalRow> latest, List<JournalRow> allRows) {
    List<QueryRecord> records = new ArrayList<>();
    Map<String, Map<String, TreeSet<Object>>> observed = new LinkedHashMap<>();
    List<RowProblem> problems = new ArrayList<>();
    CollectSummary.Builder s = new CollectSummary.Builder();
    for (Item it : items) {
      List<Outcome> outcomes = new ArrayList<>();
      for (Configuration c : it.configurations()) {
        s.pairsPlanned++;
        JournalRow r = latest.get(JournalRow.pairKey(it.query().id(), c.key()));
        if (r == null) {
          s.notRun++;
          continue;
        }
        switch (r.status()) {
          case GRADED:
            s.graded++;
            outcomes.add(new Outcome(c.model(), c.params(), r.score(), r.costUsd(),
                r.inputTokens(), r.outputTokens()));
            c.params().asMap().forEach((k, v) -> observed
                .computeIfAbsent(c.model(), m -> new LinkedHashMap<>())
                .computeIfAbsent(k, n -> new TreeSet<>(Compaction::compareValues)).add(v));
            break;
          case UNGRADED:
            s.ungraded++;
            problems.add(new RowProblem(it.query().id(), c.key(), r.status(), r.reason()));
            break;
          case CALL_FAILED:
          case JUDGE_FAILED:
            s.failed++;
            problems.add(new RowProblem(it.query().id(), c.key(), r.status(), r.reason()));
            break;
          default:
            throw new IllegalStateException("unhandled row status " + r.status());
        }
      }
      if (!outcomes.isEmpty()) {
        records.add(new QueryRecord(it.query().id(), it.query().task(), it.split(),
            it.query().query(), it.query().answer(), outcomes));
      }
    }
    // Exact sums, so that the totals do not depend on the order the rows were journaled in
    // (floating-point addition is not associative).
    BigDecimal answers = BigDecimal.ZERO;
    BigDecimal judging = BigDecimal.ZERO;
    for (JournalRow r : allRows) {
      answers = Double.isNaN(r.costUsd()) ? answers : answers.add(new BigDecimal(r.costUsd()));
      judging = Double.isNaN(r.judgeCostUsd()) ? judging
          : judging.add(new BigDecimal(r.judgeCostUsd()));
    }
    s.answersCostUsd = answers.doubleValue();
    s.judgeCostUsd = judging.doubleValue();
    CandidateSet candidates = candidates(benchmark, plan, observed);
    try {
      Files.createDirectories(out);
      Path cands = out.resolve(OutcomeLog.CANDIDATES_FILE);
      Path tmpC = out.resolve(OutcomeLog.CANDIDATES_FILE + ".tmp");
      Files.write(tmpC, candidates.toJson());
      Files.move(tmpC, cands, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Path tmpO = out.resolve(OutcomeLog.OUTCOMES_FILE + ".tmp");
      Files.deleteIfExists(tmpO);
      try (OutcomeLogWriter w = OutcomeLogWriter.builder(tmpO).candidates(candidates)
          .fsync(false).open()) {
        w.appendAll(records);
      }
      Files.move(tmpO, out.resolve(OutcomeLog.OUTCOMES_FILE),
          StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the outcome log into " + out
          + "; check permissions and disk space", e);
    }
    s.benchmark = benchmark;
    s.output = out;
    s.judge = judge;
    s.queries = items.size();
    s.queriesInLog = records.size();
    for (Split sp : Split.values()) {
      s.splits.put(sp, 0);
    }
    records.forEach(r -> s.splits.merge(r.split(), 1, Integer::sum));
    s.problems = problems;
    Stats all = Stats.of(plan, items, latest, null);
    s.configurations = all.perConfig;
    s.bestSingle = all.best;
    s.oracleMeanScore = all.oracleScore;
    s.oracleMeanCostUsd = all.oracleCost;
    writeSummary(out, s, plan, items, latest, records);
    return s;
  }

  private static CandidateSet candidates(String benchmark, Plan plan,
      Map<String, Map<String, TreeSet<Object>>> observed) {
    List<CandidateModel> models = new ArrayList<>();
    for (Plan.Candidate c : plan.candidates) {
      Map<String, List<Object>> obs = new LinkedHashMap<>();
      Map<String, TreeSet<Object>> seen = observed.getOrDefault(c.id(), Map.of());
      for (ParameterSpec spec : c.space().specs()) {
        TreeSet<Object> values = seen.get(spec.name());
        if (values == null) {
          continue;
        }
        List<Object> list = new ArrayList<>(values);
        if (spec instanceof CategoricalSpec) {
          List<String> choices = ((CategoricalSpec) spec).choices();
          list.sort(Comparator.comparingInt(v -> choices.indexOf(String.valueOf(v))));
        }
        obs.put(spec.name(), list);
      }
      models.add(new CandidateModel(c.id(), c.inputPricePerMtok(), c.outputPricePerMtok(),
          c.space(), obs));
    }
    return CandidateSet.of(benchmark, models);
  }

  /** Per-configuration figures, best single and oracle over the queries of one split (or all). */
  private static final class Stats {
    List<ConfigurationStats> perConfig = new ArrayList<>();
    ConfigurationStats best;
    double oracleScore = Double.NaN;
    double oracleCost = Double.NaN;
    int queries;

    static Stats of(Plan plan, List<Item> items, Map<String, JournalRow> latest, Split split) {
      Stats st = new Stats();
      Map<String, double[]> acc = new LinkedHashMap<>();
      // per config: graded, score sum, cost sum, cost n, ungraded, failed, judge cost
      for (Configuration c : plan.configurations) {
        acc.put(c.key(), new double[7]);
      }
      double oScore = 0;
      double oCost = 0;
      int oCostN = 0;
      int oN = 0;
      for (Item it : items) {
        if (split != null && it.split() != split) {
          continue;
        }
        double bestScore = -1;
        double bestCost = Double.NaN;
        for (Configuration c : it.configurations()) {
          JournalRow r = latest.get(JournalRow.pairKey(it.query().id(), c.key()));
          if (r == null) {
            continue;
          }
          double[] a = acc.get(c.key());
          a[6] += Double.isNaN(r.judgeCostUsd()) ? 0 : r.judgeCostUsd();
          switch (r.status()) {
            case GRADED:
              a[0]++;
              a[1] += r.score();
              if (!Double.isNaN(r.costUsd())) {
                a[2] += r.costUsd();
                a[3]++;
              }
              if (r.score() > bestScore || (r.score() == bestScore && cheaper(r.costUsd(),
                  bestCost))) {
                bestScore = r.score();
                bestCost = r.costUsd();
              }
              break;
            case UNGRADED:
              a[4]++;
              break;
            case CALL_FAILED:
            case JUDGE_FAILED:
              a[5]++;
              break;
            default:
              throw new IllegalStateException("unhandled row status " + r.status());
          }
        }
        if (bestScore >= 0) {
          oN++;
          oScore += bestScore;
          if (!Double.isNaN(bestCost)) {
            oCost += bestCost;
            oCostN++;
          }
        }
      }
      st.queries = oN;
      for (Configuration c : plan.configurations) {
        double[] a = acc.get(c.key());
        ConfigurationStats cs = new ConfigurationStats(c, (int) a[0],
            a[0] > 0 ? a[1] / a[0] : Double.NaN, a[3] > 0 ? a[2] / a[3] : Double.NaN, (int) a[4],
            (int) a[5], a[6]);
        st.perConfig.add(cs);
        if (cs.graded() > 0 && (st.best == null || cs.meanScore() > st.best.meanScore()
            || (cs.meanScore() == st.best.meanScore()
                && cheaper(cs.meanCostUsd(), st.best.meanCostUsd())))) {
          st.best = cs;
        }
      }
      if (oN > 0) {
        st.oracleScore = oScore / oN;
        st.oracleCost = oCostN > 0 ? oCost / oCostN : Double.NaN;
      }
      return st;
    }

    /** Whether cost a is below b; an unknown cost is never cheaper than a known one. */
    private static boolean cheaper(double a, double b) {
      return !Double.isNaN(a) && (Double.isNaN(b) || a < b);
    }
  }

  private static void writeSummary(Path out, CollectSummary.Builder s, Plan plan,
      List<Item> items, Map<String, JournalRow> latest, List<QueryRecord> records) {
    ObjectNode root = PRETTY.createObjectNode();
    root.put("benchmark", s.benchmark);
    root.put("built_by", "haps collect");
    root.put("judge", s.judge);
    root.put("n_queries", s.queriesInLog);
    root.put("n_queries_input", s.queries);
    root.put("n_outcomes", s.graded);
    root.put("n_configs", plan.configurations.size());
    root.put("complete", s.failed == 0 && s.notRun == 0);
    ObjectNode splits = root.putObject("splits");
    s.splits.forEach((k, v) -> splits.put(k.wireName(), v));
    Map<String, Map<Split, Integer>> tasks = new TreeMap<>();
    for (QueryRecord r : records) {
      tasks.computeIfAbsent(r.task(), t -> new EnumMap<>(Split.class)).merge(r.split(), 1,
          Integer::sum);
    }
    ObjectNode tn = root.putObject("tasks");
    tasks.forEach((t, m) -> {
      ObjectNode n = tn.putObject(t);
      for (Split sp : Split.values()) {
        n.put(sp.wireName(), m.getOrDefault(sp, 0));
      }
    });
    ObjectNode pairs = root.putObject("pairs");
    pairs.put("planned", s.pairsPlanned);
    pairs.put("graded", s.graded);
    pairs.put("ungraded", s.ungraded);
    pairs.put("failed", s.failed);
    pairs.put("not_run", s.notRun);
    ObjectNode cost = root.putObject("cost_usd");
    cost.put("answers", s.answersCostUsd);
    cost.put("judge", s.judgeCostUsd);
    cost.put("total", s.answersCostUsd + s.judgeCostUsd);
    ObjectNode stats = root.putObject("stats");
    statsNode(stats.putObject("all"), Stats.of(plan, items, latest, null));
    for (Split sp : Split.values()) {
      statsNode(stats.putObject(sp.wireName()), Stats.of(plan, items, latest, sp));
    }
    ArrayNode probs = root.putArray("problems");
    for (RowProblem p : s.problems) {
      ObjectNode n = probs.addObject();
      n.put("query_id", p.queryId());
      n.put("config", p.configuration());
      n.put("status", p.status().wireName());
      n.put("reason", p.reason());
    }
    try {
      Path tmp = out.resolve("summary.json.tmp");
      byte[] json = PRETTY.writeValueAsBytes(root);
      byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
      withNewline[json.length] = '\n';
      Files.write(tmp, withNewline);
      Files.move(tmp, out.resolve("summary.json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve("summary.json"), e);
    }
  }

  private static void statsNode(ObjectNode n, Stats st) {
    n.put("n_queries", st.queries);
    ArrayNode per = n.putArray("per_config");
    for (ConfigurationStats cs : st.perConfig) {
      ObjectNode c = per.addObject();
      c.put("model", cs.configuration().model());
      params(c.putObject("params"), cs.configuration().params());
      c.put("n", cs.graded());
      num(c, "mean_score", cs.meanScore());
      num(c, "mean_cost_usd", cs.meanCostUsd());
      c.put("ungraded", cs.ungraded());
      c.put("failed", cs.failed());
      c.put("judge_cost_usd", cs.judgeCostUsd());
    }
    if (st.best != null) {
      ObjectNode b = n.putObject("best_single");
      b.put("model", st.best.configuration().model());
      params(b.putObject("params"), st.best.configuration().params());
      num(b, "mean_score", st.best.meanScore());
      num(b, "mean_cost_usd", st.best.meanCostUsd());
    } else {
      n.putNull("best_single");
    }
    ObjectNode o = n.putObject("oracle");
    num(o, "mean_score", st.oracleScore);
    num(o, "mean_cost_usd", st.oracleCost);
  }

  private static void params(ObjectNode n, ParameterValues p) {
    p.asMap().forEach((k, v) -> {
      if (v instanceof Long) {
        n.put(k, (Long) v);
      } else if (v instanceof Double) {
        n.put(k, (Double) v);
      } else {
        n.put(k, String.valueOf(v));
      }
    });
  }

  private static void num(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  private static int compareValues(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }
}
