package dev.haps.client;

import java.util.Objects;

/**
 * Where a {@link RoutingClient} sends a bundle candidate, as it was configured: the provider
 * instance and the model name that backend knows. From {@link RoutingClient#target(String)}.
 *
 * @param providerId the provider instance id, e.g. {@code "local"}
 * @param backendModel the backend's model name (the candidate's own name unless mapped to
 *     another)
 * @since 0.1.0
 */
public record CandidateTarget(String providerId, String backendModel) {

  /**
   * Checks both names.
   *
   * @throws NullPointerException if either is null
   */
  public CandidateTarget {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(backendModel, "backendModel");
  }
}
