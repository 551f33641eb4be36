package dev.haps.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.RequestTransformers;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.testing.TestBundles;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * HapsChatModel over Spring AI's real OpenAiChatModel, each candidate served by its own
 * OpenAI-compatible HTTP server on loopback.
 */
class HapsChatModelTest {

  private final SpringBackends backends = new SpringBackends();

  @AfterEach
  void close() {
    backends.close();
  }

  private HapsChatModel.Builder routed() {
    HapsChatModel.Builder b = HapsChatModel.builder().router(backends.router);
    for (String id : backends.servers.keySet()) {
      b.candidate(id, backends.model(id));
    }
    return b;
  }

  private Map<String, String> queriesByChoice(int n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String q = "question " + i + " about topic " + (i * 7 % 13) + " and detail " + i % 5;
      out.put(q, backends.router.route(RouteRequest.of(q, 0.5)).model());
    }
    return out;
  }

  record Lookup(String item) {}

  @Test
  void call_sendsEachPromptToTheChosenModelsEndpoint_withItsGeneratedParameters() {
    Map<String, String> queries = queriesByChoice(40);
    assertThat(queries.values()).contains("gpt-4", "mixtral-8x7b");
    try (HapsChatModel model = routed().build()) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        int before = backends.total();
        ChatResponse r = model.call(new Prompt(List.of(new SystemMessage("Be terse."),
            new UserMessage(q.getKey()))));
        RoutingInfo routing = HapsChatModel.routingOf(r).orElseThrow();
        String chosen = routing.model();
        assertThat(chosen).isEqualTo(q.getValue());
        assertThat(r.getResult().getOutput().getText()).isEqualTo("answer from " + chosen);
        assertThat(r.getMetadata().getUsage().getPromptTokens()).isEqualTo(11);
        assertThat(backends.total()).isEqualTo(before + 1);
        JsonNode wire = backends.server(chosen).lastRequest().json();
        assertThat(wire.path("model").asText()).isEqualTo(SpringBackends.BACKEND_MODEL.get(chosen));
        ParameterValues p = routing.parameters();
        if (p.names().contains("temperature")) {
          assertThat(wire.path("temperature").asDouble()).isEqualTo(p.getDouble("temperature"));
        }
        if (p.names().contains("top_p")) {
          assertThat(wire.path("top_p").asDouble()).isEqualTo(p.getDouble("top_p"));
        }
        if (p.names().contains("max_tokens")) {
          assertThat(wire.path("max_tokens").asLong()).isEqualTo(p.getLong("max_tokens"));
        }
        JsonNode messages = wire.path("messages");
        if (p.names().contains("prompt_style")) {
          assertThat(messages.get(0).path("content").asText()).isEqualTo(
              RequestTransformers.promptStyleTexts().get(p.getString("prompt_style")));
          assertThat(messages).hasSize(3);
        } else {
          assertThat(messages).hasSize(2);
        }
      }
    }
  }

  @Test
  void call_fallsBackToTheNextRankedCandidate_withItsOwnParameters() {
    String query = queriesByChoice(40).entrySet().stream()
        .filter(e -> e.getValue().equals("gpt-4")).findFirst().orElseThrow().getKey();
    backends.server("gpt-4").route("/v1/chat/completions",
        r -> Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    try (HapsChatModel model = routed().build()) {
      ChatResponse r = model.call(new Prompt(query));
      RoutingInfo routing = HapsChatModel.routingOf(r).orElseThrow();
      assertThat(routing.decision().model()).isEqualTo("gpt-4");
      assertThat(routing.fellBack()).isTrue();
      assertThat(routing.model()).isEqualTo(routing.decision().alternatives().get(0).model());
      assertThat(routing.parameters())
          .isEqualTo(routing.decision().alternatives().get(0).parameters());
      assertThat(routing.failures()).singleElement().asString().startsWith("gpt-4: ");
      assertThat(backends.server("gpt-4").requestCount()).isEqualTo(1);
      assertThat(backends.total()).isEqualTo(2);
    }
  }

  @Test
  void call_withTools_neverReachesACandidateDeclaredWithoutTools() {
    Map<String, String> queries = queriesByChoice(40);
    assertThat(queries.values()).contains("mixtral-8x7b");
    var tool = FunctionToolCallback.builder("lookup", (Lookup l) -> "found " + l.item())
        .description("looks an item up").inputType(Lookup.class).build();
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"))
        .candidate("mixtral-8x7b", backends.model("mixtral-8x7b"), Set.of())
        .candidate("claude-instant", backends.model("claude-instant"),
            Set.of(CandidateFeature.TOOLS))
        .build()) {
      for (String q : queries.keySet()) {
        ChatResponse r = model.call(new Prompt(q,
            ToolCallingChatOptions.builder().toolCallbacks(tool).build()));
        assertThat(HapsChatModel.routingOf(r).orElseThrow().model()).isNotEqualTo("mixtral-8x7b");
      }
      assertThat(backends.server("mixtral-8x7b").requestCount()).isZero();
      assertThat(backends.total()).isEqualTo(queries.size());
      String anyTooled = backends.server("gpt-4").requestCount() > 0 ? "gpt-4" : "claude-instant";
      assertThat(backends.server(anyTooled).lastRequest().tools()).hasSize(1);
    }
  }

  @Test
  void call_needingWhatNoCandidateDeclares_failsBeforeAnyCall() {
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"), Set.of(CandidateFeature.TOOLS))
        .build()) {
      OpenAiChatOptions json = OpenAiChatOptions.builder().responseFormat(
          new org.springframework.ai.openai.api.ResponseFormat(
              org.springframework.ai.openai.api.ResponseFormat.Type.JSON_OBJECT, null)).build();
      assertThatThrownBy(() -> model.call(new Prompt("give me json", json)))
          .isInstanceOf(NoEligibleCandidateException.class)
          .hasMessageContaining("JSON_RESPONSE");
      assertThat(backends.total()).isZero();
    }
  }

  @Test
  void call_aCallerOption_winsOverTheRoutedOne_andTheCostWeightComesFromTheOptions() {
    try (HapsChatModel model = routed().costWeight(0.2).build()) {
      HapsChatOptions options = HapsChatOptions.costWeight(0.9);
      options.setTemperature(0.123);
      options.setModel("ignored-model");
      ChatResponse r = model.call(new Prompt("what is the capital of france", options));
      String chosen = HapsChatModel.routingOf(r).orElseThrow().model();
      JsonNode wire = backends.server(chosen).lastRequest().json();
      assertThat(wire.path("temperature").asDouble()).isEqualTo(0.123);
      assertThat(wire.path("model").asText()).isEqualTo(SpringBackends.BACKEND_MODEL.get(chosen));
      assertThat(options.getTemperature()).isEqualTo(0.123); // the caller's object is untouched
      assertThat(((HapsChatOptions) model.getDefaultOptions()).getCostWeight()).isEqualTo(0.2);
    }
  }

  @Test
  void stream_deliversEveryChunkOfTheChosenModel_withTheRouting() {
    String[] deltas = {"The ", "answer ", "is ", "forty", "-two", "."};
    backends.servers.values().forEach(s -> s.chat(r -> ChatAnswer.streamed(deltas)));
    try (HapsChatModel model = routed().build()) {
      List<ChatResponse> chunks = model.stream(new Prompt("what is six times seven"))
          .collectList().block(java.time.Duration.ofSeconds(30));
      StringBuilder text = new StringBuilder();
      for (ChatResponse c : chunks) {
        if (c.getResult() != null && c.getResult().getOutput().getText() != null) {
          text.append(c.getResult().getOutput().getText());
        }
        assertThat(HapsChatModel.routingOf(c)).isPresent();
      }
      assertThat(text.toString()).isEqualTo(String.join("", deltas));
      String chosen = HapsChatModel.routingOf(chunks.get(0)).orElseThrow().model();
      assertThat(backends.server(chosen).lastRequest().stream()).isTrue();
      assertThat(backends.total()).isEqualTo(1);
    }
  }

  @Test
  void stream_aCandidateFailingBeforeItsFirstChunk_fallsBackToTheNext() {
    String query = "what is six times seven";
    String first = backends.router.route(RouteRequest.of(query)).model();
    backends.server(first).route("/v1/chat/completions",
        r -> Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    try (HapsChatModel model = routed().build()) {
      List<ChatResponse> chunks = model.stream(new Prompt(query)).collectList()
          .block(java.time.Duration.ofSeconds(30));
      RoutingInfo routing = HapsChatModel.routingOf(chunks.get(0)).orElseThrow();
      assertThat(routing.fellBack()).isTrue();
      assertThat(routing.failures()).singleElement().asString().startsWith(first + ": ");
    }
  }

  @Test
  void observations_tagTheChosenAndAnsweringModel_andTimeRoutingApartFromTheCall() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    HapsChatModel.Builder b = HapsChatModel.builder().router(backends.router)
        .observationRegistry(registry);
    for (String id : backends.servers.keySet()) {
      b.candidate(id, backends.model(id, registry));
    }
    try (HapsChatModel model = b.build()) {
      ChatResponse r = model.call(new Prompt("name three primes"));
      String chosen = HapsChatModel.routingOf(r).orElseThrow().model();
      TestObservationRegistryAssert.assertThat(registry)
          .hasObservationWithNameEqualTo(HapsObservations.CHAT).that()
          .hasLowCardinalityKeyValue(HapsObservations.ANSWERED_MODEL, chosen)
          .hasLowCardinalityKeyValue(HapsObservations.CHOSEN_MODEL, chosen)
          .hasLowCardinalityKeyValue(HapsObservations.FALLBACK, "false")
          .hasLowCardinalityKeyValue(HapsObservations.SYSTEM, "haps")
          .hasBeenStopped();
      TestObservationRegistryAssert.assertThat(registry)
          .hasObservationWithNameEqualTo(HapsObservations.ROUTING).that()
          .hasLowCardinalityKeyValue(HapsObservations.CHOSEN_MODEL, chosen)
          .hasParentObservationContextMatching(c -> c.getName().equals(HapsObservations.CHAT));
      TestObservationRegistryAssert.assertThat(registry)
          .hasObservationWithNameEqualTo("gen_ai.client.operation").that()
          .hasLowCardinalityKeyValue("gen_ai.request.model",
              SpringBackends.BACKEND_MODEL.get(chosen))
          .hasParentObservationContextMatching(c -> c.getName().equals(HapsObservations.CHAT));
    }
  }

  @Test
  void feedback_appendsOneOutcomeLineForTheAnsweredCall(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("outcomes.jsonl");
    try (HapsChatModel model = routed().feedbackSink(log).build()) {
      ChatResponse r = model.call(new Prompt("how do I reset my password"));
      model.feedback(HapsChatModel.routingOf(r).orElseThrow().callId(), 1.0);
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    assertThat(TestBundles.JSON.readTree(lines.get(0)).path("query").asText())
        .isEqualTo("how do I reset my password");
  }

  @Test
  void build_refusesAModelNoBundleCandidateCovers_withTheWayForward() {
    assertThatThrownBy(() -> HapsChatModel.builder().router(backends.router)
        .candidate("llama-3-70b", backends.model("gpt-4")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[llama-3-70b] is not a candidate of the router bundle")
        .hasMessageContaining("train a bundle that includes them");
  }

  @Test
  void build_refusesTopKForAnOpenAiModel_andReasoningEffortForANonOpenAiOne() {
    try (SpringBackends custom = new SpringBackends(TestBundles.create().candidates(List.of(
        new TestBundles.Cand("openai", "o3-mini", 0.01, 4, "[{\"name\":\"reasoning_effort\","
            + "\"type\":\"categorical\",\"choices\":[\"low\",\"medium\",\"high\"],"
            + "\"default\":\"medium\",\"slot\":0,\"transform\":\"argmax\"},"
            + "{\"name\":\"seed\",\"type\":\"int\",\"min\":1,\"max\":1000,\"default\":7,"
            + "\"slot\":3,\"transform\":\"sigmoid\"}]"),
        new TestBundles.Cand("vllm", "llama", 0.001, 1, "[{\"name\":\"top_k\",\"type\":\"int\","
            + "\"min\":1,\"max\":100,\"default\":40,\"slot\":0,\"transform\":\"sigmoid\"}]"))))) {
      try (HapsChatModel model = HapsChatModel.builder().router(custom.router)
          .candidate("o3-mini", custom.model("o3-mini")).build()) {
        ChatResponse r = model.call(new Prompt("think hard"));
        ParameterValues p = HapsChatModel.routingOf(r).orElseThrow().parameters();
        JsonNode wire = custom.server("o3-mini").lastRequest().json();
        assertThat(wire.path("reasoning_effort").asText())
            .isEqualTo(p.getString("reasoning_effort"));
        assertThat(wire.path("seed").asLong()).isEqualTo(p.getLong("seed"));
      }
      assertThatThrownBy(() -> HapsChatModel.builder().router(custom.router)
          .candidate("llama", custom.model("llama")).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("OpenAI's chat API has no top_k");
      org.springframework.ai.chat.model.ChatModel other = prompt -> {
        throw new UnsupportedOperationException();
      };
      assertThatThrownBy(() -> HapsChatModel.builder().router(custom.router)
          .candidate("o3-mini", other).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("not an OpenAI model");
    }
  }
}
