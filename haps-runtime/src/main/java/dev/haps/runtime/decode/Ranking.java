package dev.haps.runtime.decode;

import dev.haps.api.RankedCandidate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded result for one request: eligible candidates best first, each with its parameters,
 * and the reason each other candidate was excluded.
 *
 * @param ranking eligible candidates, best first; never empty
 * @param excluded candidate model id to exclusion reason, in bundle order
 * @since 0.1.0
 */
public record Ranking(List<RankedCandidate> ranking, Map<String, String> excluded) {

  /** Copies the collections. */
  public Ranking {
    ranking = List.copyOf(ranking);
    excluded = Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
  }
}
