package dev.haps.runtime.internal;

/**
 * The ONNX input and output names a bundle's manifest declares ({@code io}). Internal API.
 *
 * @param embedding the embedding input name
 * @param costWeight the cost-weight input name
 * @param logits the model-logits output name
 * @param expectedCost the expected-cost output name, or {@code ""} when the bundle has none
 */
public record BundleIo(String embedding, String costWeight, String logits, String expectedCost) {

  /**
   * Whether the bundle has an expected-cost output.
   *
   * @return {@code true} when {@link #expectedCost()} is not empty
   */
  public boolean hasExpectedCost() {
    return !expectedCost.isEmpty();
  }
}
