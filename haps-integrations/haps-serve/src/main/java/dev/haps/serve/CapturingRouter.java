package dev.haps.serve;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.params.ParameterSpace;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The server's router as the routing client sees it: every call goes to the real router, and a
 * single-request decision is also handed to the exchange bound to the calling thread, so that
 * streamed responses can carry it in their headers. Closing it does nothing: the server owns the
 * real router.
 */
final class CapturingRouter implements Router {

  private final Router delegate;

  CapturingRouter(Router delegate) {
    this.delegate = delegate;
  }

  @Override
  public RouteDecision route(RouteRequest request) {
    RouteDecision d = delegate.route(request);
    ServeExchange x = ServeExchange.current();
    if (x != null) {
      x.decision = d;
    }
    return d;
  }

  @Override
  public List<RouteDecision> route(List<RouteRequest> requests) {
    return delegate.route(requests);
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request) {
    return delegate.routeAsync(request);
  }

  @Override
  public CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor) {
    return delegate.routeAsync(request, executor);
  }

  @Override
  public BundleInfo bundle() {
    return delegate.bundle();
  }

  @Override
  public List<Candidate> candidates() {
    return delegate.candidates();
  }

  @Override
  public Optional<ParameterSpace> parameterSpace(String model) {
    return delegate.parameterSpace(model);
  }

  @Override
  public void close() {
    // The server closes the real router after the client.
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
