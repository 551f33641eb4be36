package dev.haps.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.testing.ChatAnswer;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.service.AiServices;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An AI service with a tool, unchanged but for the model it is given: both rounds of the tool
 * loop are routed, and only to candidates declared with tools.
 */
class AiServicesTest {

  private final Backends backends = new Backends();

  @AfterEach
  void close() {
    backends.close();
  }

  interface Assistant {
    String answer(String question);
  }

  static final class Calculator {
    final AtomicInteger calls = new AtomicInteger();

    @Tool("multiplies two numbers")
    long multiply(@P(name = "a", value = "first factor") long a,
        @P(name = "b", value = "second factor") long b) {
      calls.incrementAndGet();
      return a * b;
    }
  }

  @Test
  void aToolCallingAiService_isRoutedOnBothRounds_toCandidatesWithTools() {
    // Each backend asks for the tool first, then answers with the tool's result.
    backends.servers.values().forEach(s -> s.chat(r -> {
      boolean toolResult = false;
      for (var m : r.json().path("messages")) {
        toolResult |= m.path("role").asText().equals("tool");
      }
      if (toolResult) {
        return ChatAnswer.of("17 times 23 is 391");
      }
      return ChatAnswer.of("").toolCall("call_1", "multiply", "{\"a\":17,\"b\":23}");
    }));
    Calculator calculator = new Calculator();
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"))
        .candidate("mixtral-8x7b", backends.model("mixtral-8x7b"), Set.of())
        .candidate("claude-instant", backends.model("claude-instant"),
            Set.of(CandidateFeature.TOOLS))
        .build()) {
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
          .tools(calculator).build();
      assertThat(assistant.answer("What is 17 times 23?")).isEqualTo("17 times 23 is 391");
    }
    assertThat(calculator.calls).hasValue(1);
    assertThat(backends.server("mixtral-8x7b").requestCount()).isZero();
    assertThat(backends.router.requests).hasSize(2)
        .allSatisfy(r -> assertThat(r.routingText()).isEqualTo("What is 17 times 23?"))
        .allSatisfy(r -> assertThat(r.deniedModels()).containsExactly("mixtral-8x7b"));
    int served = backends.server("gpt-4").requestCount()
        + backends.server("claude-instant").requestCount();
    assertThat(served).isEqualTo(2);
  }
}
