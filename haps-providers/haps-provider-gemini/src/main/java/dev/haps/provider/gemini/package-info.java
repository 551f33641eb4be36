/**
 * The {@code gemini} provider: the Gemini API's {@code generateContent} and
 * {@code streamGenerateContent} wire protocol. {@link
 * dev.haps.provider.gemini.GeminiProviderFactory} is listed in {@code META-INF/services}; the
 * settings and parameters are documented there and in {@code docs/providers.md}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.provider.gemini;
