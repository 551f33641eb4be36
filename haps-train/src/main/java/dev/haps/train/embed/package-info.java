/**
 * Query embeddings for training and evaluation: {@link dev.haps.train.embed.EmbeddingStore}
 * embeds texts with the runtime's encoder, in batches, behind an on-disk cache keyed by the
 * encoder's checksum, its settings and the text.
 *
 * @since 0.1.0
 */
package dev.haps.train.embed;
