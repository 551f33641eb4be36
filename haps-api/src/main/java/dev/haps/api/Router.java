package dev.haps.api;

import dev.haps.api.params.ParameterSpace;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Chooses, for each request, the candidate LLM and that LLM's parameters.
 *
 * <p>Implementations are thread-safe: share one router across all request threads. A router owns
 * native resources (ONNX Runtime sessions); close it when the application stops. Closing is
 * idempotent.
 *
 * @since 0.1.0
 */
public interface Router extends AutoCloseable {

  /**
   * Routes one request.
   *
   * @param request the request
   * @return the decision
   * @throws dev.haps.api.error.NoEligibleCandidateException if the constraints exclude every
   *     candidate
   * @throws IllegalStateException if the router is closed
   */
  RouteDecision route(RouteRequest request);

  /**
   * Routes several requests at once. Each decision is the one {@link #route(RouteRequest)} would
   * give for that request alone: it never depends on the other requests in the batch.
   *
   * @param requests the requests
   * @return one decision per request, in order
   * @throws dev.haps.api.error.NoEligibleCandidateException if any request's constraints exclude
   *     every candidate
   */
  List<RouteDecision> route(List<RouteRequest> requests);

  /**
   * Routes one request on the router's default executor.
   *
   * @param request the request
   * @return the decision, completed exceptionally on failure
   */
  CompletableFuture<RouteDecision> routeAsync(RouteRequest request);

  /**
   * Routes one request on the given executor.
   *
   * @param request the request
   * @param executor where to run the routing work
   * @return the decision, completed exceptionally on failure
   */
  CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor);

  /**
   * The bundle currently routing.
   *
   * @return the bundle's identity
   */
  BundleInfo bundle();

  /**
   * The candidates of the current bundle, in bundle order.
   *
   * @return an unmodifiable list
   */
  List<Candidate> candidates();

  /**
   * The parameter space the current bundle declares for one candidate: everything the low-level
   * router may generate for it. Callers that execute decisions (such as the routing client) use
   * it to check at start-up that every parameter can be applied. The default returns empty,
   * meaning "not declared up front"; routers that know their spaces override it.
   *
   * @param model a candidate's model id
   * @return the space, if this router declares it for that candidate
   * @since 0.1.0
   */
  default Optional<ParameterSpace> parameterSpace(String model) {
    return Optional.empty();
  }

  /** Releases native resources; idempotent. Requests in flight finish first. */
  @Override
  void close();
}
