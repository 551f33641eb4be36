package dev.haps.eval.baselines;

import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.OutcomeTable;
import java.util.Objects;

/**
 * What the learned baselines train and tune on: the {@code train} split with its query
 * embeddings, the {@code valid} split with its embeddings, the reward mapping and the sweep grid.
 * The evaluated split is never part of it.
 *
 * @param train the training table
 * @param trainEmbeddings one embedding per training query, in table order
 * @param valid the validation table (hyper-parameters are chosen by AIQ on it)
 * @param validEmbeddings one embedding per validation query, in table order
 * @param tradeoff the reward mapping shared by every router
 * @param costWeights the sweep grid
 * @param seed the seed for anything random
 * @since 0.1.0
 */
public record TrainingData(
    OutcomeTable train,
    float[][] trainEmbeddings,
    OutcomeTable valid,
    float[][] validEmbeddings,
    CostTradeoff tradeoff,
    double[] costWeights,
    long seed) {

  /**
   * Checks that tables and embeddings line up.
   *
   * @throws IllegalArgumentException if an embedding count differs from its table's size, or the
   *     tables list different configurations
   */
  public TrainingData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(valid, "valid");
    Objects.requireNonNull(tradeoff, "tradeoff");
    check("train", train, trainEmbeddings);
    check("valid", valid, validEmbeddings);
    if (!train.configurations().equals(valid.configurations())) {
      throw new IllegalArgumentException(
          "train and valid tables list different configurations; build both with the same"
              + " OutcomeTable.configurations(log)");
    }
    if (costWeights.length < 2) {
      throw new IllegalArgumentException(
          "the sweep grid needs at least 2 cost weights, got " + costWeights.length);
    }
  }

  private static void check(String what, OutcomeTable t, float[][] e) {
    Objects.requireNonNull(e, what + "Embeddings");
    if (e.length != t.size()) {
      throw new IllegalArgumentException(
          what + " embeddings: " + e.length + " rows for " + t.size() + " queries; embed every"
              + " query of the table in table order");
    }
  }
}
