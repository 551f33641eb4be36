package dev.haps.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.langchain4j.HapsChatResponseMetadata;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutedLangChain4jTest {

  @Test
  void routesTheQuestionToOneOfTheTwoModels() {
    try (LoopbackServer server = LoopbackServer.start()
        .chat(r -> ChatAnswer.of("answer from " + r.model()))) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      Map<String, String> env = Map.of("OPENAI_BASE_URL", server.url("/v1"),
          "FAST_MODEL", "small", "SMART_MODEL", "large");
      ChatResponse r = RoutedLangChain4j.run(new PrintStream(buf, true, StandardCharsets.UTF_8),
          env::get, "What is 17 times 23?").orElseThrow();
      String chosen = HapsChatResponseMetadata.routingOf(r).orElseThrow().model();
      assertThat(server.lastRequest().model())
          .isEqualTo(chosen.equals("gpt-4") ? "large" : "small");
      assertThat(buf.toString(StandardCharsets.UTF_8)).contains("-- answered by " + chosen);
    }
  }

  @Test
  void withoutAnEndpoint_saysWhatToSet() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(RoutedLangChain4j.run(new PrintStream(buf, true, StandardCharsets.UTF_8),
        name -> null, "q")).isEmpty();
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("OPENAI_BASE_URL is not set");
  }
}
