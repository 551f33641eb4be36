/**
 * Small runnable programs to copy from, each with a {@code main} and each exercised by a test:
 * {@link dev.haps.examples.QuickStart} (route and call offline), {@link
 * dev.haps.examples.CustomProviderPlugin} (a provider found through {@code META-INF/services}),
 * {@link dev.haps.examples.TrainFromLogs} (train a bundle and route with it) and {@link
 * dev.haps.examples.OpenAiCompatible} (a real endpoint from environment variables).
 *
 * @since 0.1.0
 */
package dev.haps.examples;
