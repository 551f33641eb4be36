package dev.haps.api.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's constraints (allowed and denied models, maximum cost per call) left no candidate
 * to route to. The message and {@link #reasons()} say why each candidate was excluded.
 *
 * @since 0.1.0
 */
public class NoEligibleCandidateException extends InvalidRequestException {

  private final Map<String, String> reasons;

  /**
   * Creates the exception.
   *
   * @param reasons candidate id to the reason it was excluded, in bundle order
   */
  public NoEligibleCandidateException(Map<String, String> reasons) {
    super(buildMessage(reasons));
    this.reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  /**
   * Why each candidate was excluded.
   *
   * @return candidate id to reason, in bundle order; unmodifiable
   */
  public Map<String, String> reasons() {
    return reasons;
  }

  private static String buildMessage(Map<String, String> reasons) {
    StringBuilder sb =
        new StringBuilder("no candidate model is eligible for this request; excluded: ");
    boolean first = true;
    for (Map.Entry<String, String> e : reasons.entrySet()) {
      if (!first) {
        sb.append("; ");
      }
      first = false;
      sb.append(e.getKey()).append(" (").append(e.getValue()).append(')');
    }
    sb.append(". Relax the request's allow(...)/deny(...) lists or raise maxCostPerCallUsd.");
    return sb.toString();
  }
}
