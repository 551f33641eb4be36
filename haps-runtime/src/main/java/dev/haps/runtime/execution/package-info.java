/**
 * Where ONNX Runtime executes: {@link dev.haps.runtime.execution.ExecutionProvider} (CPU, CUDA on
 * one device, or AUTO). A package of its own so that the router, the encoder and the session
 * helpers can all depend on it without depending on each other.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.runtime.execution;
