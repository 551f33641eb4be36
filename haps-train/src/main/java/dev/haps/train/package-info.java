/**
 * Training HAPS routers from outcome logs: {@link dev.haps.train.Trainer} (what to train on and
 * where to write), {@link dev.haps.train.TrainOptions} (every option, serialised once into the
 * manifest), {@link dev.haps.train.TrainResult}, {@link dev.haps.train.TrainingListener} and
 * {@link dev.haps.train.BundleExporter} (manifest + {@code router.onnx}). The training loop
 * (ensemble, phases, checkpoints, sharded minibatches, validation sweep) is package-private here;
 * what is learnt lives in {@code dev.haps.train.model}.
 *
 * <p>Packages depend downwards only: this one on {@code model}, {@code export}, {@code env} and
 * {@code embed}; {@code export} on {@code model}; {@code model} on {@code nn}.
 *
 * <p>Nothing in this package accepts or returns null unless a method says so.
 *
 * @since 0.1.0
 */
package dev.haps.train;
