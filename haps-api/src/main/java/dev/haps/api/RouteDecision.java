package dev.haps.api;

import dev.haps.api.params.ParameterValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the router chose for one request: the candidate model (high-level router) and its
 * parameters (low-level router), the ranked alternatives each with their own parameters, the
 * probability of every eligible candidate, why the others were excluded, which bundle decided,
 * and how long it took.
 *
 * @param ranking eligible candidates, best first; never empty
 * @param excluded candidate id to the reason it was excluded by the request's constraints
 * @param bundle the bundle that decided
 * @param timings where the time went
 * @param propensity the probability of the action taken (the chosen candidate with its
 *     parameters) and the logging policy that took it
 * @since 0.1.0
 */
public record RouteDecision(
    List<RankedCandidate> ranking,
    Map<String, String> excluded,
    BundleInfo bundle,
    RouteTimings timings,
    Propensity propensity) {

  /**
   * Copies the collections and checks for nulls.
   *
   * @param ranking eligible candidates, best first; never empty
   * @param excluded candidate id to the reason it was excluded by the request's constraints
   * @param bundle the bundle that decided
   * @param timings where the time went
   * @param propensity the probability of the action taken and its logging policy
   * @throws IllegalArgumentException if the ranking is empty
   */
  public RouteDecision {
    ranking = List.copyOf(ranking);
    excluded = Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(propensity, "propensity");
    if (ranking.isEmpty()) {
      throw new IllegalArgumentException("a decision needs at least one ranked candidate");
    }
  }

  /**
   * A greedy decision (propensity 1) whose logging policy is named by the bundle.
   *
   * @param ranking eligible candidates, best first; never empty
   * @param excluded candidate id to the reason it was excluded by the request's constraints
   * @param bundle the bundle that decided
   * @param timings where the time went
   * @throws IllegalArgumentException if the ranking is empty
   */
  public RouteDecision(List<RankedCandidate> ranking, Map<String, String> excluded,
      BundleInfo bundle, RouteTimings timings) {
    this(ranking, excluded, bundle, timings, Propensity.greedy(bundle.toString()));
  }

  /**
   * The chosen entry: the first of the ranking.
   *
   * @return the chosen candidate with its probability and parameters
   */
  public RankedCandidate chosen() {
    return ranking.get(0);
  }

  /**
   * The chosen candidate.
   *
   * @return the candidate
   */
  public Candidate candidate() {
    return chosen().candidate();
  }

  /**
   * The chosen candidate's model id.
   *
   * @return the model id
   */
  public String model() {
    return chosen().model();
  }

  /**
   * The parameters generated for the chosen candidate.
   *
   * @return the parameters
   */
  public ParameterValues parameters() {
    return chosen().parameters();
  }

  /**
   * The ranked alternatives after the chosen one, best first, each with its own parameters.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<RankedCandidate> alternatives() {
    return ranking.subList(1, ranking.size());
  }

  /**
   * The probability of each eligible candidate, by model id, in rank order.
   *
   * @return an unmodifiable map
   */
  public Map<String, Double> probabilities() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (RankedCandidate r : ranking) {
      m.put(r.model(), r.probability());
    }
    return Collections.unmodifiableMap(m);
  }
}
