/**
 * Fine-tuning of the default query encoder's top layers with DJL's PyTorch engine: the provider
 * of {@link dev.haps.train.embed.EncoderFineTuning} behind {@code haps train --fine-tune-layers
 * N}. Training only; bundles it produces run in ONNX Runtime.
 */
package dev.haps.train.torch;
