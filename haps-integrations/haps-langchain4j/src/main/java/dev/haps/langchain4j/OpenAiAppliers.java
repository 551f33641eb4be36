package dev.haps.langchain4j;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;

/**
 * OpenAI-specific parameters through {@link OpenAiChatRequestParameters}. Only loaded once a
 * bundle generates one of them and langchain4j-open-ai is present ({@link Appliers} checks).
 */
final class OpenAiAppliers {

  private OpenAiAppliers() {}

  static ChatRequest apply(String name, ChatRequest request, Object value) {
    OpenAiChatRequestParameters.Builder b =
        OpenAiChatRequestParameters.builder().overrideWith(request.parameters());
    switch (name) {
      case "reasoning_effort" -> {
        if (!(value instanceof String s)) {
          throw new InvalidParameterException(name, String.valueOf(value),
              "reasoning_effort needs a choice such as \"low\", got " + value);
        }
        b.reasoningEffort(s);
      }
      case "seed" -> {
        if (!(value instanceof Number n)) {
          throw new InvalidParameterException(name, String.valueOf(value),
              "seed needs an integer, got " + value);
        }
        b.seed(n.intValue());
      }
      default -> throw new IllegalArgumentException("not an OpenAI parameter: " + name);
    }
    return Appliers.withParameters(request, b.build());
  }

  static boolean isOpenAi(ChatRequestParameters p) {
    return p instanceof OpenAiChatRequestParameters;
  }

  static ChatRequestParameters withoutModelName(ChatRequestParameters p) {
    return OpenAiChatRequestParameters.builder().overrideWith(p).modelName((String) null).build();
  }

  static void check(String name, String candidate, ChatRequestParameters defaults) {
    if (!(defaults instanceof OpenAiChatRequestParameters)) {
      throw new ConfigurationException("parameter '" + name + "' of candidate '" + candidate
          + "' is OpenAI-specific, but the model mapped to it is not an OpenAI model (its"
          + " default parameters are " + defaults.getClass().getSimpleName() + ", not"
          + " OpenAiChatRequestParameters); map an OpenAiChatModel to it, or register your own"
          + " applier with parameter(\"" + name + "\", applier)");
    }
  }
}
