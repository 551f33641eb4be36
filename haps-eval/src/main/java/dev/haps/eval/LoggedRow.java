package dev.haps.eval;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.LoggedAction;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import java.util.ArrayList;
import java.util.List;

/** One bandit row of a feedback log: the action a call took, its outcome and propensity. */
record LoggedRow(String id, Split split, String text, String model, ParameterValues params,
    double score, double costUsd, double propensity, double costWeight, String policy) {

  /** The bandit rows of a log (one logged outcome, answered by the routed action). */
  static List<LoggedRow> of(OutcomeLog log) {
    List<LoggedRow> out = new ArrayList<>();
    for (QueryRecord q : log.records()) {
      if (q.outcomes().size() != 1 || q.outcomes().get(0).logged().isEmpty()) {
        continue;
      }
      Outcome o = q.outcomes().get(0);
      LoggedAction a = o.logged().get();
      if (a.fellBack()) {
        continue;
      }
      out.add(new LoggedRow(q.id(), q.split(), q.query(), o.model(), o.params(), o.score(),
          Double.isNaN(o.costUsd()) ? 0 : o.costUsd(), a.propensity(), a.costWeight(),
          a.policy()));
    }
    return out;
  }
}
