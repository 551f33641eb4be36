package dev.haps.example.routedapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.client.RequestTransformers;
import dev.haps.springai.HapsChatModel;
import dev.haps.springai.HapsObservations;
import dev.haps.springai.RoutingInfo;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter end to end: the application starts with only the starter, two OpenAI ChatModel
 * beans and application.properties; its injected ChatClient's calls are routed by the bundled
 * router to the two models' OpenAI-compatible servers on loopback.
 */
@SpringBootTest(classes = RoutedApplication.class)
class RoutedApplicationTest {

  static final LoopbackServer FAST = LoopbackServer.start()
      .chat(r -> ChatAnswer.of("fast answer").usage(20, 2));
  static final LoopbackServer SMART = LoopbackServer.start()
      .chat(r -> ChatAnswer.of("smart answer").usage(20, 9));
  static final Map<String, LoopbackServer> BY_CANDIDATE =
      Map.of("gpt-35-turbo", FAST, "gpt-4", SMART);
  static final Map<String, String> MODEL_NAME =
      Map.of("gpt-35-turbo", "fast-model", "gpt-4", "smart-model");

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    registry.add("app.fast.base-url", () -> FAST.url(""));
    registry.add("app.smart.base-url", () -> SMART.url(""));
  }

  @AfterAll
  static void stop() {
    FAST.close();
    SMART.close();
  }

  @Autowired
  ChatClient chatClient;

  @Autowired
  ChatModel primary;

  @Autowired
  TestObservationRegistry observations;

  @Test
  void theInjectedChatClientsCalls_areRoutedToTheApplicationsOwnModels() throws Exception {
    assertThat(primary).isInstanceOf(HapsChatModel.class);
    String[] questions = {
        "A trader sold an article at a profit of 20% for Rs.360. What is the cost price?",
        "What is the capital of France?",
        "Prove that the square root of 2 is irrational.",
        "If 3 pencils cost 45 cents, how much do 7 pencils cost?"};
    for (String q : questions) {
      int before = FAST.requestCount() + SMART.requestCount();
      ChatResponse r = chatClient.prompt().user(q).call().chatResponse();
      RoutingInfo routing = HapsChatModel.routingOf(r).orElseThrow();
      String chosen = routing.model();
      assertThat(chosen).isIn("gpt-35-turbo", "gpt-4");
      assertThat(r.getResult().getOutput().getText())
          .isEqualTo(chosen.equals("gpt-4") ? "smart answer" : "fast answer");
      assertThat(FAST.requestCount() + SMART.requestCount()).isEqualTo(before + 1);
      JsonNode wire = BY_CANDIDATE.get(chosen).lastRequest().json();
      assertThat(wire.path("model").asText()).isEqualTo(MODEL_NAME.get(chosen));
      String style = routing.parameters().getString("prompt_style");
      assertThat(wire.path("messages").get(0).path("content").asText())
          .isEqualTo(RequestTransformers.promptStyleTexts().get(style));
      assertThat(wire.path("messages").get(1).path("content").asText()).isEqualTo(q);
    }
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(HapsObservations.CHAT).that()
        .hasLowCardinalityKeyValueWithKey(HapsObservations.ANSWERED_MODEL);
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(HapsObservations.ROUTING);
  }

  @Test
  void feedback_goesToTheConfiguredLog() throws Exception {
    ChatResponse r = chatClient.prompt().user("How many legs does a spider have?").call()
        .chatResponse();
    ((HapsChatModel) primary).feedback(HapsChatModel.routingOf(r).orElseThrow().callId(), 1.0);
    assertThat(Files.readString(Path.of("target/routed-app/outcomes.jsonl")))
        .contains("How many legs does a spider have?");
  }
}
