package dev.haps.client;

import dev.haps.api.Router;
import dev.haps.spi.LlmProvider;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The candidate plan of the router's current bundle: built and checked at start-up, rebuilt
 * (and checked) once on the first call after the router swapped bundles. Thread-safe.
 */
final class CurrentPlan {

  private final Router router;
  private final Map<String, LlmProvider> providers;
  private final Map<String, CandidatePlan.Mapping> mappings;
  private final CandidatePlan.Transformers transformers;
  private final AtomicReference<CandidatePlan> plan = new AtomicReference<>();

  /**
   * Builds the first plan.
   *
   * @throws dev.haps.api.error.ConfigurationException if the bundle cannot be served
   */
  CurrentPlan(Router router, Map<String, LlmProvider> providers,
      Map<String, CandidatePlan.Mapping> mappings, CandidatePlan.Transformers transformers) {
    this.router = router;
    this.providers = providers;
    this.mappings = mappings;
    this.transformers = transformers;
    plan.set(CandidatePlan.build(router, providers, mappings, transformers));
  }

  /**
   * The plan for the router's current bundle.
   *
   * @throws dev.haps.api.error.ConfigurationException if a swapped-in bundle cannot be served
   */
  CandidatePlan get() {
    CandidatePlan p = plan.get();
    if (p.bundle().equals(router.bundle())) {
      return p;
    }
    synchronized (plan) {
      p = plan.get();
      if (!p.bundle().equals(router.bundle())) {
        p = CandidatePlan.build(router, providers, mappings, transformers);
        plan.set(p);
      }
      return p;
    }
  }
}
