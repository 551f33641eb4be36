/**
 * Pure-Java decoding of the router network's raw outputs: masking and softmax over candidates
 * ({@link dev.haps.runtime.decode.RoutingDecoder}) and mapping raw parameter outputs into each
 * declared space ({@link dev.haps.runtime.decode.ParameterDecoder}). No ONNX Runtime here; the
 * rules are specified in {@code docs/bundle-format.md}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.runtime.decode;
