package dev.haps.train.env;

import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.Configuration;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offline environment HAPS trains against: an outcome log replayed as (query, model,
 * parameters) → recorded (score, cost), and the reward of that outcome at a cost weight.
 *
 * <p><b>Completion and snapping.</b> Parameters a request leaves out take the model's declared
 * default. A float or int value is then snapped to the nearest value the log holds for that
 * model and parameter ({@link OutcomeLog#observedValues}); on a tie the smaller value wins; a
 * parameter the log never sets is only clamped to its range. Categorical values must be declared
 * choices. The evaluation sweep snaps the same way, so every decision has a recorded outcome.
 *
 * <p><b>Lookup.</b> The outcome of a configuration on a query is the recorded outcome with the
 * same model and the same snapped parameters. When the query has no such outcome (a sparse log),
 * the closest recorded configuration of the same model is used: distance is the sum, over
 * parameters, of |Δ| / (max − min) for numbers and 1 for a different categorical choice; the
 * first in file order wins a tie. A model with no outcome on the query gives no outcome.
 *
 * <p><b>Reward.</b> {@code score − λ(costWeight) · cost / costScale} ({@link CostTradeoff});
 * with failure augmentation (the HAPS paper's "−1 on failure"), an outcome whose score is 0
 * counts as score −1, so {@code reward = −1 − λ · cost / costScale}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class OfflineEnvironment {

  private final OutcomeLog log;
  private final CostTradeoff tradeoff;
  private final boolean failureAugmentation;
  private final Map<String, Integer> candidateIndex = new HashMap<>();
  private final List<Configuration> configurations;
  private final Map<String, List<Configuration>> completedByQuery = new ConcurrentHashMap<>();

  private OfflineEnvironment(OutcomeLog log, CostTradeoff tradeoff, boolean failureAugmentation) {
    this.log = log;
    this.tradeoff = tradeoff;
    this.failureAugmentation = failureAugmentation;
    List<CandidateModel> models = log.candidates().models();
    for (int i = 0; i < models.size(); i++) {
      candidateIndex.put(models.get(i).id(), i);
    }
    this.configurations = enumerate();
  }

  /**
   * An environment over a log, with the default λ mapping at the log's own cost scale.
   *
   * @param log the outcome log
   * @param failureAugmentation whether a score of 0 counts as −1
   * @return the environment
   */
  public static OfflineEnvironment of(OutcomeLog log, boolean failureAugmentation) {
    return of(log, CostTradeoff.withCostScale(costScale(log)), failureAugmentation);
  }

  /**
   * An environment over a log with an explicit λ mapping.
   *
   * @param log the outcome log
   * @param tradeoff the λ mapping and cost scale
   * @param failureAugmentation whether a score of 0 counts as −1
   * @return the environment
   */
  public static OfflineEnvironment of(
      OutcomeLog log, CostTradeoff tradeoff, boolean failureAugmentation) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(tradeoff, "tradeoff");
    return new OfflineEnvironment(log, tradeoff, failureAugmentation);
  }

  /**
   * The cost unit of the reward: the mean cost of the most expensive fixed configuration on the
   * {@code train} split (1.0 when the log records no positive cost).
   *
   * @param log the outcome log
   * @return the cost scale in USD
   */
  public static double costScale(OutcomeLog log) {
    OfflineEnvironment env = new OfflineEnvironment(log, CostTradeoff.withCostScale(1.0), false);
    double best = 0;
    for (double c : env.meanCosts(Split.TRAIN)) {
      if (c > best) {
        best = c;
      }
    }
    return best > 0 && Double.isFinite(best) ? best : 1.0;
  }

  /**
   * The log.
   *
   * @return the outcome log
   */
  public OutcomeLog log() {
    return log;
  }

  /**
   * The λ mapping and cost scale.
   *
   * @return the trade-off
   */
  public CostTradeoff tradeoff() {
    return tradeoff;
  }

  /**
   * Whether a score of 0 counts as −1 in {@link #reward}.
   *
   * @return the flag
   */
  public boolean failureAugmentation() {
    return failureAugmentation;
  }

  /**
   * The distinct configurations recorded on the {@code train} split, ordered by candidate and
   * then by first appearance in the log.
   *
   * @return an unmodifiable list
   */
  public List<Configuration> configurations() {
    return configurations;
  }

  /**
   * The index of a model in the candidate list.
   *
   * @param model the model id
   * @return the index
   * @throws IllegalArgumentException if the log declares no such model
   */
  public int candidateIndex(String model) {
    Integer i = candidateIndex.get(model);
    if (i == null) {
      throw new IllegalArgumentException("model '" + model + "' is not a candidate of "
          + log.benchmark() + "; candidates: " + log.candidates().ids());
    }
    return i;
  }

  /**
   * Completes parameters with the model's defaults and snaps numbers to observed values.
   *
   * @param model the model id
   * @param params the values (may leave parameters out)
   * @return every declared parameter, in declaration order
   * @throws IllegalArgumentException for an unknown model, an undeclared parameter or a value of
   *     the wrong kind
   */
  public ParameterValues snap(String model, ParameterValues params) {
    CandidateModel m = log.candidates().models().get(candidateIndex(model));
    ParameterSpace space = m.parameters();
    for (String name : params.names()) {
      if (space.spec(name).isEmpty()) {
        throw new IllegalArgumentException("parameter '" + name + "' is not declared for model '"
            + model + "'; declared: " + names(space));
      }
    }
    ParameterValues.Builder b = ParameterValues.builder();
    for (ParameterSpec spec : space.specs()) {
      Object v = params.get(spec.name()).orElse(spec.defaultValue());
      b.put(spec.name(), snapValue(model, spec, v));
    }
    return b.build();
  }

  private Object snapValue(String model, ParameterSpec spec, Object v) {
    return switch (spec.kind()) {
      case CATEGORICAL, TENSOR -> spec.validate(v);
      case FLOAT -> nearestObserved(model, spec, v, ((FloatSpec) spec).min(),
          ((FloatSpec) spec).max());
      case INT -> (long) Math.floor(nearestObserved(model, spec, v, ((IntSpec) spec).min(),
          ((IntSpec) spec).max()) + 0.5);
    };
  }

  /** The observed value nearest to {@code v} clamped to [lo, hi] (ties to the smaller). */
  private double nearestObserved(String model, ParameterSpec spec, Object v, double lo,
      double hi) {
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("parameter '" + spec.name() + "' of model '" + model
          + "' = " + v + " is not a number");
    }
    double x = ((Number) v).doubleValue();
    x = Math.max(lo, Math.min(hi, x));
    double best = x;
    double bestDist = Double.POSITIVE_INFINITY;
    for (Object o : log.observedValues(model, spec.name())) {
      double ov = ((Number) o).doubleValue();
      double d = Math.abs(ov - x);
      if (d < bestDist || (d == bestDist && ov < best)) {
        bestDist = d;
        best = ov;
      }
    }
    return best;
  }

  /**
   * The recorded outcome of a configuration on a query (see the class comment for lookup).
   *
   * @param query the query
   * @param model the model id
   * @param params the parameters (completed and snapped here)
   * @return the outcome, or empty when the model has none on this query
   */
  public Optional<Outcome> outcome(QueryRecord query, String model, ParameterValues params) {
    ParameterValues want = snap(model, params);
    List<Configuration> recorded = completed(query);
    int best = -1;
    double bestDist = Double.POSITIVE_INFINITY;
    ParameterSpace space = log.candidates().models().get(candidateIndex(model)).parameters();
    for (int i = 0; i < recorded.size(); i++) {
      Configuration c = recorded.get(i);
      if (!c.model().equals(model)) {
        continue;
      }
      if (c.params().equals(want)) {
        return Optional.of(query.outcomes().get(i));
      }
      double d = distance(space, want, c.params());
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(query.outcomes().get(best));
  }

  /**
   * The reward of an outcome.
   *
   * @param outcome the outcome
   * @param costWeight in [0, 1]
   * @return the reward, failure augmentation applied when enabled
   */
  public double reward(Outcome outcome, double costWeight) {
    double score = failureAugmentation && outcome.score() == 0 ? -1 : outcome.score();
    return tradeoff.reward(score, outcome.costUsd(), costWeight);
  }

  /**
   * The reward of a configuration on a query.
   *
   * @param query the query
   * @param model the model id
   * @param params the parameters
   * @param costWeight in [0, 1]
   * @return the reward, or empty when the model has no outcome on the query
   */
  public OptionalDouble reward(
      QueryRecord query, String model, ParameterValues params, double costWeight) {
    Optional<Outcome> o = outcome(query, model, params);
    return o.isPresent() ? OptionalDouble.of(reward(o.get(), costWeight)) : OptionalDouble.empty();
  }

  /**
   * The index in {@link #configurations()} of a configuration, after snapping.
   *
   * @param model the model id
   * @param params the parameters
   * @return the index, or -1 when the train split never recorded this configuration
   */
  public int configurationIndex(String model, ParameterValues params) {
    ParameterValues want = snap(model, params);
    for (int i = 0; i < configurations.size(); i++) {
      Configuration c = configurations.get(i);
      if (c.model().equals(model) && c.params().equals(want)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The closest of some configurations of a model to the given parameters, by the distance in
   * the class comment (first wins a tie).
   *
   * @param model the model id
   * @param params the parameters (completed and snapped here)
   * @param among candidate configurations (other models are skipped)
   * @return the index in {@code among}, or -1 when none is of this model
   */
  public int nearest(String model, ParameterValues params, List<Configuration> among) {
    ParameterValues want = snap(model, params);
    ParameterSpace space = log.candidates().models().get(candidateIndex(model)).parameters();
    int best = -1;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int i = 0; i < among.size(); i++) {
      Configuration c = among.get(i);
      if (!c.model().equals(model)) {
        continue;
      }
      double d = distance(space, want, c.params());
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    return best;
  }

  /**
   * Mean cost of each configuration over a split's queries (NaN costs count as 0; a query
   * without that configuration is skipped).
   *
   * @param split the split
   * @return one mean per {@link #configurations()} entry
   */
  public double[] meanCosts(Split split) {
    double[] sum = new double[configurations.size()];
    int[] n = new int[configurations.size()];
    for (QueryRecord q : log.records(split)) {
      List<Configuration> rec = completed(q);
      for (int i = 0; i < rec.size(); i++) {
        int ci = configurations.indexOf(rec.get(i));
        if (ci >= 0) {
          double c = q.outcomes().get(i).costUsd();
          sum[ci] += Double.isNaN(c) ? 0 : c;
          n[ci]++;
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] = n[i] == 0 ? 0 : sum[i] / n[i];
    }
    return sum;
  }

  private List<Configuration> completed(QueryRecord q) {
    return completedByQuery.computeIfAbsent(q.id(), id -> {
      List<Configuration> out = new ArrayList<>(q.outcomes().size());
      for (Outcome o : q.outcomes()) {
        out.add(new Configuration(o.model(), snap(o.model(), o.params())));
      }
      return Collections.unmodifiableList(out);
    });
  }

  private List<Configuration> enumerate() {
    Map<Configuration, Boolean> seen = new LinkedHashMap<>();
    for (QueryRecord q : log.records(Split.TRAIN)) {
      for (Configuration c : completed(q)) {
        seen.putIfAbsent(c, Boolean.TRUE);
      }
    }
    List<Configuration> all = new ArrayList<>(seen.keySet());
    // Stable sort keeps first-appearance order within a candidate.
    all.sort((a, b) -> Integer.compare(candidateIndex(a.model()), candidateIndex(b.model())));
    return Collections.unmodifiableList(all);
  }

  private static double distance(ParameterSpace space, ParameterValues a, ParameterValues b) {
    double d = 0;
    for (ParameterSpec s : space.specs()) {
      Object x = a.get(s.name()).orElse(null);
      Object y = b.get(s.name()).orElse(null);
      d += switch (s.kind()) {
        case FLOAT -> {
          FloatSpec f = (FloatSpec) s;
          yield Math.abs(((Number) x).doubleValue() - ((Number) y).doubleValue())
              / Math.max(1e-12, f.max() - f.min());
        }
        case INT -> {
          IntSpec i = (IntSpec) s;
          yield Math.abs(((Number) x).doubleValue() - ((Number) y).doubleValue())
              / Math.max(1, i.max() - i.min());
        }
        case CATEGORICAL, TENSOR -> Objects.equals(x, y) ? 0 : 1;
      };
    }
    return d;
  }

  private static List<String> names(ParameterSpace space) {
    List<String> out = new ArrayList<>();
    for (ParameterSpec s : space.specs()) {
      out.add(s.name());
    }
    return out;
  }
}
