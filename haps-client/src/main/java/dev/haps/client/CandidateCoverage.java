package dev.haps.client;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.Router;
import dev.haps.api.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks, when an application maps its own models to a router bundle's candidates, that every
 * mapped model is a candidate the bundle was trained with. A router has never seen a model that is
 * not among its candidates, so it cannot route to it: such a mapping fails the build with the way
 * forward instead of being routed blindly. Bundle candidates the application leaves unmapped are
 * returned, to be denied on every request (the router then never chooses them).
 *
 * <pre>{@code
 * Set<String> unmapped = CandidateCoverage.check(router, models.keySet(), "HapsChatModel");
 * RouteRequest r = request.toBuilder().deny(unmapped).build();
 * }</pre>
 *
 * <p>Used by the framework adapters (LangChain4j, Spring AI); stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class CandidateCoverage {

  private CandidateCoverage() {}

  /**
   * Checks a mapping of candidate ids to the application's models against the router's bundle.
   *
   * @param router the router
   * @param mapped the candidate ids the application maps a model to
   * @param owner who maps them, for messages (e.g. {@code "HapsChatModel"})
   * @return the bundle's candidates that are not mapped, in bundle order, unmodifiable
   * @throws ConfigurationException if nothing is mapped, or a mapped id is not a candidate of the
   *     bundle (the message lists the bundle's candidates and what to do)
   */
  public static Set<String> check(Router router, Collection<String> mapped, String owner) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(mapped, "mapped");
    Objects.requireNonNull(owner, "owner");
    BundleInfo bundle = router.bundle();
    List<String> candidates = new ArrayList<>();
    for (Candidate c : router.candidates()) {
      candidates.add(c.model());
    }
    if (mapped.isEmpty()) {
      throw new ConfigurationException(owner + " has no model: map at least one of the bundle "
          + bundle + "'s candidates " + candidates + " to one of your models");
    }
    List<String> uncovered = new ArrayList<>();
    for (String id : mapped) {
      if (!candidates.contains(id)) {
        uncovered.add(id);
      }
    }
    if (!uncovered.isEmpty()) {
      throw new ConfigurationException(owner + ": " + uncovered + (uncovered.size() == 1
          ? " is not a candidate" : " are not candidates") + " of the router bundle " + bundle
          + ", whose candidates are " + candidates + ". A router can only route to models it"
          + " was trained with. Either map each of your models to the bundle candidate it stands"
          + " for (the same or a like model, under the candidate's id), or collect outcomes with"
          + " your models (the outcome-log format, docs/training.md) and train a bundle that"
          + " includes them (haps train); starting cold, with exploration that learns from"
          + " feedback, is the learning loop's job and not available in this version");
    }
    Set<String> unmapped = new LinkedHashSet<>();
    for (String c : candidates) {
      if (!mapped.contains(c)) {
        unmapped.add(c);
      }
    }
    return Collections.unmodifiableSet(unmapped);
  }
}
