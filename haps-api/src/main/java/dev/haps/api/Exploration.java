package dev.haps.api;

import java.util.List;

/**
 * How a router departs from its greedy choice so that it keeps learning from live traffic: the
 * exploration policy of a contextual bandit, over (model, parameters) actions. Opt-in, per
 * router ({@code HapsRouter.builder().exploration(...)}) or per request ({@link
 * RouteRequest.Builder#exploration(Exploration)}, which wins).
 *
 * <p>An action is an eligible candidate with the parameters the low-level router generated for
 * it. The router's <em>utility</em> of an action is its logit times the bundle's temperature
 * (value heads: the predicted {@code score − λ·cost}, in reward units); exploration never
 * leaves the eligible candidates (allowed and denied models, the cost cap; the routing client
 * also removes candidates whose circuit is open). The decision's {@link RouteDecision#propensity()}
 * carries the probability with which the action taken was drawn.
 *
 * <ul>
 *   <li>{@link None}: always the greedy action (probability 1).
 *   <li>{@link EpsilonGreedy}: the greedy action with probability {@code 1 − ε}; with
 *       probability ε an action drawn uniformly from those whose utility is within {@code
 *       margin} of the best (all eligible actions when the margin is infinite).
 *   <li>{@link Softmax}: an action drawn with probability proportional to
 *       {@code exp(utility / temperature)}, mixed with a uniform floor so that every eligible
 *       action keeps at least {@code floor / A} probability.
 * </ul>
 *
 * @since 0.1.0
 */
public sealed interface Exploration
    permits Exploration.None, Exploration.EpsilonGreedy, Exploration.Softmax {

  /**
   * No exploration: the greedy action.
   *
   * @return the policy
   */
  static Exploration none() {
    return None.INSTANCE;
  }

  /**
   * Epsilon-greedy over every eligible action.
   *
   * @param epsilon the share of calls that explore, in [0, 1]
   * @return the policy
   */
  static Exploration epsilonGreedy(double epsilon) {
    return new EpsilonGreedy(epsilon, Double.POSITIVE_INFINITY);
  }

  /**
   * Epsilon-greedy among the actions whose utility is within {@code margin} of the best: the
   * exploration budget goes to configurations that could be on the cost/quality frontier.
   *
   * @param epsilon the share of calls that explore, in [0, 1]
   * @param margin the utility margin, at least 0 (reward units; infinite for every action)
   * @return the policy
   */
  static Exploration epsilonGreedy(double epsilon, double margin) {
    return new EpsilonGreedy(epsilon, margin);
  }

  /**
   * Softmax over utilities with a uniform floor.
   *
   * @param temperature the temperature, positive (reward units)
   * @param floor the share mixed in uniformly, in [0, 1]
   * @return the policy
   */
  static Exploration softmax(double temperature, double floor) {
    return new Softmax(temperature, floor);
  }

  /**
   * A short stable description, e.g. {@code epsilon-greedy(0.1)}, recorded in feedback logs.
   *
   * @return the description
   */
  String describe();

  /**
   * This policy's probability of each action of a greedy ranking: index 0 is the greedy
   * action. Off-policy evaluation uses it to score a candidate router that will serve with
   * exploration.
   *
   * @param ranking the greedy ranking (eligible candidates, best first, with the router's
   *     probabilities)
   * @param utilityScale the factor turning the bundle's logits into utilities (its τ)
   * @return one probability per ranked action, summing to 1
   */
  double[] probabilities(List<RankedCandidate> ranking, double utilityScale);

  /**
   * Utilities of a greedy ranking relative to its first action: {@code τ·ln(p_k / p_0)}, 0 for
   * the greedy action and at most 0 for the others ({@code -∞} where the router's probability
   * is 0).
   *
   * @param ranking the greedy ranking
   * @param utilityScale τ
   * @return the relative utilities
   */
  private static double[] relativeUtilities(List<RankedCandidate> ranking, double utilityScale) {
    int a = ranking.size();
    double[] u = new double[a];
    double p0 = ranking.get(0).probability();
    for (int i = 1; i < a; i++) {
      double p = ranking.get(i).probability();
      u[i] = p <= 0 || p0 <= 0 ? Double.NEGATIVE_INFINITY
          : Math.min(0, utilityScale * Math.log(p / p0));
    }
    return u;
  }

  /**
   * Always the greedy action.
   *
   * @since 0.1.0
   */
  enum None implements Exploration {
    /** The one instance. */
    INSTANCE;

    @Override
    public String describe() {
      return "none";
    }

    @Override
    public double[] probabilities(List<RankedCandidate> ranking, double utilityScale) {
      double[] pi = new double[ranking.size()];
      pi[0] = 1;
      return pi;
    }
  }

  /**
   * Epsilon-greedy, optionally among the actions within a utility margin of the best.
   *
   * @param epsilon the share of calls that explore, in [0, 1]
   * @param margin the utility margin, at least 0; infinite for every eligible action
   * @since 0.1.0
   */
  record EpsilonGreedy(double epsilon, double margin) implements Exploration {

    /**
     * Checks the ranges.
     *
     * @param epsilon the share of calls that explore, in [0, 1]
     * @param margin the utility margin, at least 0; infinite for every eligible action
     * @throws IllegalArgumentException if epsilon is outside [0, 1] or the margin is negative
     *     or NaN
     */
    public EpsilonGreedy {
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("exploration epsilon " + epsilon
            + " is outside [0, 1]; 0.05 to 0.2 are usual");
      }
      if (!(margin >= 0)) {
        throw new IllegalArgumentException("exploration margin " + margin
            + " must be at least 0 (reward units), or infinite for every action");
      }
    }

    @Override
    public String describe() {
      return Double.isInfinite(margin) ? "epsilon-greedy(" + epsilon + ")"
          : "epsilon-greedy(" + epsilon + ", margin " + margin + ")";
    }

    @Override
    public double[] probabilities(List<RankedCandidate> ranking, double utilityScale) {
      int a = ranking.size();
      double[] u = relativeUtilities(ranking, utilityScale);
      double[] pi = new double[a];
      int inside = 0;
      for (int i = 0; i < a; i++) {
        if (u[i] >= -margin) {
          inside++;
        }
      }
      for (int i = 0; i < a; i++) {
        if (u[i] >= -margin) {
          pi[i] = epsilon / inside;
        }
      }
      pi[0] += 1 - epsilon;
      return pi;
    }
  }

  /**
   * Softmax over the router's utilities, with a uniform floor.
   *
   * @param temperature the temperature, positive and finite (reward units)
   * @param floor the share mixed in uniformly, in [0, 1]
   * @since 0.1.0
   */
  record Softmax(double temperature, double floor) implements Exploration {

    /**
     * Checks the ranges.
     *
     * @param temperature the temperature, positive and finite (reward units)
     * @param floor the share mixed in uniformly, in [0, 1]
     * @throws IllegalArgumentException if the temperature is not positive and finite or the
     *     floor is outside [0, 1]
     */
    public Softmax {
      if (!(temperature > 0 && Double.isFinite(temperature))) {
        throw new IllegalArgumentException("softmax exploration temperature " + temperature
            + " must be positive and finite (reward units; 0.05 is a mild setting)");
      }
      if (!(floor >= 0 && floor <= 1)) {
        throw new IllegalArgumentException("softmax exploration floor " + floor
            + " is outside [0, 1]");
      }
    }

    @Override
    public String describe() {
      return "softmax(" + temperature + ", floor " + floor + ")";
    }

    @Override
    public double[] probabilities(List<RankedCandidate> ranking, double utilityScale) {
      int a = ranking.size();
      double[] u = relativeUtilities(ranking, utilityScale);
      double[] pi = new double[a];
      double z = 0;
      for (int i = 0; i < a; i++) {
        pi[i] = Double.isInfinite(u[i]) ? 0 : Math.exp(u[i] / temperature);
        z += pi[i];
      }
      for (int i = 0; i < a; i++) {
        pi[i] = (1 - floor) * pi[i] / z + floor / a;
      }
      return pi;
    }
  }
}
