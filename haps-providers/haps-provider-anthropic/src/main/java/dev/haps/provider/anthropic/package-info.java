/**
 * The {@code anthropic} provider: Anthropic's Messages API ({@code POST <baseUrl>/v1/messages}).
 * {@link dev.haps.provider.anthropic.AnthropicProviderFactory} is listed in
 * {@code META-INF/services}; the settings and parameters are documented there and in
 * {@code docs/providers.md}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.provider.anthropic;
