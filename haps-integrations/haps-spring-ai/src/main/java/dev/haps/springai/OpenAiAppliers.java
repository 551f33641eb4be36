package dev.haps.springai;

import dev.haps.api.error.InvalidParameterException;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.ResponseFormat;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * OpenAI-specific options through {@link OpenAiChatOptions}; only loaded when spring-ai-openai is
 * on the class path ({@link Appliers#OPENAI}).
 */
final class OpenAiAppliers {

  private OpenAiAppliers() {}

  static boolean isOpenAi(ChatOptions o) {
    return o instanceof OpenAiChatOptions;
  }

  static boolean isOpenAiModel(ChatModel m) {
    return m instanceof OpenAiChatModel;
  }

  /** A copy as OpenAI options, model name cleared. */
  static ToolCallingChatOptions copy(ChatOptions caller) {
    OpenAiChatOptions o;
    if (caller instanceof OpenAiChatOptions oc) {
      o = OpenAiChatOptions.fromOptions(oc);
    } else {
      o = new OpenAiChatOptions();
      if (caller != null) {
        o.setFrequencyPenalty(caller.getFrequencyPenalty());
        o.setMaxTokens(caller.getMaxTokens());
        o.setPresencePenalty(caller.getPresencePenalty());
        o.setStopSequences(caller.getStopSequences());
        o.setTemperature(caller.getTemperature());
        o.setTopP(caller.getTopP());
        Appliers.copyTools(caller, o);
      }
    }
    o.setModel(null);
    return o;
  }

  /** What the options ask of the response format: null, JSON_RESPONSE or JSON_SCHEMA. */
  static CandidateFeature responseFormat(ChatOptions o) {
    if (o instanceof OpenAiChatOptions oc && oc.getResponseFormat() != null) {
      ResponseFormat.Type t = oc.getResponseFormat().getType();
      if (t == ResponseFormat.Type.JSON_OBJECT) {
        return CandidateFeature.JSON_RESPONSE;
      }
      if (t == ResponseFormat.Type.JSON_SCHEMA) {
        return CandidateFeature.JSON_SCHEMA;
      }
    }
    return null;
  }

  static void apply(String name, ChatOptions options, Object value) {
    if (!(options instanceof OpenAiChatOptions o)) {
      throw new IllegalStateException("OpenAI parameter '" + name + "' met " + options);
    }
    switch (name) {
      case "reasoning_effort" -> {
        if (!(value instanceof String s)) {
          throw new InvalidParameterException(name, String.valueOf(value),
              "reasoning_effort needs a choice such as \"low\", got " + value);
        }
        if (o.getReasoningEffort() == null) {
          o.setReasoningEffort(s);
        }
      }
      case "seed" -> {
        if (!(value instanceof Number n)) {
          throw new InvalidParameterException(name, String.valueOf(value),
              "seed needs an integer, got " + value);
        }
        if (o.getSeed() == null) {
          o.setSeed(n.intValue());
        }
      }
      default -> throw new IllegalArgumentException("not an OpenAI parameter: " + name);
    }
  }

  static void set(ChatOptions options, String name, Number v) {
    if (!(options instanceof OpenAiChatOptions o)) {
      throw new IllegalStateException("cannot set '" + name + "' on " + options.getClass());
    }
    switch (name) {
      case "temperature" -> o.setTemperature(v.doubleValue());
      case "top_p" -> o.setTopP(v.doubleValue());
      case "max_tokens" -> o.setMaxTokens(v.intValue());
      case "presence_penalty" -> o.setPresencePenalty(v.doubleValue());
      case "frequency_penalty" -> o.setFrequencyPenalty(v.doubleValue());
      default -> throw new IllegalArgumentException("OpenAI's chat API has no '" + name + "'");
    }
  }
}
