package dev.haps.eval.routing;

/**
 * Anything the evaluation can sweep: a HAPS bundle, a baseline, an oracle. The evaluation asks
 * it for a decision on every query of the evaluated {@link OutcomeTable}, at every cost weight of
 * the grid, and scores each decision with the recorded outcome.
 *
 * <p>A router sees a query only by its index in the evaluated table; it must not read the
 * table's scores or costs, except the oracle, whose job is exactly that.
 *
 * @since 0.1.0
 */
public interface EvalRouter {

  /**
   * The name shown in the report, e.g. {@code haps} or {@code knn}.
   *
   * @return the name
   */
  String name();

  /**
   * How the router was built, shown in the report (for a baseline: its tuned hyper-parameters).
   *
   * @return a short description; empty by default
   */
  default String description() {
    return "";
  }

  /**
   * Decides for one query.
   *
   * @param query the query's index in the evaluated table
   * @param costWeight the cost weight in [0, 1]
   * @return the decision
   */
  Decision decide(int query, double costWeight);

  /**
   * Decides for several queries at one cost weight. The default calls {@link #decide(int,
   * double)} for each; routers with a batched forward pass override it.
   *
   * @param queries query indices in the evaluated table
   * @param costWeight the cost weight in [0, 1]
   * @return one decision per query, in order
   */
  default Decision[] decideAll(int[] queries, double costWeight) {
    Decision[] out = new Decision[queries.length];
    for (int i = 0; i < queries.length; i++) {
      out[i] = decide(queries[i], costWeight);
    }
    return out;
  }
}
