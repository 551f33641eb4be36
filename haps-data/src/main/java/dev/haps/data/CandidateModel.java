package dev.haps.data;

import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.spi.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One candidate model of a benchmark, as {@code candidates.json} declares it: its id, its prices
 * and its tunable parameters.
 *
 * @param id the model id, unique within a candidate set
 * @param inputPricePerMtok USD per million input tokens, or NaN when unknown
 * @param outputPricePerMtok USD per million output tokens, or NaN when unknown
 * @param parameters the parameter space; empty when the benchmark varies only the model
 * @param observed per parameter name, the values the log actually holds (canonical form:
 *     {@link Double}, {@link Long} or {@link String}), as declared in {@code candidates.json};
 *     a parameter without an {@code observed} list is absent; unmodifiable
 * @since 0.1.0
 */
public record CandidateModel(
    String id,
    double inputPricePerMtok,
    double outputPricePerMtok,
    ParameterSpace parameters,
    Map<String, List<Object>> observed) {

  /**
   * Checks the fields and canonicalises the observed values.
   *
   * @throws IllegalArgumentException if the id is blank, a price is negative or infinite, or an
   *     observed list names an undeclared parameter or holds a value outside its spec
   * @throws NullPointerException if a field is null
   */
  public CandidateModel {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("candidate model id must not be blank");
    }
    checkPrice(id, "input", inputPricePerMtok);
    checkPrice(id, "output", outputPricePerMtok);
    Objects.requireNonNull(parameters, "parameters must not be null; use ParameterSpace.empty()");
    Map<String, List<Object>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<Object>> e : observed.entrySet()) {
      ParameterSpec spec = parameters.spec(e.getKey()).orElseThrow(() ->
          new IllegalArgumentException("model '" + id + "' lists observed values for '"
              + e.getKey() + "', which is not one of its parameters "
              + parameterNames(parameters)));
      List<Object> values = new ArrayList<>();
      for (Object v : e.getValue()) {
        try {
          values.add(spec.validate(v));
        } catch (RuntimeException ex) {
          throw new IllegalArgumentException("model '" + id + "' observed value " + v
              + " of parameter '" + e.getKey() + "' is invalid: " + ex.getMessage(), ex);
        }
      }
      copy.put(e.getKey(), List.copyOf(values));
    }
    observed = Collections.unmodifiableMap(copy);
  }

  /**
   * A model with prices and parameters and no observed-value lists.
   *
   * @param id the model id
   * @param inputPricePerMtok USD per million input tokens, or NaN
   * @param outputPricePerMtok USD per million output tokens, or NaN
   * @param parameters the parameter space
   * @return the model
   */
  public static CandidateModel of(
      String id, double inputPricePerMtok, double outputPricePerMtok, ParameterSpace parameters) {
    return new CandidateModel(id, inputPricePerMtok, outputPricePerMtok, parameters, Map.of());
  }

  /**
   * The input price, if known.
   *
   * @return USD per million input tokens
   */
  public OptionalDouble inputPrice() {
    return Double.isNaN(inputPricePerMtok)
        ? OptionalDouble.empty()
        : OptionalDouble.of(inputPricePerMtok);
  }

  /**
   * The output price, if known.
   *
   * @return USD per million output tokens
   */
  public OptionalDouble outputPrice() {
    return Double.isNaN(outputPricePerMtok)
        ? OptionalDouble.empty()
        : OptionalDouble.of(outputPricePerMtok);
  }

  /**
   * The cost of one call from this model's prices: {@code (inputTokens × input price +
   * outputTokens × output price) / 10^6} USD. This is the rule an outcome log applies to an
   * outcome whose {@code cost_usd} is null (see {@link OutcomeLog#costs()}).
   *
   * @param inputTokens prompt tokens, or -1 when unknown
   * @param outputTokens completion tokens, or -1 when unknown
   * @return the cost in USD; empty when a price or a token count is unknown
   */
  public OptionalDouble costOf(long inputTokens, long outputTokens) {
    if (Double.isNaN(inputPricePerMtok) || Double.isNaN(outputPricePerMtok) || inputTokens < 0
        || outputTokens < 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        (inputTokens * inputPricePerMtok + outputTokens * outputPricePerMtok) / 1e6);
  }

  /**
   * The values of one parameter that the log holds, as declared in {@code candidates.json}.
   *
   * @param parameter the parameter name
   * @return the values, empty when none are declared
   */
  public List<Object> observedValues(String parameter) {
    return observed.getOrDefault(parameter, List.of());
  }

  /**
   * This model as a provider's {@link ModelInfo}.
   *
   * @return the model info with the same id, parameters and prices
   */
  public ModelInfo toModelInfo() {
    return new ModelInfo(id, parameters, inputPricePerMtok, outputPricePerMtok);
  }

  static List<String> parameterNames(ParameterSpace space) {
    List<String> names = new ArrayList<>();
    for (ParameterSpec s : space.specs()) {
      names.add(s.name());
    }
    return names;
  }

  private static void checkPrice(String id, String which, double price) {
    if (!Double.isNaN(price) && !(price >= 0 && Double.isFinite(price))) {
      throw new IllegalArgumentException("model '" + id + "' " + which + " price " + price
          + " USD per million tokens must be finite and at least 0 (NaN when unknown)");
    }
  }
}
