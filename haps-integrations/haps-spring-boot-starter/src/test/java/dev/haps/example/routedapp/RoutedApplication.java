package dev.haps.example.routedapp;

import io.micrometer.observation.tck.TestObservationRegistry;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application as a user writes it: two OpenAI chat models of its own, a ChatClient
 * from the auto-configured builder, and nothing about HAPS but the starter on the class path and
 * {@code haps.*} in application.properties.
 */
@SpringBootApplication
public class RoutedApplication {

  @Bean
  OpenAiChatModel fastModel(@Value("${app.fast.base-url}") String url,
      TestObservationRegistry observations) {
    return model(url, "fast-model", observations);
  }

  @Bean
  OpenAiChatModel smartModel(@Value("${app.smart.base-url}") String url,
      TestObservationRegistry observations) {
    return model(url, "smart-model", observations);
  }

  @Bean
  ChatClient chatClient(ChatClient.Builder builder) {
    return builder.build();
  }

  /** Stands in for the registry Spring Boot Actuator would provide. */
  @Bean
  TestObservationRegistry observationRegistry() {
    return TestObservationRegistry.create();
  }

  private static OpenAiChatModel model(String url, String name,
      TestObservationRegistry observations) {
    return OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(url).apiKey("test-key").build())
        .defaultOptions(OpenAiChatOptions.builder().model(name).build())
        .observationRegistry(observations)
        .build();
  }
}
