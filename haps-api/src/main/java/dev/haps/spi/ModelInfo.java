package dev.haps.spi;

import dev.haps.api.params.ParameterSpace;
import java.util.Objects;

/**
 * A model a provider serves and the parameters it accepts per request.
 *
 * @param id the backend's model name
 * @param parameters the tunable parameters and their ranges
 * @param inputPricePerMtok USD per million input tokens, or NaN if unknown
 * @param outputPricePerMtok USD per million output tokens, or NaN if unknown
 * @since 0.1.0
 */
public record ModelInfo(
    String id, ParameterSpace parameters, double inputPricePerMtok, double outputPricePerMtok) {

  /**
   * Checks the fields.
   *
   * @param id the backend's model name
   * @param parameters the tunable parameters and their ranges
   * @param inputPricePerMtok USD per million input tokens, or NaN if unknown
   * @param outputPricePerMtok USD per million output tokens, or NaN if unknown
   * @throws IllegalArgumentException if the id is blank or a price is negative
   */
  public ModelInfo {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("model id must not be blank");
    }
    Objects.requireNonNull(parameters, "parameters");
    if (inputPricePerMtok < 0 || outputPricePerMtok < 0) {
      throw new IllegalArgumentException("model '" + id + "' has a negative price");
    }
  }

  /**
   * A model without a known price.
   *
   * @param id the backend's model name
   * @param parameters its parameters
   * @return the model info
   */
  public static ModelInfo of(String id, ParameterSpace parameters) {
    return new ModelInfo(id, parameters, Double.NaN, Double.NaN);
  }

  /**
   * The cost of a call with the given usage, if prices are known.
   *
   * @param usage tokens consumed
   * @return USD, or NaN when a price is unknown
   */
  public double costUsd(TokenUsage usage) {
    return (usage.inputTokens() * inputPricePerMtok + usage.outputTokens() * outputPricePerMtok)
        / 1_000_000.0;
  }
}
