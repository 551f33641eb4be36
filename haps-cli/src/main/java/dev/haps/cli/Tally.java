package dev.haps.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Running totals of one router's calls: mean score, mean cost, and the share of calls per model. */
final class Tally {

  private final Map<String, Integer> callsPerModel = new TreeMap<>();
  private int calls;
  private double scoreSum;
  private double costSum;
  private int costed;

  /** Adds one call; {@code costUsd} may be NaN when unknown (left out of the mean cost). */
  void add(String model, double score, double costUsd) {
    calls++;
    scoreSum += score;
    if (!Double.isNaN(costUsd)) {
      costSum += costUsd;
      costed++;
    }
    callsPerModel.merge(model, 1, Integer::sum);
  }

  int calls() {
    return calls;
  }

  double meanScore() {
    return calls == 0 ? Double.NaN : scoreSum / calls;
  }

  double meanCost() {
    return costed == 0 ? Double.NaN : costSum / costed;
  }

  /** Share of calls per model, largest first. */
  Map<String, Double> shares() {
    Map<String, Double> m = new LinkedHashMap<>();
    callsPerModel.entrySet().stream()
        .sorted((a, b) -> b.getValue().compareTo(a.getValue()))
        .forEach(e -> m.put(e.getKey(), (double) e.getValue() / calls));
    return m;
  }

  /** {@code gpt-4 72%, gpt-35-turbo 28%}. */
  String sharesText() {
    StringBuilder sb = new StringBuilder();
    shares().forEach((model, share) -> {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(model).append(' ').append(String.format(Locale.ROOT, "%.0f%%", share * 100));
    });
    return sb.toString();
  }
}
