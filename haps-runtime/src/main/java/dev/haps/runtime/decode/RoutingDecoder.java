package dev.haps.runtime.decode;

import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.NoEligibleCandidateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Turns one row of the router network's raw outputs into a {@link Ranking}: masks the candidates
 * the request excludes, softmaxes the remaining logits, ranks them, and decodes each ranked
 * candidate's parameters with {@link ParameterDecoder}.
 *
 * <p>Masking, in this order: a candidate in {@link RouteRequest#deniedModels()}; a candidate not
 * in a non-empty {@link RouteRequest#allowedModels()}; a candidate whose expected cost exceeds
 * {@link RouteRequest#maxCostPerCallUsd()}. The expected cost is the network's
 * {@code expected_cost} output when the bundle has one and its value is finite and at least 0,
 * otherwise the manifest's {@code meanCostUsd} (NaN when the bundle states no cost; with a
 * {@code maxCostPerCallUsd} such a candidate is excluded, since its cost cannot be checked).
 *
 * <p>Logits: NaN counts as {@code -1e4}, and every logit is clamped to {@code [-1e4, 1e4]}
 * before the softmax (computed in double, shifted by the maximum), so probabilities are always
 * finite, in [0, 1], and sum to 1 over the eligible candidates. Ties in probability keep bundle
 * order.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RoutingDecoder {

  private static final double LOGIT_BOUND = 1e4;

  private final List<CandidateHead> heads;

  /**
   * Creates a decoder for a bundle's candidates.
   *
   * @param heads the candidates in bundle order; {@code heads.get(k).index() == k}
   * @throws IllegalArgumentException if the list is empty or indexes are out of order
   */
  public RoutingDecoder(List<CandidateHead> heads) {
    this.heads = List.copyOf(heads);
    if (this.heads.isEmpty()) {
      throw new IllegalArgumentException("a routing decoder needs at least one candidate");
    }
    for (int k = 0; k < this.heads.size(); k++) {
      if (this.heads.get(k).index() != k) {
        throw new IllegalArgumentException("candidate " + this.heads.get(k).model() + " has"
            + " index " + this.heads.get(k).index() + " at position " + k);
      }
    }
  }

  /**
   * The candidates, in bundle order.
   *
   * @return an unmodifiable list
   */
  public List<CandidateHead> heads() {
    return heads;
  }

  /**
   * Decodes one row.
   *
   * @param logits row-major {@code [N, K]} model logits
   * @param params per candidate k, the row-major {@code [N, outputWidth]} values of its output
   *     ({@link CandidateHead#output()}; candidates sharing an output may share the array), an
   *     empty array where {@code P_k == 0}
   * @param expectedCost row-major {@code [N, K]} expected costs, or an empty array when the
   *     bundle has no {@code expected_cost} output
   * @param row the row to decode
   * @param request the request whose constraints apply
   * @return the ranking
   * @throws NoEligibleCandidateException if the request excludes every candidate, with each
   *     candidate's reason
   */
  public Ranking decode(
      float[] logits, float[][] params, float[] expectedCost, int row, RouteRequest request) {
    int k = heads.size();
    Set<String> denied = request.deniedModels();
    Set<String> allowed = request.allowedModels();
    OptionalDouble maxCost = request.maxCostPerCallUsd();
    double[] cost = new double[k];
    boolean[] eligible = new boolean[k];
    Map<String, String> excluded = new LinkedHashMap<>();
    int eligibleCount = 0;
    for (int i = 0; i < k; i++) {
      CandidateHead h = heads.get(i);
      cost[i] = expectedCost(h, expectedCost, row * k + i);
      String reason = null;
      if (!denied.isEmpty() && denied.contains(h.model())) {
        reason = "denied by the request";
      } else if (!allowed.isEmpty() && !allowed.contains(h.model())) {
        reason = "not in the request's allow list " + allowed;
      } else if (maxCost.isPresent() && Double.isNaN(cost[i])) {
        reason = "the bundle states no cost for it (trained on data without costs), so"
            + " maxCostPerCallUsd cannot be checked";
      } else if (maxCost.isPresent() && cost[i] > maxCost.getAsDouble()) {
        reason = String.format(Locale.ROOT, "expected cost %.6g USD exceeds maxCostPerCallUsd"
            + " %.6g", cost[i], maxCost.getAsDouble());
      }
      if (reason == null) {
        eligible[i] = true;
        eligibleCount++;
      } else {
        excluded.put(h.model(), reason);
      }
    }
    if (eligibleCount == 0) {
      throw new NoEligibleCandidateException(excluded);
    }
    double max = Double.NEGATIVE_INFINITY;
    double[] z = new double[k];
    for (int i = 0; i < k; i++) {
      if (eligible[i]) {
        float v = logits[row * k + i];
        z[i] = Float.isNaN(v) ? -LOGIT_BOUND : Math.max(-LOGIT_BOUND, Math.min(LOGIT_BOUND, v));
        max = Math.max(max, z[i]);
      }
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      if (eligible[i]) {
        z[i] = Math.exp(z[i] - max);
        sum += z[i];
      }
    }
    // Rank eligible candidates by probability, stable on bundle order (insertion sort: K is small).
    int[] order = new int[eligibleCount];
    int n = 0;
    for (int i = 0; i < k; i++) {
      if (eligible[i]) {
        int j = n++;
        while (j > 0 && z[order[j - 1]] < z[i]) {
          order[j] = order[j - 1];
          j--;
        }
        order[j] = i;
      }
    }
    List<RankedCandidate> ranking = new ArrayList<>(eligibleCount);
    for (int idx : order) {
      CandidateHead h = heads.get(idx);
      double p = Math.min(1.0, z[idx] / sum);
      ranking.add(new RankedCandidate(h.candidate(), p,
          ParameterDecoder.decode(h, params[idx],
              row * h.outputWidth() + h.outputOffset()), cost[idx]));
    }
    return new Ranking(ranking, excluded);
  }

  private static double expectedCost(CandidateHead h, float[] expectedCost, int at) {
    if (expectedCost.length > 0) {
      float c = expectedCost[at];
      if (c >= 0 && Float.isFinite(c)) {
        return c;
      }
    }
    return h.meanCostUsd();
  }
}
