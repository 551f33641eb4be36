package dev.haps.it;

import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.runtime.RouterBundle;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a decision against the bundle that made it: every ranked candidate is a bundle
 * candidate, its parameters lie inside its declared space (every spec present, every value
 * valid), probabilities form a distribution in rank order, and the request's constraints hold.
 * Throws {@link AssertionError} naming what broke.
 */
final class Decisions {

  private Decisions() {}

  static void assertInside(RouterBundle bundle, RouteDecision d, RouteRequest request) {
    if (!d.bundle().equals(bundle.info())) {
      throw new AssertionError("decision names bundle " + d.bundle() + " but came from "
          + bundle.info());
    }
    List<RankedCandidate> ranking = d.ranking();
    if (ranking.isEmpty()) {
      throw new AssertionError("empty ranking");
    }
    Set<String> seen = new HashSet<>();
    double sum = 0;
    double previous = Double.POSITIVE_INFINITY;
    for (RankedCandidate r : ranking) {
      String model = r.model();
      if (!seen.add(model)) {
        throw new AssertionError("candidate " + model + " ranked twice");
      }
      ParameterSpace space = bundle.parameterSpace(model).orElseThrow(() ->
          new AssertionError("ranked model " + model + " is not a bundle candidate"));
      double p = r.probability();
      if (!(p >= 0 && p <= 1) || p > previous) {
        throw new AssertionError("probability " + p + " of " + model + " out of [0, 1] or out"
            + " of rank order (previous " + previous + ")");
      }
      previous = p;
      sum += p;
      if (!(r.expectedCostUsd() >= 0) || !Double.isFinite(r.expectedCostUsd())) {
        throw new AssertionError("expected cost " + r.expectedCostUsd() + " of " + model);
      }
      if (request.deniedModels().contains(model)) {
        throw new AssertionError("denied model " + model + " was ranked");
      }
      if (!request.allowedModels().isEmpty() && !request.allowedModels().contains(model)) {
        throw new AssertionError("model " + model + " outside allowedModels was ranked");
      }
      if (request.maxCostPerCallUsd().isPresent()
          && r.expectedCostUsd() > request.maxCostPerCallUsd().getAsDouble()) {
        throw new AssertionError("model " + model + " costs " + r.expectedCostUsd()
            + " > maxCostPerCallUsd");
      }
      if (!r.parameters().names().equals(new HashSet<>(specNames(space)))) {
        throw new AssertionError("parameters " + r.parameters().names() + " of " + model
            + " do not match its space " + specNames(space));
      }
      space.validate(r.parameters()); // InvalidParameterException if outside
      for (ParameterSpec s : space.specs()) {
        s.validate(r.parameters().get(s.name()).orElseThrow());
      }
    }
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new AssertionError("probabilities sum to " + sum);
    }
    Set<String> all = new HashSet<>(seen);
    for (String excluded : d.excluded().keySet()) {
      if (!all.add(excluded)) {
        throw new AssertionError("model " + excluded + " both ranked and excluded");
      }
    }
    if (all.size() != bundle.candidates().size()) {
      throw new AssertionError("ranked + excluded = " + all.size() + " models; the bundle has "
          + bundle.candidates().size());
    }
  }

  private static List<String> specNames(ParameterSpace space) {
    return space.specs().stream().map(ParameterSpec::name).toList();
  }

  /** The decision without timings, for equality across runs, batches and swaps. */
  static String fingerprint(RouteDecision d) {
    StringBuilder sb = new StringBuilder(d.bundle().toString()).append('|');
    for (RankedCandidate r : d.ranking()) {
      sb.append(r.model()).append(':').append(Double.doubleToLongBits(r.probability()))
          .append(':').append(r.parameters()).append(':')
          .append(Double.doubleToLongBits(r.expectedCostUsd())).append(';');
    }
    return sb.append(d.excluded()).toString();
  }
}
