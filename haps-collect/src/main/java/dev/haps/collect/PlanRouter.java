package dev.haps.collect;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.RouteTimings;
import dev.haps.api.Router;
import dev.haps.api.params.ParameterSpace;
import dev.haps.data.Configuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The candidates of a collection, presented to the routing client as a router so that it maps
 * them to providers and checks every parameter up front. It makes no decisions: the collector
 * calls each configuration with {@code RoutingClient.call(request, decision)} and the
 * {@link #decision} built here.
 */
final class PlanRouter implements Router {

  private static final RouteTimings NO_TIME = new RouteTimings(0, 0, 0, false);

  private final BundleInfo bundle;
  private final List<Candidate> candidates;
  private final Map<String, ParameterSpace> spaces;

  PlanRouter(String name, List<Candidate> candidates, Map<String, ParameterSpace> spaces) {
    this.bundle = new BundleInfo(name, "collect");
    this.candidates = List.copyOf(candidates);
    this.spaces = new LinkedHashMap<>(spaces);
  }

  static PlanRouter of(String benchmark, Plan plan) {
    List<Candidate> cs = new ArrayList<>();
    Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
    for (Plan.Candidate c : plan.candidates) {
      cs.add(Candidate.of(c.providerId(), c.id()));
      spaces.put(c.id(), c.space());
    }
    return new PlanRouter("collect-" + benchmark, cs, spaces);
  }

  /** The decision that runs exactly one configuration. */
  RouteDecision decision(String providerId, Configuration c) {
    return new RouteDecision(List.of(new RankedCandidate(Candidate.of(providerId, c.model()), 1.0,
        c.params(), Double.NaN)), Map.of(), bundle, NO_TIME);
  }

  @Override
  public RouteDecision route(RouteRequest request) {
    throw new UnsupportedOperationException("the collection's candidate list makes no routing"
        + " decisions; the collector calls each configuration with an explicit decision");
  }

  @Override
  public List<RouteDecision> route(List<RouteRequest> requests) {
    throw new UnsupportedOperationException("the collection's candidate list makes no routing"
        + " decisions");
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        "the collection's candidate list makes no routing decisions"));
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor) {
    return routeAsync(request);
  }

  @Override
  public BundleInfo bundle() {
    return bundle;
  }

  @Override
  public List<Candidate> candidates() {
    return candidates;
  }

  @Override
  public Optional<ParameterSpace> parameterSpace(String model) {
    return Optional.ofNullable(spaces.get(model));
  }

  @Override
  public void close() {
    // Nothing held.
  }
}
