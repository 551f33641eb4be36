package dev.haps.langchain4j;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.client.RequestTransformers;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The built-in {@link ParameterApplier}s: the common sampling parameters through
 * {@link ChatRequestParameters}, OpenAI's through {@code OpenAiChatRequestParameters} (when
 * langchain4j-open-ai is on the class path), and {@code prompt_style} as a system message.
 */
final class Appliers {

  static final String OPENAI_PARAMETERS = "dev.langchain4j.model.openai.OpenAiChatRequestParameters";

  private Appliers() {}

  /** Parameter name to its built-in applier. */
  static Map<String, ParameterApplier> builtIns() {
    Map<String, ParameterApplier> m = new LinkedHashMap<>();
    m.put("temperature", common("temperature", ParameterSpec.Kind.FLOAT,
        (b, v) -> b.temperature(v.doubleValue())));
    m.put("top_p", common("top_p", ParameterSpec.Kind.FLOAT, (b, v) -> b.topP(v.doubleValue())));
    m.put("top_k", common("top_k", ParameterSpec.Kind.INT, (b, v) -> b.topK(v.intValue())));
    m.put("max_tokens", common("max_tokens", ParameterSpec.Kind.INT,
        (b, v) -> b.maxOutputTokens(v.intValue())));
    m.put("presence_penalty", common("presence_penalty", ParameterSpec.Kind.FLOAT,
        (b, v) -> b.presencePenalty(v.doubleValue())));
    m.put("frequency_penalty", common("frequency_penalty", ParameterSpec.Kind.FLOAT,
        (b, v) -> b.frequencyPenalty(v.doubleValue())));
    m.put("reasoning_effort", openAi("reasoning_effort", ParameterSpec.Kind.CATEGORICAL));
    m.put("seed", openAi("seed", ParameterSpec.Kind.INT));
    m.put(RequestTransformers.PROMPT_STYLE, new PromptStyle(RequestTransformers.promptStyleTexts()));
    return Collections.unmodifiableMap(m);
  }

  /** The request with other parameters. */
  static ChatRequest withParameters(ChatRequest request, ChatRequestParameters parameters) {
    return ChatRequest.builder().messages(request.messages()).parameters(parameters).build();
  }

  private static ParameterApplier common(String name, ParameterSpec.Kind kind,
      BiFunction<DefaultChatRequestParameters.Builder<?>, Number, DefaultChatRequestParameters.Builder<?>> set) {
    return new ParameterApplier() {
      @Override
      public ChatRequest apply(ChatRequest request, Object value) {
        if (!(value instanceof Number n)) {
          throw new InvalidParameterException(name, String.valueOf(value), "parameter '" + name
              + "' needs a number, got " + value);
        }
        ChatRequestParameters add = set.apply(DefaultChatRequestParameters.builder(), n).build();
        // overrideWith keeps the class of the parameters so far (e.g. OpenAI's).
        return withParameters(request, request.parameters().overrideWith(add));
      }

      @Override
      public void check(String candidate, ParameterSpec spec, ChatRequestParameters defaults) {
        requireKind(candidate, spec, kind);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static ParameterApplier openAi(String name, ParameterSpec.Kind kind) {
    return new ParameterApplier() {
      @Override
      public ChatRequest apply(ChatRequest request, Object value) {
        return OpenAiAppliers.apply(name, request, value);
      }

      @Override
      public void check(String candidate, ParameterSpec spec, ChatRequestParameters defaults) {
        requireKind(candidate, spec, kind);
        if (!openAiPresent()) {
          throw new ConfigurationException("parameter '" + name + "' of candidate '" + candidate
              + "' is OpenAI-specific and goes through OpenAiChatRequestParameters, but"
              + " dev.langchain4j:langchain4j-open-ai is not on the class path; add it, or"
              + " register your own applier with parameter(\"" + name + "\", applier)");
        }
        OpenAiAppliers.check(name, candidate, defaults);
      }

      @Override
      public String toString() {
        return name + " (OpenAI)";
      }
    };
  }

  static boolean openAiPresent() {
    try {
      Class.forName(OPENAI_PARAMETERS, false, Appliers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static void requireKind(String candidate, ParameterSpec spec, ParameterSpec.Kind kind) {
    if (spec.kind() != kind) {
      throw new ConfigurationException("parameter '" + spec.name() + "' of candidate '"
          + candidate + "' is declared " + spec.kind() + " in the bundle, but its built-in"
          + " applier takes " + kind + " values; register an applier for " + spec.kind()
          + " values with parameter(\"" + spec.name() + "\", applier)");
    }
  }

  /** Selects a system prompt by categorical choice and puts it first in the conversation. */
  private static final class PromptStyle implements ParameterApplier {
    private final Map<String, String> prompts;

    PromptStyle(Map<String, String> prompts) {
      this.prompts = prompts;
    }

    @Override
    public ChatRequest apply(ChatRequest request, Object value) {
      String prompt = value instanceof String s ? prompts.get(s) : null;
      if (prompt == null) {
        throw new InvalidParameterException(RequestTransformers.PROMPT_STYLE,
            String.valueOf(value), "no system prompt is registered for prompt_style '" + value
                + "'; registered: " + prompts.keySet());
      }
      if (prompt.isEmpty()) {
        return request;
      }
      List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
      messages.add(SystemMessage.from(prompt));
      messages.addAll(request.messages());
      return ChatRequest.builder().messages(messages).parameters(request.parameters()).build();
    }

    @Override
    public void check(String candidate, ParameterSpec spec, ChatRequestParameters defaults) {
      requireKind(candidate, spec, ParameterSpec.Kind.CATEGORICAL);
      List<String> missing = new ArrayList<>();
      for (String c : ((CategoricalSpec) spec).choices()) {
        if (!prompts.containsKey(c)) {
          missing.add(c);
        }
      }
      if (!missing.isEmpty()) {
        throw new ConfigurationException("parameter '" + spec.name() + "' of candidate '"
            + candidate + "' may take " + missing + ", for which no system prompt is built in"
            + " (built in: " + prompts.keySet() + "); register an applier with parameter(\""
            + spec.name() + "\", applier)");
      }
    }

    @Override
    public String toString() {
      return "prompt_style" + prompts.keySet();
    }
  }
}
