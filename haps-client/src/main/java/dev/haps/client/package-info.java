/**
 * The routing client: route a request with a {@link dev.haps.api.Router}, call the chosen
 * candidate's provider with the generated parameters, retry transient failures with backoff that
 * honours {@code Retry-After}, fall back to the next ranked candidate with its own parameters,
 * keep a circuit breaker per provider instance, and bound every call by a deadline. Each result
 * names the model, parameters, provider, tokens, cost, latency and every attempt made; feedback
 * on a result is appended to an outcome log so that production traffic can retrain the router.
 *
 * <p>Start with {@link dev.haps.client.RoutingClient#builder()} or
 * {@link dev.haps.client.RoutingClient#fromConfig(java.nio.file.Path)}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.client;
