/**
 * {@link dev.haps.client.RoutingClient}: calls the routed provider with retries, fallback,
 * circuit breakers and a deadline, and records feedback. Providers are found through {@link
 * dev.haps.spi.ProviderRegistry} (the {@code uses} clause is in {@code dev.haps.api}).
 */
module dev.haps.client {
  requires transitive dev.haps.api;
  requires transitive dev.haps.runtime;
  requires dev.haps.data;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports dev.haps.client;
}
