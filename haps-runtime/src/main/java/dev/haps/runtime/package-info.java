/**
 * The HAPS runtime: {@link dev.haps.runtime.HapsRouter} loads a router bundle ({@link
 * dev.haps.runtime.RouterBundle}), encodes queries, runs the trained network in ONNX Runtime and
 * decodes routing decisions; {@link dev.haps.runtime.CacheSettings} and {@link
 * dev.haps.runtime.execution.ExecutionProvider} configure it. See {@code docs/runtime.md}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless its documentation says so.
 */
package dev.haps.runtime;
