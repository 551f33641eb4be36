/**
 * Writes a trained router's network as {@code router.onnx} ({@link
 * dev.haps.train.export.OnnxGraph}), with the input and output names of the bundle contract
 * ({@code docs/bundle-format.md}); {@link dev.haps.train.BundleExporter} adds the manifest.
 *
 * @since 0.1.0
 */
package dev.haps.train.export;
