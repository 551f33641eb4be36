package dev.haps.runtime;

import dev.haps.api.Exploration;
import dev.haps.api.Propensity;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies an {@link Exploration} policy to a greedy decision: draws the action (an eligible
 * candidate with its generated parameters), moves it to the front of the ranking, and records
 * the probability it was drawn with. Utilities are the logits times the bundle's temperature,
 * recovered from the ranking's probabilities ({@code u_k − u_best = τ·ln(p_k / p_best)}), so
 * the decision cache keeps serving greedy rankings and exploration stays outside the decoder.
 *
 * <p>Draws come from a counter-based generator ({@code splitmix64(seed + n·γ)}): thread-safe
 * without locks, and reproducible from the seed for a given order of calls.
 */
final class Explorer {

  private static final long GAMMA = 0x9E3779B97F4A7C15L;

  private final Exploration exploration;
  private final String described;
  private final long seed;
  private final AtomicLong draws = new AtomicLong();
  /** The greedy propensity of the last bundle seen: every route of a bundle shares it. */
  private volatile Propensity greedy;

  Explorer(Exploration exploration, long seed) {
    this.exploration = exploration;
    this.described = exploration.describe();
    this.seed = seed;
  }

  /**
   * The decision to serve: the greedy one, or an explored one.
   *
   * @param ranking the greedy ranking (eligible candidates, best first)
   * @param request the request (its own exploration wins)
   * @param utilityScale τ of the bundle: utility = logit × τ
   * @param policyId the bundle's router SHA-256
   * @return the chosen ranking (chosen first) and its propensity
   */
  Chosen choose(List<RankedCandidate> ranking, RouteRequest request, double utilityScale,
      String policyId) {
    Exploration e = request.exploration().orElse(exploration);
    if (e == Exploration.none()) {
      // Every route goes through here, cache hits included: no draw, no allocation but the
      // result.
      return new Chosen(ranking, greedy(policyId));
    }
    int a = ranking.size();
    double[] pi = e.probabilities(ranking, utilityScale);
    int pick = 0;
    if (a > 1 && pi[0] < 1) {
      double r = uniform();
      double acc = 0;
      pick = a - 1;
      for (int i = 0; i < a; i++) {
        acc += pi[i];
        if (r < acc && pi[i] > 0) {
          pick = i;
          break;
        }
      }
      while (pi[pick] <= 0) {
        pick--;
      }
    }
    List<RankedCandidate> out = ranking;
    if (pick != 0) {
      out = new ArrayList<>(a);
      out.add(ranking.get(pick));
      for (int i = 0; i < a; i++) {
        if (i != pick) {
          out.add(ranking.get(i));
        }
      }
    }
    return new Chosen(out, new Propensity(Math.min(1.0, pi[pick]), policyId,
        e == exploration ? described : e.describe(), pick != 0));
  }

  private Propensity greedy(String policyId) {
    Propensity g = greedy;
    if (g == null || !g.policyId().equals(policyId)) {
      g = new Propensity(1.0, policyId, Exploration.none().describe(), false);
      greedy = g;
    }
    return g;
  }

  /** A ranking with the drawn action first, and the probability it was drawn with. */
  record Chosen(List<RankedCandidate> ranking, Propensity propensity) {}

  private double uniform() {
    long z = seed + draws.getAndIncrement() * GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
