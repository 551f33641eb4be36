/**
 * Writes a trained router as a router bundle ({@code router.onnx} + {@code manifest.json}, see
 * {@code docs/bundle-format.md}).
 *
 * @since 0.1.0
 */
package dev.haps.train.export;
