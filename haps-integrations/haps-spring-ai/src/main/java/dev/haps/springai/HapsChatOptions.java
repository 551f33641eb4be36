package dev.haps.springai;

import dev.haps.api.RouteRequest;
import java.util.Objects;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;

/**
 * Chat options that also carry the prompt's HAPS cost weight: 0 weighs only quality, 1 weighs
 * cost most. {@link HapsChatModel#getDefaultOptions()} returns these, so a {@code ChatClient}
 * built on the routed model carries them; set the weight per request with
 * {@code chatClient.prompt().options(HapsChatOptions.costWeight(0.8))}.
 *
 * <p>The common options (temperature, maxTokens, ...) and tools may be set here too; a value the
 * caller sets wins over the routed one. Mutable, like Spring AI's other options classes.
 *
 * @since 0.1.0
 */
public class HapsChatOptions extends DefaultToolCallingChatOptions {

  private Double costWeight;

  /** Options with nothing set. */
  public HapsChatOptions() {}

  /**
   * Options that set only the cost weight.
   *
   * @param costWeight in [0, 1]
   * @return the options
   * @throws IllegalArgumentException if the weight is outside [0, 1]
   */
  public static HapsChatOptions costWeight(double costWeight) {
    HapsChatOptions o = new HapsChatOptions();
    o.setCostWeight(costWeight);
    return o;
  }

  /**
   * The cost weight of the prompt.
   *
   * @return the weight, or {@code null} when unset (the model's default applies)
   */
  public Double getCostWeight() {
    return costWeight;
  }

  /**
   * Sets the cost weight of the prompt.
   *
   * @param costWeight in [0, 1], or {@code null} for the model's default
   * @throws IllegalArgumentException if the weight is outside [0, 1]
   */
  public void setCostWeight(Double costWeight) {
    if (costWeight != null && !(costWeight >= 0 && costWeight <= 1)) {
      throw new IllegalArgumentException("cost weight " + costWeight + " is outside [0, 1]: use"
          + " 0 for quality only, 1 for cost first");
    }
    this.costWeight = costWeight;
  }

  /** The weight of options of any class: theirs when HAPS options, else the default. */
  static double costWeightOf(ChatOptions options, double defaultWeight) {
    return options instanceof HapsChatOptions h && h.costWeight != null
        ? h.costWeight : defaultWeight;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends ChatOptions> T copy() {
    HapsChatOptions c = new HapsChatOptions();
    c.setModel(getModel());
    c.setFrequencyPenalty(getFrequencyPenalty());
    c.setMaxTokens(getMaxTokens());
    c.setPresencePenalty(getPresencePenalty());
    c.setStopSequences(getStopSequences());
    c.setTemperature(getTemperature());
    c.setTopK(getTopK());
    c.setTopP(getTopP());
    c.setToolCallbacks(getToolCallbacks());
    c.setToolNames(getToolNames());
    c.setToolContext(getToolContext());
    c.setInternalToolExecutionEnabled(getInternalToolExecutionEnabled());
    c.costWeight = costWeight;
    return (T) c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HapsChatOptions h && Objects.equals(costWeight, h.costWeight)
        && Objects.equals(getTemperature(), h.getTemperature())
        && Objects.equals(getMaxTokens(), h.getMaxTokens())
        && Objects.equals(getTopP(), h.getTopP()) && Objects.equals(getTopK(), h.getTopK())
        && Objects.equals(getToolNames(), h.getToolNames())
        && Objects.equals(getToolCallbacks(), h.getToolCallbacks());
  }

  @Override
  public int hashCode() {
    return Objects.hash(costWeight, getTemperature(), getMaxTokens(), getTopP(), getTopK());
  }

  @Override
  public String toString() {
    return "HapsChatOptions{costWeight=" + (costWeight == null
        ? "default (" + RouteRequest.DEFAULT_COST_WEIGHT + " unless set)" : costWeight)
        + ", temperature=" + getTemperature() + ", maxTokens=" + getMaxTokens() + ", tools="
        + getToolNames() + "}";
  }
}
