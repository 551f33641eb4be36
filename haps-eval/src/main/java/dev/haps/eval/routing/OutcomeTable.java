package dev.haps.eval.routing;

import dev.haps.data.Configuration;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorded outcomes of one split as a dense table: for every query and every fixed
 * configuration, the score and the cost.
 *
 * <p>Rules, so that every router is scored the same way:
 *
 * <ul>
 *   <li>The configurations are the distinct (model, parameters) pairs the whole log records, in
 *       {@code candidates.json} model order, then in order of first appearance.
 *   <li>Every query of the split must have an outcome for every configuration; when a query has
 *       several outcomes of one configuration, the first one counts.
 *   <li>A cost the log does not record ({@code null}) counts as 0 USD.
 *   <li>A decision maps to the configuration of the same model whose parameters are nearest
 *       ({@link #snap(Decision)}).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class OutcomeTable {

  private final String benchmark;
  private final Split split;
  private final List<Configuration> configs;
  private final Map<String, ParameterSpace> spaces;
  private final Map<String, Map<String, List<Object>>> observed;
  private final String[] ids;
  private final String[] tasks;
  private final String[] texts;
  private final double[] score;
  private final double[] cost;
  private final Map<Decision, Integer> exact;
  private final Map<Decision, Integer> snapped = new ConcurrentHashMap<>();

  private OutcomeTable(
      String benchmark,
      Split split,
      List<Configuration> configs,
      Map<String, ParameterSpace> spaces,
      Map<String, Map<String, List<Object>>> observed,
      String[] ids,
      String[] tasks,
      String[] texts,
      double[] score,
      double[] cost) {
    this.benchmark = benchmark;
    this.split = split;
    this.configs = configs;
    this.spaces = spaces;
    this.observed = observed;
    this.ids = ids;
    this.tasks = tasks;
    this.texts = texts;
    this.score = score;
    this.cost = cost;
    Map<Decision, Integer> m = new HashMap<>();
    for (int c = 0; c < configs.size(); c++) {
      m.putIfAbsent(Decision.of(configs.get(c)), c);
    }
    this.exact = Collections.unmodifiableMap(m);
  }

  /**
   * The configurations a log records, in candidate order, then in order of first appearance.
   *
   * @param log the outcome log
   * @return the configurations, indexed from 0
   */
  public static List<Configuration> configurations(OutcomeLog log) {
    Map<String, List<ParameterValues>> byModel = new LinkedHashMap<>();
    for (CandidateModel m : log.candidates().models()) {
      byModel.put(m.id(), new ArrayList<>());
    }
    for (QueryRecord r : log.records()) {
      for (dev.haps.data.Outcome o : r.outcomes()) {
        List<ParameterValues> l = byModel.computeIfAbsent(o.model(), k -> new ArrayList<>());
        if (!l.contains(o.params())) {
          l.add(o.params());
        }
      }
    }
    List<Configuration> out = new ArrayList<>();
    byModel.forEach(
        (model, params) -> {
          for (ParameterValues p : params) {
            out.add(new Configuration(model, p));
          }
        });
    return List.copyOf(out);
  }

  /**
   * The table of one split, over all the log's configurations.
   *
   * @param log the outcome log
   * @param split the split
   * @return the table
   * @throws IllegalArgumentException if the split is empty or a query lacks a configuration
   */
  public static OutcomeTable of(OutcomeLog log, Split split) {
    return of(log, split, configurations(log));
  }

  /**
   * The table of one split over given configurations.
   *
   * @param log the outcome log
   * @param split the split
   * @param configurations the configurations, as {@link #configurations(OutcomeLog)} lists them
   * @return the table
   * @throws IllegalArgumentException if the split is empty or a query lacks a configuration
   */
  public static OutcomeTable of(
      OutcomeLog log, Split split, List<Configuration> configurations) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(split, "split");
    List<QueryRecord> records = log.records(split);
    if (records.isEmpty()) {
      throw new IllegalArgumentException(
          "outcome log '"
              + log.benchmark()
              + "' has no queries in split '"
              + split
              + "'; evaluation and baselines need train, valid and the evaluated split");
    }
    int n = records.size();
    int k = configurations.size();
    String[] ids = new String[n];
    String[] tasks = new String[n];
    String[] texts = new String[n];
    double[] score = new double[n * k];
    double[] cost = new double[n * k];
    Map<Decision, Integer> index = new HashMap<>();
    for (int c = 0; c < k; c++) {
      index.put(Decision.of(configurations.get(c)), c);
    }
    for (int q = 0; q < n; q++) {
      QueryRecord r = records.get(q);
      ids[q] = r.id();
      tasks[q] = r.task();
      texts[q] = r.query();
      boolean[] seen = new boolean[k];
      for (dev.haps.data.Outcome o : r.outcomes()) {
        Integer c = index.get(new Decision(o.model(), o.params()));
        if (c == null || seen[c]) {
          continue;
        }
        seen[c] = true;
        score[q * k + c] = o.score();
        cost[q * k + c] = Double.isNaN(o.costUsd()) ? 0 : o.costUsd();
      }
      for (int c = 0; c < k; c++) {
        if (!seen[c]) {
          throw new IllegalArgumentException(
              "query '"
                  + r.id()
                  + "' ("
                  + split
                  + " split of '"
                  + log.benchmark()
                  + "') has no outcome for "
                  + configurations.get(c).label()
                  + "; evaluation needs every configuration's outcome on every query, so"
                  + " complete the log or drop the query");
        }
      }
    }
    Map<String, ParameterSpace> spaces = new HashMap<>();
    Map<String, Map<String, List<Object>>> observed = new HashMap<>();
    for (CandidateModel m : log.candidates().models()) {
      spaces.put(m.id(), m.parameters());
      Map<String, List<Object>> perParam = new HashMap<>();
      for (ParameterSpec s : m.parameters().specs()) {
        perParam.put(s.name(), log.observedValues(m.id(), s.name()));
      }
      observed.put(m.id(), Map.copyOf(perParam));
    }
    return new OutcomeTable(
        log.benchmark(),
        split,
        List.copyOf(configurations),
        Map.copyOf(spaces),
        Map.copyOf(observed),
        ids,
        tasks,
        texts,
        score,
        cost);
  }

  /**
   * A table of some of this table's queries, in the given order (used for per-task figures).
   *
   * @param queries query indices into this table
   * @return the smaller table
   */
  public OutcomeTable subset(int[] queries) {
    int k = configs.size();
    int n = queries.length;
    String[] i2 = new String[n];
    String[] t2 = new String[n];
    String[] x2 = new String[n];
    double[] s2 = new double[n * k];
    double[] c2 = new double[n * k];
    for (int j = 0; j < n; j++) {
      int q = queries[j];
      i2[j] = ids[q];
      t2[j] = tasks[q];
      x2[j] = texts[q];
      System.arraycopy(score, q * k, s2, j * k, k);
      System.arraycopy(cost, q * k, c2, j * k, k);
    }
    return new OutcomeTable(benchmark, split, configs, spaces, observed, i2, t2, x2, s2, c2);
  }

  /**
   * The benchmark name.
   *
   * @return the name
   */
  public String benchmark() {
    return benchmark;
  }

  /**
   * The split the queries come from.
   *
   * @return the split
   */
  public Split split() {
    return split;
  }

  /**
   * The configurations (columns).
   *
   * @return an immutable list; a configuration's index is its position
   */
  public List<Configuration> configurations() {
    return configs;
  }

  /**
   * The number of queries (rows).
   *
   * @return the count
   */
  public int size() {
    return ids.length;
  }

  /**
   * A query's id.
   *
   * @param q the query index
   * @return the id
   */
  public String id(int q) {
    return ids[q];
  }

  /**
   * A query's task.
   *
   * @param q the query index
   * @return the task
   */
  public String task(int q) {
    return tasks[q];
  }

  /**
   * A query's text.
   *
   * @param q the query index
   * @return the prompt text
   */
  public String text(int q) {
    return texts[q];
  }

  /**
   * All query texts, in order.
   *
   * @return an immutable list
   */
  public List<String> texts() {
    return List.of(texts);
  }

  /**
   * The distinct tasks, in order of first appearance.
   *
   * @return the tasks
   */
  public List<String> tasks() {
    return List.copyOf(new java.util.LinkedHashSet<>(Arrays.asList(tasks)));
  }

  /**
   * The indices of one task's queries.
   *
   * @param task the task
   * @return the indices, ascending
   */
  public int[] queriesOf(String task) {
    int[] out = new int[ids.length];
    int n = 0;
    for (int q = 0; q < ids.length; q++) {
      if (tasks[q].equals(task)) {
        out[n++] = q;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The recorded score of a configuration on a query.
   *
   * @param q the query index
   * @param c the configuration index
   * @return the score in [0, 1]
   */
  public double score(int q, int c) {
    return score[q * configs.size() + c];
  }

  /**
   * The recorded cost of a configuration on a query ({@code null} costs read as 0).
   *
   * @param q the query index
   * @param c the configuration index
   * @return the cost in USD
   */
  public double cost(int q, int c) {
    return cost[q * configs.size() + c];
  }

  /**
   * A configuration's mean score over the queries.
   *
   * @param c the configuration index
   * @return the mean score
   */
  public double meanScore(int c) {
    double s = 0;
    for (int q = 0; q < ids.length; q++) {
      s += score(q, c);
    }
    return s / ids.length;
  }

  /**
   * A configuration's mean cost over the queries.
   *
   * @param c the configuration index
   * @return the mean cost, USD
   */
  public double meanCost(int c) {
    double s = 0;
    for (int q = 0; q < ids.length; q++) {
      s += cost(q, c);
    }
    return s / ids.length;
  }

  /**
   * The mean cost of the most expensive fixed configuration: the cost scale of the reward when
   * this is the training table.
   *
   * @return the largest mean cost, or 1 when every configuration is free
   */
  public double maxMeanCost() {
    double max = 0;
    for (int c = 0; c < configs.size(); c++) {
      max = Math.max(max, meanCost(c));
    }
    return max > 0 ? max : 1;
  }

  /**
   * The cheapest single configuration: the lowest mean cost; a tie goes to the better mean score,
   * then to the lower index. The {@code cheapest} baseline and the CLI demo's "cheapest" row.
   *
   * @return the configuration index
   */
  public int cheapestConfiguration() {
    int best = 0;
    for (int c = 1; c < configs.size(); c++) {
      double dc = meanCost(c) - meanCost(best);
      if (dc < 0 || (dc == 0 && meanScore(c) > meanScore(best))) {
        best = c;
      }
    }
    return best;
  }

  /**
   * The best single configuration at a cost weight: the best mean reward {@code score −
   * λ(w)·cost/costScale} (at cost weight 0 simply the best mean score); a tie goes to the cheaper
   * one, then to the lower index. The {@code best-fixed} baseline and the CLI demo's "best single"
   * row.
   *
   * @param tradeoff the reward mapping
   * @param costWeight the cost weight in [0, 1]
   * @return the configuration index
   */
  public int bestConfiguration(CostTradeoff tradeoff, double costWeight) {
    Objects.requireNonNull(tradeoff, "tradeoff");
    int k = configs.size();
    double[] score = new double[k];
    double[] cost = new double[k];
    for (int c = 0; c < k; c++) {
      score[c] = meanScore(c);
      cost[c] = meanCost(c);
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      double rj = tradeoff.reward(score[j], cost[j], costWeight);
      double rb = tradeoff.reward(score[best], cost[best], costWeight);
      if (rj > rb || (rj == rb && cost[j] < cost[best])) {
        best = j;
      }
    }
    return best;
  }

  /**
   * The operating point of per-query choices: the mean cost and mean score of the chosen
   * configurations.
   *
   * @param choices one configuration index per query
   * @return the point
   * @throws IllegalArgumentException if the number of choices differs from {@link #size()}
   */
  public TradeoffPoint point(int[] choices) {
    if (choices.length != ids.length) {
      throw new IllegalArgumentException(
          "need one choice per query: " + ids.length + " queries, " + choices.length + " choices");
    }
    double s = 0;
    double c = 0;
    for (int q = 0; q < choices.length; q++) {
      s += score(q, choices[q]);
      c += cost(q, choices[q]);
    }
    return new TradeoffPoint(c / choices.length, s / choices.length);
  }

  /**
   * The points of the single fixed configurations.
   *
   * @return one point per configuration, in configuration order
   */
  public List<TradeoffPoint> fixedPoints() {
    List<TradeoffPoint> out = new ArrayList<>(configs.size());
    for (int c = 0; c < configs.size(); c++) {
      out.add(new TradeoffPoint(meanCost(c), meanScore(c)));
    }
    return out;
  }

  /**
   * The oracle's choice per query at a cost weight: the recorded outcome with the best reward;
   * ties go to the cheaper outcome, then to the lower configuration index.
   *
   * @param costWeight the cost weight
   * @param tradeoff the reward mapping
   * @return one configuration index per query
   */
  public int[] oracleChoices(double costWeight, CostTradeoff tradeoff) {
    int k = configs.size();
    int[] out = new int[ids.length];
    for (int q = 0; q < ids.length; q++) {
      int best = 0;
      double bestR = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double r = tradeoff.reward(score(q, c), cost(q, c), costWeight);
        if (r > bestR || (r == bestR && cost(q, c) < cost(q, best))) {
          best = c;
          bestR = r;
        }
      }
      out[q] = best;
    }
    return out;
  }

  /**
   * The yardstick for these queries: the fixed configurations' points and the oracle swept over
   * the grid.
   *
   * @param costWeights the grid
   * @param tradeoff the reward mapping
   * @return the yardstick
   */
  public Yardstick yardstick(double[] costWeights, CostTradeoff tradeoff) {
    List<TradeoffPoint> oracle = new ArrayList<>(costWeights.length);
    for (double w : costWeights) {
      oracle.add(point(oracleChoices(w, tradeoff)));
    }
    return Yardstick.of(fixedPoints(), oracle);
  }

  /**
   * Maps a decision to a configuration, with the rule the trainer's offline environment uses
   * ({@link dev.haps.train.env.OfflineEnvironment}):
   *
   * <ol>
   *   <li>the exact (model, parameters) pair, when the log records it;
   *   <li>else parameters left out take the model's default, and each float or int value is
   *       clamped to its range and snapped to the nearest value the log holds for that model and
   *       parameter (a tie goes to the smaller value); the configuration with exactly those values
   *       (its own unset parameters read as defaults) wins;
   *   <li>else the configuration of the same model at the smallest distance: the sum over the
   *       model's declared parameters of |a − b| / (max − min) for numbers and 0 or 1 for
   *       categoricals; a tie goes to the lower index.
   * </ol>
   *
   * @param d the decision
   * @return the configuration index
   * @throws IllegalArgumentException if the log records no configuration of the decision's model
   */
  public int snap(Decision d) {
    Integer c = exact.get(d);
    if (c != null) {
      return c;
    }
    return snapped.computeIfAbsent(d, this::nearest);
  }

  private int nearest(Decision d) {
    ParameterSpace space = spaces.getOrDefault(d.model(), ParameterSpace.empty());
    Map<String, List<Object>> seen = observed.getOrDefault(d.model(), Map.of());
    Object[] want = new Object[space.specs().size()];
    for (int i = 0; i < want.length; i++) {
      ParameterSpec s = space.specs().get(i);
      want[i] = snapValue(s, value(s, d.params()), seen.getOrDefault(s.name(), List.of()));
    }
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int ci = 0; ci < configs.size(); ci++) {
      Configuration c = configs.get(ci);
      if (!c.model().equals(d.model())) {
        continue;
      }
      double dist = 0;
      for (int i = 0; i < want.length; i++) {
        ParameterSpec s = space.specs().get(i);
        dist += distance(s, want[i], value(s, c.params()));
      }
      if (dist < bestD) {
        bestD = dist;
        best = ci;
      }
    }
    if (best < 0) {
      List<String> models = new ArrayList<>();
      for (Configuration c : configs) {
        if (!models.contains(c.model())) {
          models.add(c.model());
        }
      }
      throw new IllegalArgumentException(
          "a router chose model '"
              + d.model()
              + "', which the outcome log of '"
              + benchmark
              + "' does not record; recorded models: "
              + models
              + "; evaluate a bundle trained on this benchmark's candidates");
    }
    return best;
  }

  private static Object snapValue(ParameterSpec s, Object v, List<Object> seen) {
    return switch (s.kind()) {
      case FLOAT -> nearest(v, ((FloatSpec) s).min(), ((FloatSpec) s).max(), seen);
      case INT -> nearest(v, ((IntSpec) s).min(), ((IntSpec) s).max(), seen);
      case CATEGORICAL, TENSOR -> v;
    };
  }

  /** The value in {@code seen} nearest to {@code v} clamped to [lo, hi] (ties to the smaller). */
  private static Object nearest(Object v, double lo, double hi, List<Object> seen) {
    if (!(v instanceof Number)) {
      return v;
    }
    double x = Math.max(lo, Math.min(hi, ((Number) v).doubleValue()));
    double best = x;
    double bestDist = Double.POSITIVE_INFINITY;
    for (Object o : seen) {
      double ov = ((Number) o).doubleValue();
      double dd = Math.abs(ov - x);
      if (dd < bestDist || (dd == bestDist && ov < best)) {
        bestDist = dd;
        best = ov;
      }
    }
    return best;
  }

  private static Object value(ParameterSpec s, ParameterValues v) {
    Object x = v.get(s.name()).orElse(null);
    return x != null ? x : s.defaultValue();
  }

  private static double distance(ParameterSpec s, Object a, Object b) {
    return switch (s.kind()) {
      case CATEGORICAL -> Objects.equals(a, b) ? 0 : 1;
      case FLOAT -> numeric(a, b, ((FloatSpec) s).min(), ((FloatSpec) s).max());
      case INT -> numeric(a, b, ((IntSpec) s).min(), ((IntSpec) s).max());
      case TENSOR -> 0; // a log cannot enumerate tensors; any recorded outcome of the model will do
    };
  }

  private static double numeric(Object a, Object b, double min, double max) {
    if (!(a instanceof Number) || !(b instanceof Number)) {
      return Objects.equals(a, b) ? 0 : 1;
    }
    double width = max - min;
    double diff = Math.abs(((Number) a).doubleValue() - ((Number) b).doubleValue());
    return width > 0 ? diff / width : (diff == 0 ? 0 : 1);
  }

  @Override
  public String toString() {
    return "OutcomeTable{" + benchmark + "/" + split + ", queries=" + ids.length
        + ", configurations=" + configs.size() + "}";
  }
}
