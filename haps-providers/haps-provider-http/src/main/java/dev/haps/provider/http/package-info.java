/**
 * Shared plumbing of HAPS's HTTP provider plugins ({@code haps-provider-openai},
 * {@code haps-provider-anthropic}): a JDK {@link java.net.http.HttpClient} transport whose deadline
 * covers the whole call (headers and body), a server-sent-events reader, the one place where HTTP
 * statuses and I/O failures become classified {@link dev.haps.api.error.ProviderException}s, the
 * {@link dev.haps.provider.http.ApiKey} that never shows itself, price tables, and the endpoint
 * settings every HTTP provider reads.
 *
 * <p>This package supports provider plugins; it is not an application API and may change between
 * minor versions. Nothing in it accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.provider.http;
