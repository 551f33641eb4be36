package dev.haps.runtime.internal;

/**
 * The manifest's {@code encoder.top}: which layers of the encoder are the base model's and which
 * the bundle's own fine-tuned file holds. Internal API.
 *
 * @param file the file name ({@value BundleSources#ENCODER_TOP})
 * @param sha256 the SHA-256 of that file, lower-case hex
 * @param base the base encoder's id
 * @param baseSha256 the SHA-256 of the base model file, lower-case hex
 * @param cut the base graph's tensor where the file's graph takes over
 * @param baseLayers the base model's layers that run before the cut
 * @param topLayers the layers the file holds
 */
public record EncoderTopSpec(String file, String sha256, String base, String baseSha256,
    String cut, int baseLayers, int topLayers) {}
