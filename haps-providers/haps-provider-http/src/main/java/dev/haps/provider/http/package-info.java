/**
 * The supported base of JSON-over-HTTP provider plugins, shared by {@code haps-provider-openai},
 * {@code haps-provider-anthropic} and {@code haps-provider-gemini}: the
 * {@link dev.haps.provider.http.HttpLlmProvider} skeleton (start there), a JDK
 * {@link java.net.http.HttpClient} transport whose deadline covers the whole call (headers and
 * body), a server-sent-events reader, the one place where HTTP statuses and I/O failures become
 * classified {@link dev.haps.api.error.ProviderException}s, the
 * {@link dev.haps.provider.http.ApiKey} that never shows itself, and the endpoint settings every
 * HTTP provider reads.
 *
 * <p>Plugin authors may depend on this package; it changes only with a deprecation first.
 * Applications do not use it directly. Nothing in it accepts or returns {@code null} unless its
 * documentation says so.
 */
package dev.haps.provider.http;
