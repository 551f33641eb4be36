/**
 * The replay backend: an in-process {@link dev.haps.spi.LlmProvider} that answers from an outcome
 * log instead of calling a model. It needs no network and no key, ships the BSD-licensed
 * {@code concise-cot} log as its default data, and is the SDK's embedded default for the quick
 * start, demos and offline evaluation.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.provider.replay;
