/**
 * Query encoders: text to the embedding a router bundle was trained on. {@link
 * dev.haps.spi.QueryEncoder} is the contract, {@link
 * dev.haps.runtime.encoder.OnnxQueryEncoder} the ONNX Runtime implementation (all-MiniLM-L6-v2 by
 * default), {@link dev.haps.spi.Truncation} how long texts are cut.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.runtime.encoder;
