package dev.haps.examples.langchain4j;

import dev.haps.langchain4j.HapsChatModel;
import dev.haps.langchain4j.HapsChatResponseMetadata;
import dev.haps.langchain4j.RoutingInfo;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Existing LangChain4j models in, one routed {@code ChatModel} out: the bundled router (trained
 * on GPT-3.5-Turbo and GPT-4 under four prompt styles) chooses, per question, which of your two
 * OpenAI-compatible models answers and with which prompt style.
 *
 * <pre>{@code
 * export OPENAI_BASE_URL=https://api.openai.com/v1   # or any OpenAI-compatible server
 * export OPENAI_API_KEY=sk-...
 * export FAST_MODEL=gpt-4o-mini SMART_MODEL=gpt-4o
 * java -cp ... dev.haps.examples.langchain4j.RoutedLangChain4j "Why is the sky blue?"
 * }</pre>
 *
 * <p>With {@code OPENAI_BASE_URL} unset it prints what to set and exits normally.
 *
 * @since 0.1.0
 */
public final class RoutedLangChain4j {

  private RoutedLangChain4j() {}

  /**
   * Runs the example against the endpoint in the environment.
   *
   * @param args optionally the question
   */
  public static void main(String[] args) {
    run(System.out, System::getenv, args.length > 0 ? args[0] : "Why is the sky blue?");
  }

  /**
   * Routes and answers one question, or explains what to set.
   *
   * @param out where to print
   * @param env variable name to value ({@code null} when unset)
   * @param question the question
   * @return the response, or empty when no endpoint is configured
   */
  public static Optional<ChatResponse> run(PrintStream out, UnaryOperator<String> env,
      String question) {
    String baseUrl = env.apply("OPENAI_BASE_URL");
    if (baseUrl == null || baseUrl.isBlank()) {
      out.println("RoutedLangChain4j: skipped, OPENAI_BASE_URL is not set. Set it (and"
          + " OPENAI_API_KEY, FAST_MODEL, SMART_MODEL) to route between two of your models.");
      return Optional.empty();
    }
    String key = env.apply("OPENAI_API_KEY") == null ? "none" : env.apply("OPENAI_API_KEY");

    // Your models, as you have them today.
    ChatModel fast = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(key)
        .modelName(orDefault(env.apply("FAST_MODEL"), "gpt-4o-mini")).build();
    ChatModel smart = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(key)
        .modelName(orDefault(env.apply("SMART_MODEL"), "gpt-4o")).build();

    // One routed model in front of them: bundle candidate id -> your model.
    try (HapsChatModel routed = HapsChatModel.builder()
        .candidate("gpt-35-turbo", fast)
        .candidate("gpt-4", smart)
        .costWeight(0.3)
        .build()) {
      ChatResponse r = routed.chat(ChatRequest.builder()
          .messages(UserMessage.from(question)).build());
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      out.println(r.aiMessage().text());
      out.println("-- answered by " + routing.model() + " with " + routing.parameters()
          + ", probabilities " + routing.probabilities());
      return Optional.of(r);
    }
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v;
  }
}
