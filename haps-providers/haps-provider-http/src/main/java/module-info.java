/**
 * The shared base of the JSON-over-HTTP provider plugins: transport, status-to-error mapping,
 * SSE, API keys. Exported for plugin authors who extend {@link
 * dev.haps.provider.http.HttpLlmProvider}.
 */
module dev.haps.provider.http {
  requires transitive dev.haps.api;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.net.http;
  requires org.slf4j;

  exports dev.haps.provider.http;
}
