package dev.haps.cli;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed (model, parameters) configurations of an outcome log and their mean score and cost
 * on one split: the "always the same configuration" baselines of the demo.
 */
final class FixedConfigurations {

  /** One configuration and its means on the split it was measured on. */
  record Stats(String model, ParameterValues params, double meanScore, double meanCost, int n) {

    String label() {
      return params.isEmpty() ? model : model + " " + DecisionFormat.parameters(params);
    }
  }

  private record Key(String model, ParameterValues params) {}

  private final List<Stats> stats;

  private FixedConfigurations(List<Stats> stats) {
    if (stats.isEmpty()) {
      throw new IllegalArgumentException("the outcome log has no outcome on that split");
    }
    this.stats = List.copyOf(stats);
  }

  /** Measures every configuration on the records of {@code split}. */
  static FixedConfigurations measure(OutcomeLog log, Split split) {
    Map<Key, double[]> sums = new LinkedHashMap<>();
    for (QueryRecord r : log.records(split)) {
      for (Outcome o : r.outcomes()) {
        double[] s = sums.computeIfAbsent(new Key(o.model(), o.params()), k -> new double[3]);
        s[0] += o.score();
        s[1] += Double.isNaN(o.costUsd()) ? 0 : o.costUsd();
        s[2]++;
      }
    }
    List<Stats> out = new ArrayList<>();
    sums.forEach((k, s) -> out.add(
        new Stats(k.model(), k.params(), s[0] / s[2], s[1] / s[2], (int) s[2])));
    return new FixedConfigurations(out);
  }

  List<Stats> all() {
    return stats;
  }

  /** The configuration with the lowest mean cost (ties to the higher score). */
  Stats cheapest() {
    return stats.stream()
        .min(Comparator.comparingDouble(Stats::meanCost)
            .thenComparing(Comparator.comparingDouble(Stats::meanScore).reversed()))
        .orElseThrow();
  }

  /**
   * The configuration with the best mean reward {@code score − λ(w)·cost/costScale} (ties to the
   * cheaper): at cost weight 0, simply the best mean score.
   */
  Stats best(CostTradeoff tradeoff, double costWeight) {
    return stats.stream()
        .max(Comparator.comparingDouble(
                (Stats s) -> tradeoff.reward(s.meanScore(), s.meanCost(), costWeight))
            .thenComparing(Comparator.comparingDouble(Stats::meanCost).reversed()))
        .orElseThrow();
  }

  /** The training convention's cost unit: the mean cost of the most expensive configuration. */
  double costScale() {
    return stats.stream().mapToDouble(Stats::meanCost).max().orElseThrow();
  }

  /** The recorded outcome of a configuration on a query, if the log has one. */
  static Optional<Outcome> outcome(QueryRecord record, Stats config) {
    return record.outcome(config.model(), config.params());
  }
}
