package dev.haps.client;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.spi.ChatRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ready-made {@link RequestTransformer}s.
 *
 * @since 0.1.0
 */
public final class RequestTransformers {

  /** The parameter name of {@link #promptStyles()} in the shared benchmarks. */
  public static final String PROMPT_STYLE = "prompt_style";

  private static final Map<String, String> PROMPT_STYLES = promptStyleTexts();

  private RequestTransformers() {}

  /**
   * A categorical parameter that selects a system prompt: the prompt of the routed choice goes
   * first in the conversation; an empty prompt adds nothing.
   *
   * @param promptByChoice every choice and its system prompt
   * @return the transformer; its {@link RequestTransformer#check check} rejects a spec with a
   *     choice that has no prompt
   * @throws IllegalArgumentException if the map is empty
   */
  public static RequestTransformer systemPrompt(Map<String, String> promptByChoice) {
    Map<String, String> prompts =
        Collections.unmodifiableMap(new LinkedHashMap<>(promptByChoice));
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("systemPrompt needs at least one choice and its prompt");
    }
    prompts.forEach((k, v) -> Objects.requireNonNull(v, () -> "prompt of choice '" + k + "'"));
    return new SystemPrompt(prompts);
  }

  /**
   * The built-in {@code prompt_style} of the shared benchmarks (concise-cot): short system
   * prompts for {@code baseline} (answer only), {@code concise} (brief step-by-step reasoning),
   * {@code chain_of_thought} (full step-by-step reasoning) and {@code composite} (domain expert:
   * recall, reason, critique, answer). The routing client registers it for
   * {@value #PROMPT_STYLE} unless the application registers its own.
   *
   * @return the transformer
   */
  public static RequestTransformer promptStyles() {
    return systemPrompt(PROMPT_STYLES);
  }

  /**
   * The built-in prompt-style texts.
   *
   * @return choice to system prompt, unmodifiable
   */
  public static Map<String, String> promptStyleTexts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("baseline", "Answer the question. Reply with the final answer only, with no"
        + " explanation; for a multiple-choice question, reply with the letter of the correct"
        + " choice.");
    m.put("concise", "Think step by step, but be concise: keep each step short and leave out"
        + " anything that does not move toward the answer. Finish with a line 'Answer: X', where"
        + " X is the final answer (the letter, for a multiple-choice question).");
    m.put("chain_of_thought", "Think step by step. Explain your reasoning in full, showing each"
        + " step and how it follows from the last. Finish with a line 'Answer: X', where X is the"
        + " final answer (the letter, for a multiple-choice question).");
    m.put("composite", "You are a leading expert in the subject of this question. First recall"
        + " the facts and principles that bear on it. Then reason step by step to an answer."
        + " Then critique your reasoning, looking for mistakes, and correct them. Finish with a"
        + " line 'Answer: X', where X is the final answer (the letter, for a multiple-choice"
        + " question).");
    return Collections.unmodifiableMap(m);
  }

  private static final class SystemPrompt implements RequestTransformer {
    private final Map<String, String> prompts;

    SystemPrompt(Map<String, String> prompts) {
      this.prompts = prompts;
    }

    @Override
    public ChatRequest apply(ChatRequest request, Object value) {
      String prompt = value instanceof String ? prompts.get(value) : null;
      if (prompt == null) {
        throw new InvalidParameterException("system prompt", String.valueOf(value),
            "no system prompt is registered for value '" + value + "'; registered: "
                + prompts.keySet());
      }
      if (prompt.isEmpty()) {
        return request;
      }
      List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
      messages.add(ChatMessage.system(prompt));
      messages.addAll(request.messages());
      return request.withMessages(messages);
    }

    @Override
    public void check(String candidate, ParameterSpec spec) {
      boolean byChoice = switch (spec.kind()) {
        case CATEGORICAL -> true;
        case FLOAT, INT, TENSOR -> false;
      };
      if (!byChoice) {
        throw new ConfigurationException("parameter '" + spec.name() + "' of candidate '"
            + candidate + "' is " + spec.kind() + ", but its transformer selects system prompts"
            + " by categorical choice; register a transformer that takes " + spec.kind()
            + " values");
      }
      List<String> missing = new ArrayList<>();
      for (String c : ((CategoricalSpec) spec).choices()) {
        if (!prompts.containsKey(c)) {
          missing.add(c);
        }
      }
      if (!missing.isEmpty()) {
        throw new ConfigurationException("parameter '" + spec.name() + "' of candidate '"
            + candidate + "' may take " + missing + ", for which no system prompt is"
            + " registered (registered: " + prompts.keySet() + "); add prompts for them");
      }
    }

    @Override
    public String toString() {
      return "systemPrompt" + prompts.keySet();
    }
  }
}
