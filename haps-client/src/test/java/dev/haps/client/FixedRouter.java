package dev.haps.client;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.RouteTimings;
import dev.haps.api.Router;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A router for the client's own tests: a fixed ranking (each entry with its own parameters) that
 * honours the request's allow and deny sets like a real router, and optionally declared spaces.
 * It records every request it routed.
 */
final class FixedRouter implements Router {

  private final List<RankedCandidate> ranking = new ArrayList<>();
  private final Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
  final List<RouteRequest> routed = new CopyOnWriteArrayList<>();
  private BundleInfo bundle = new BundleInfo("fixed", "1");

  /** Adds the next ranked candidate. */
  FixedRouter rank(String model, double p, ParameterValues params) {
    ranking.add(new RankedCandidate(Candidate.of("openai", model), p, params, 0.001));
    return this;
  }

  /** Declares a candidate's space, as a bundle would. */
  FixedRouter space(String model, ParameterSpace space) {
    spaces.put(model, space);
    return this;
  }

  FixedRouter bundle(String version) {
    this.bundle = new BundleInfo("fixed", version);
    return this;
  }

  @Override
  public RouteDecision route(RouteRequest request) {
    routed.add(request);
    List<RankedCandidate> eligible = new ArrayList<>();
    Map<String, String> excluded = new LinkedHashMap<>();
    for (RankedCandidate r : ranking) {
      if (request.deniedModels().contains(r.model())) {
        excluded.put(r.model(), "denied");
      } else if (!request.allowedModels().isEmpty()
          && !request.allowedModels().contains(r.model())) {
        excluded.put(r.model(), "not allowed");
      } else {
        eligible.add(r);
      }
    }
    if (eligible.isEmpty()) {
      throw new NoEligibleCandidateException(excluded);
    }
    return new RouteDecision(eligible, excluded, bundle, new RouteTimings(0, 0, 0, false));
  }

  @Override
  public List<RouteDecision> route(List<RouteRequest> requests) {
    List<RouteDecision> out = new ArrayList<>();
    requests.forEach(r -> out.add(route(r)));
    return out;
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request) {
    return CompletableFuture.completedFuture(route(request));
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor) {
    return CompletableFuture.supplyAsync(() -> route(request), executor);
  }

  @Override
  public BundleInfo bundle() {
    return bundle;
  }

  @Override
  public List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    ranking.forEach(r -> out.add(r.candidate()));
    return out;
  }

  @Override
  public Optional<ParameterSpace> parameterSpace(String model) {
    return Optional.ofNullable(spaces.get(model));
  }

  volatile boolean closed;

  @Override
  public void close() {
    closed = true;
  }
}
