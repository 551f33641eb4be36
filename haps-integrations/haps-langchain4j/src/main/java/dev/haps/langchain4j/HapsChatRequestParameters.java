package dev.haps.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Chat request parameters that also carry the request's HAPS cost weight: 0 weighs only quality,
 * 1 weighs cost most. Requests without one route at the model's default cost weight.
 *
 * <pre>{@code
 * ChatResponse r = hapsChatModel.chat(ChatRequest.builder()
 *     .messages(UserMessage.from("Summarise this contract ..."))
 *     .parameters(HapsChatRequestParameters.builder().costWeight(0.8).build())
 *     .build());
 * }</pre>
 *
 * <p>The common parameters (temperature, maxOutputTokens, ...) may be set here as well; a value
 * the caller sets wins over the routed one. Immutable.
 *
 * @since 0.1.0
 */
public final class HapsChatRequestParameters extends DefaultChatRequestParameters {

  private final Double costWeight;

  private HapsChatRequestParameters(Builder b) {
    super(b);
    this.costWeight = b.costWeight;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parameters that set only the cost weight.
   *
   * @param costWeight in [0, 1]
   * @return the parameters
   * @throws IllegalArgumentException if the weight is outside [0, 1]
   */
  public static HapsChatRequestParameters costWeight(double costWeight) {
    return builder().costWeight(costWeight).build();
  }

  /**
   * The cost weight of the request.
   *
   * @return the weight, if set
   */
  public OptionalDouble costWeightValue() {
    return costWeight == null ? OptionalDouble.empty() : OptionalDouble.of(costWeight);
  }

  @Override
  public ChatRequestParameters overrideWith(ChatRequestParameters that) {
    return builder().overrideWith(this).overrideWith(that).build();
  }

  @Override
  public ChatRequestParameters defaultedBy(ChatRequestParameters that) {
    return builder().overrideWith(that).overrideWith(this).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HapsChatRequestParameters h && super.equals(o)
        && Objects.equals(costWeight, h.costWeight);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(costWeight);
  }

  @Override
  public String toString() {
    return "HapsChatRequestParameters{costWeight=" + costWeight + ", " + super.toString() + "}";
  }

  /**
   * Builds {@link HapsChatRequestParameters}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder extends DefaultChatRequestParameters.Builder<Builder> {

    private Double costWeight;

    private Builder() {}

    /**
     * Sets the request's cost weight.
     *
     * @param costWeight in [0, 1]: 0 = quality only, 1 = cost first
     * @return this builder
     * @throws IllegalArgumentException if the weight is outside [0, 1]
     */
    public Builder costWeight(double costWeight) {
      if (!(costWeight >= 0 && costWeight <= 1)) {
        throw new IllegalArgumentException("cost weight " + costWeight + " is outside [0, 1]:"
            + " use 0 for quality only, 1 for cost first");
      }
      this.costWeight = costWeight;
      return this;
    }

    /**
     * Copies every parameter that {@code parameters} sets, the cost weight included when it is
     * {@link HapsChatRequestParameters}.
     *
     * @param parameters the parameters to copy from; {@code null} copies nothing
     * @return this builder
     */
    @Override
    public Builder overrideWith(ChatRequestParameters parameters) {
      super.overrideWith(parameters);
      if (parameters instanceof HapsChatRequestParameters h && h.costWeight != null) {
        this.costWeight = h.costWeight;
      }
      return this;
    }

    /**
     * Builds the parameters.
     *
     * @return the parameters
     */
    @Override
    public HapsChatRequestParameters build() {
      return new HapsChatRequestParameters(this);
    }
  }
}
