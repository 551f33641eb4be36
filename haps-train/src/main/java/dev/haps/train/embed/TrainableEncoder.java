package dev.haps.train.embed;

import dev.haps.runtime.encoder.EncoderTop;

/**
 * A query encoder whose top layers can be trained: what the trainer's fine-tuning stage drives
 * (see {@link EncoderFineTuning}). Items are the indices of the texts given to {@link
 * EncoderFineTuning#open}; every call embeds them as the runtime will (same token budget and
 * truncation), one vector per item, pooled and L2-normalised.
 *
 * <p>Used from one thread at a time (the training loop); not thread-safe.
 *
 * @since 0.1.0
 */
public interface TrainableEncoder extends AutoCloseable {

  /**
   * The embedding size.
   *
   * @return the dimension of every vector
   */
  int dimension();

  /**
   * Embeds items with the current weights, without gradients.
   *
   * @param items text indices
   * @return one vector per item, in order
   */
  float[][] embed(int[] items);

  /**
   * One optimisation step of the trainable layers: embeds the items with gradients, asks {@code
   * loss} for the gradient of the loss with respect to those embeddings, back-propagates it and
   * updates the layers (AdamW) with the given learning rate.
   *
   * @param items text indices (a minibatch)
   * @param loss turns the embeddings into the loss gradient with respect to them
   * @param learningRate the layers' learning rate for this step (0 still back-propagates, but
   *     leaves the weights as they are)
   */
  void step(int[] items, EmbeddingLoss loss, double learningRate);

  /**
   * The trainable layers' current weights (and optimiser state), to come back to with {@link
   * #restore}.
   *
   * @return an opaque checkpoint
   */
  Object checkpoint();

  /**
   * Goes back to a checkpoint of this encoder.
   *
   * @param checkpoint from {@link #checkpoint()}
   * @throws IllegalArgumentException if it is not one of this encoder's checkpoints
   */
  void restore(Object checkpoint);

  /**
   * The trained layers as the runtime runs them: the ONNX graph of {@code encoder-top.onnx} and
   * where it continues the base model.
   *
   * @param id the id the whole encoder is to have in the bundle
   * @return the top layers
   */
  EncoderTop export(String id);

  /**
   * How the training went, for the bundle's manifest ({@code training.fineTune}): engine,
   * versions, threads, timings; plain values only.
   *
   * @return an ordered map
   */
  java.util.Map<String, Object> report();

  /** Releases native memory and sessions. */
  @Override
  void close();

  /**
   * The loss side of a {@link #step}: the heads' gradient with respect to the embeddings.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  interface EmbeddingLoss {

    /**
     * Runs the heads on the embeddings, updates them, and returns the gradient of the step's
     * loss with respect to each embedding.
     *
     * @param embeddings one vector per item of the step, with gradients attached upstream
     * @return the gradient, the same shape
     */
    float[][] gradient(float[][] embeddings);
  }
}
