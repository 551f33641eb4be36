package dev.haps.springai;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.client.RequestTransformers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * The built-in {@link ParameterApplier}s and the per-candidate copy of the caller's options they
 * work on: the common options through {@link ChatOptions} setters, OpenAI's through
 * {@code OpenAiChatOptions} (when spring-ai-openai is on the class path), and
 * {@code prompt_style} as a first system message.
 */
final class Appliers {

  static final String OPENAI_OPTIONS = "org.springframework.ai.openai.OpenAiChatOptions";
  static final boolean OPENAI = present(OPENAI_OPTIONS);
  static final java.util.Set<String> OPENAI_ONLY = java.util.Set.of("reasoning_effort", "seed");

  private Appliers() {}

  /** Parameter name to its built-in applier. */
  static Map<String, ParameterApplier> builtIns() {
    Map<String, ParameterApplier> m = new LinkedHashMap<>();
    m.put("temperature", common("temperature", ParameterSpec.Kind.FLOAT,
        ChatOptions::getTemperature, (o, v) -> setTemperature(o, v.doubleValue())));
    m.put("top_p", common("top_p", ParameterSpec.Kind.FLOAT, ChatOptions::getTopP,
        (o, v) -> setTopP(o, v.doubleValue())));
    m.put("top_k", common("top_k", ParameterSpec.Kind.INT, ChatOptions::getTopK,
        (o, v) -> setTopK(o, v.intValue())));
    m.put("max_tokens", common("max_tokens", ParameterSpec.Kind.INT, ChatOptions::getMaxTokens,
        (o, v) -> setMaxTokens(o, v.intValue())));
    m.put("presence_penalty", common("presence_penalty", ParameterSpec.Kind.FLOAT,
        ChatOptions::getPresencePenalty, (o, v) -> setPresencePenalty(o, v.doubleValue())));
    m.put("frequency_penalty", common("frequency_penalty", ParameterSpec.Kind.FLOAT,
        ChatOptions::getFrequencyPenalty, (o, v) -> setFrequencyPenalty(o, v.doubleValue())));
    for (String name : OPENAI_ONLY) {
      m.put(name, openAi(name));
    }
    m.put(RequestTransformers.PROMPT_STYLE, new PromptStyle(RequestTransformers.promptStyleTexts()));
    return Collections.unmodifiableMap(m);
  }

  /**
   * A private, mutable copy of the caller's options for one candidate, without the model name
   * (the candidate's own applies): OpenAI's class when the caller used it or an OpenAI-only
   * parameter is routed, otherwise Spring AI's default tool-calling options.
   */
  static ToolCallingChatOptions copyFor(ChatOptions caller, boolean openAi) {
    ToolCallingChatOptions target;
    if (OPENAI && (openAi || OpenAiAppliers.isOpenAi(caller))) {
      target = OpenAiAppliers.copy(caller);
    } else {
      DefaultToolCallingChatOptions d = new DefaultToolCallingChatOptions();
      if (caller != null) {
        d.setFrequencyPenalty(caller.getFrequencyPenalty());
        d.setMaxTokens(caller.getMaxTokens());
        d.setPresencePenalty(caller.getPresencePenalty());
        d.setStopSequences(caller.getStopSequences());
        d.setTemperature(caller.getTemperature());
        d.setTopK(caller.getTopK());
        d.setTopP(caller.getTopP());
        copyTools(caller, d);
      }
      target = d;
    }
    return target;
  }

  static void copyTools(ChatOptions from, ToolCallingChatOptions to) {
    if (from instanceof ToolCallingChatOptions t) {
      to.setToolCallbacks(t.getToolCallbacks() == null ? List.of() : t.getToolCallbacks());
      to.setToolNames(t.getToolNames() == null ? java.util.Set.of() : t.getToolNames());
      to.setToolContext(t.getToolContext() == null ? Map.of() : t.getToolContext());
      to.setInternalToolExecutionEnabled(t.getInternalToolExecutionEnabled());
    }
  }

  private interface Setter {
    void set(ChatOptions options, Number value);
  }

  private static ParameterApplier common(String name, ParameterSpec.Kind kind,
      Function<ChatOptions, Object> getter, Setter setter) {
    return new ParameterApplier() {
      @Override
      public Prompt apply(Prompt prompt, Object value) {
        if (!(value instanceof Number n)) {
          throw new InvalidParameterException(name, String.valueOf(value), "parameter '" + name
              + "' needs a number, got " + value);
        }
        ChatOptions o = prompt.getOptions();
        if (getter.apply(o) == null) { // the caller's own value wins
          setter.set(o, n);
        }
        return prompt;
      }

      @Override
      public void check(String candidate, ParameterSpec spec, ChatModel model) {
        requireKind(candidate, spec, kind);
        if (name.equals("top_k") && OPENAI && OpenAiAppliers.isOpenAiModel(model)) {
          throw new ConfigurationException("parameter 'top_k' of candidate '" + candidate
              + "' cannot be applied: the model mapped to it is an OpenAiChatModel, and OpenAI's"
              + " chat API has no top_k; map a model that takes it, or register your own applier"
              + " with parameter(\"top_k\", applier)");
        }
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static ParameterApplier openAi(String name) {
    return new ParameterApplier() {
      @Override
      public Prompt apply(Prompt prompt, Object value) {
        OpenAiAppliers.apply(name, prompt.getOptions(), value);
        return prompt;
      }

      @Override
      public void check(String candidate, ParameterSpec spec, ChatModel model) {
        requireKind(candidate, spec, name.equals("seed") ? ParameterSpec.Kind.INT
            : ParameterSpec.Kind.CATEGORICAL);
        if (!OPENAI) {
          throw new ConfigurationException("parameter '" + name + "' of candidate '" + candidate
              + "' is OpenAI-specific and goes through OpenAiChatOptions, but"
              + " org.springframework.ai:spring-ai-openai is not on the class path; add it, or"
              + " register your own applier with parameter(\"" + name + "\", applier)");
        }
        if (!OpenAiAppliers.isOpenAiModel(model)) {
          throw new ConfigurationException("parameter '" + name + "' of candidate '" + candidate
              + "' is OpenAI-specific, but the model mapped to it is not an OpenAI model (it is"
              + " a " + model.getClass().getSimpleName() + ", not an OpenAiChatModel); map an"
              + " OpenAiChatModel to it, or register your own applier with parameter(\"" + name
              + "\", applier)");
        }
      }

      @Override
      public String toString() {
        return name + " (OpenAI)";
      }
    };
  }

  static void requireKind(String candidate, ParameterSpec spec, ParameterSpec.Kind kind) {
    if (spec.kind() != kind) {
      throw new ConfigurationException("parameter '" + spec.name() + "' of candidate '"
          + candidate + "' is declared " + spec.kind() + " in the bundle, but its built-in"
          + " applier takes " + kind + " values; register an applier for " + spec.kind()
          + " values with parameter(\"" + spec.name() + "\", applier)");
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Appliers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  // The two option classes Appliers creates (copyFor) have setters; nothing else reaches here.
  private static void setTemperature(ChatOptions o, double v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setTemperature(v);
    } else {
      OpenAiAppliers.set(o, "temperature", v);
    }
  }

  private static void setTopP(ChatOptions o, double v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setTopP(v);
    } else {
      OpenAiAppliers.set(o, "top_p", v);
    }
  }

  private static void setTopK(ChatOptions o, int v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setTopK(v);
    } else {
      OpenAiAppliers.set(o, "top_k", v);
    }
  }

  private static void setMaxTokens(ChatOptions o, int v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setMaxTokens(v);
    } else {
      OpenAiAppliers.set(o, "max_tokens", v);
    }
  }

  private static void setPresencePenalty(ChatOptions o, double v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setPresencePenalty(v);
    } else {
      OpenAiAppliers.set(o, "presence_penalty", v);
    }
  }

  private static void setFrequencyPenalty(ChatOptions o, double v) {
    if (o instanceof DefaultToolCallingChatOptions d) {
      d.setFrequencyPenalty(v);
    } else {
      OpenAiAppliers.set(o, "frequency_penalty", v);
    }
  }

  /** Selects a system prompt by categorical choice and puts it first in the conversation. */
  private static final class PromptStyle implements ParameterApplier {
    private final Map<String, String> prompts;

    PromptStyle(Map<String, String> prompts) {
      this.prompts = prompts;
    }

    @Override
    public Prompt apply(Prompt prompt, Object value) {
      String text = value instanceof String s ? prompts.get(s) : null;
      if (text == null) {
        throw new InvalidParameterException(RequestTransformers.PROMPT_STYLE,
            String.valueOf(value), "no system prompt is registered for prompt_style '" + value
                + "'; registered: " + prompts.keySet());
      }
      if (text.isEmpty()) {
        return prompt;
      }
      List<Message> messages = new ArrayList<>(prompt.getInstructions().size() + 1);
      messages.add(new SystemMessage(text));
      messages.addAll(prompt.getInstructions());
      return new Prompt(messages, prompt.getOptions());
    }

    @Override
    public void check(String candidate, ParameterSpec spec, ChatModel model) {
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
