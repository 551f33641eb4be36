package dev.haps.spi;

/**
 * Identity and settings of a query encoder: what a bundle records under {@code encoder} and what
 * the runtime checks a bundle against.
 *
 * @param id a short name, e.g. {@code all-minilm-l6-v2-q}
 * @param dimension the embedding size
 * @param pooling how token vectors become one vector; {@code mean} (over the attention mask)
 * @param normalize whether the embedding is L2-normalised
 * @param maxTokens the token budget, special tokens included
 * @param truncation how longer text is cut
 * @param sha256 hex SHA-256 of the encoder's ONNX model file
 * @since 0.1.0
 */
public record EncoderInfo(
    String id,
    int dimension,
    String pooling,
    boolean normalize,
    int maxTokens,
    Truncation truncation,
    String sha256) {}
