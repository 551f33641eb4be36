package dev.haps.examples.springai;

import dev.haps.springai.HapsChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Existing Spring AI models in, a routed {@code ChatClient} out. The application defines its two
 * OpenAI {@code ChatModel} beans as it would anyway; with {@code haps-spring-boot-starter} on the
 * class path and the {@code haps.*} lines of {@code application.properties}, the auto-configured
 * {@code ChatClient.Builder} builds on the routed model.
 *
 * <pre>{@code
 * export OPENAI_BASE_URL=https://api.openai.com OPENAI_API_KEY=sk-...
 * java -cp ... dev.haps.examples.springai.RoutedSpringAiApplication "Why is the sky blue?"
 * }</pre>
 *
 * <p>Spring AI's base URL is the API host without {@code /v1}. With {@code OPENAI_BASE_URL}
 * unset it prints what to set and exits normally.
 *
 * @since 0.1.0
 */
@SpringBootApplication
public class RoutedSpringAiApplication {

  /**
   * Starts the application and asks one question.
   *
   * @param args optionally the question
   */
  public static void main(String[] args) {
    if (System.getenv("OPENAI_BASE_URL") == null) {
      System.out.println("RoutedSpringAiApplication: skipped, OPENAI_BASE_URL is not set. Set it"
          + " (and OPENAI_API_KEY, FAST_MODEL, SMART_MODEL) to route between two of your models.");
      return;
    }
    SpringApplication.run(RoutedSpringAiApplication.class, args).close();
  }

  @Bean
  OpenAiChatModel fastModel(@Value("${app.base-url}") String url,
      @Value("${app.api-key}") String key, @Value("${app.fast-model}") String model) {
    return openAi(url, key, model);
  }

  @Bean
  OpenAiChatModel smartModel(@Value("${app.base-url}") String url,
      @Value("${app.api-key}") String key, @Value("${app.smart-model}") String model) {
    return openAi(url, key, model);
  }

  @Bean
  CommandLineRunner ask(ChatClient.Builder chatClientBuilder) {
    ChatClient chatClient = chatClientBuilder.build();   // built on the routed model
    return args -> {
      String question = args.length > 0 ? args[0] : "Why is the sky blue?";
      ChatResponse r = chatClient.prompt().user(question).call().chatResponse();
      System.out.println(r.getResult().getOutput().getText());
      HapsChatModel.routingOf(r).ifPresent(routing -> System.out.println("-- answered by "
          + routing.model() + " with " + routing.parameters()));
    };
  }

  private static OpenAiChatModel openAi(String url, String key, String model) {
    return OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(url).apiKey(key).build())
        .defaultOptions(OpenAiChatOptions.builder().model(model).build())
        .build();
  }
}
