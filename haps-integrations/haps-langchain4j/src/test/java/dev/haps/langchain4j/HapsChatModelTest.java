package dev.haps.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.RequestTransformers;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.testing.TestBundles;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HapsChatModel over LangChain4j's real OpenAiChatModel, each candidate served by its own
 * OpenAI-compatible HTTP server on loopback.
 */
class HapsChatModelTest {

  private final Backends backends = new Backends();

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

  /** Queries, each with the candidate the router picks for it at cost weight 0.5. */
  private Map<String, String> queriesByChoice(int n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String q = "question " + i + " about topic " + (i * 7 % 13) + " and detail " + i % 5;
      out.put(q, backends.router.delegate.route(RouteRequest.of(q, 0.5)).model());
    }
    return out;
  }

  static ChatRequest user(String text) {
    return ChatRequest.builder().messages(UserMessage.from(text)).build();
  }

  @Test
  void chat_sendsEachRequestToTheChosenModelsEndpoint_withItsGeneratedParameters() {
    Map<String, String> queries = queriesByChoice(40);
    assertThat(queries.values()).contains("gpt-4", "mixtral-8x7b");
    try (HapsChatModel model = routed().build()) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        Map<String, Integer> before = backends.counts();
        ChatResponse r = model.chat(ChatRequest.builder()
            .messages(SystemMessage.from("You are terse."), UserMessage.from(q.getKey()))
            .build());
        RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
        String chosen = routing.model();
        assertThat(chosen).isEqualTo(q.getValue());
        assertThat(r.aiMessage().text()).isEqualTo("answer from " + chosen);
        assertThat(r.metadata().tokenUsage().inputTokenCount()).isEqualTo(11);
        assertThat(routing.probabilities()).containsKey(chosen);
        // only the chosen backend was called, once
        Map<String, Integer> after = backends.counts();
        for (String id : after.keySet()) {
          assertThat(after.get(id) - before.get(id)).as(id).isEqualTo(id.equals(chosen) ? 1 : 0);
        }
        JsonNode wire = backends.server(chosen).lastRequest().json();
        assertThat(wire.path("model").asText()).isEqualTo(Backends.BACKEND_MODEL.get(chosen));
        ParameterValues p = routing.parameters();
        assertThat(p).isEqualTo(routing.decision().parameters());
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
          String prompt = RequestTransformers.promptStyleTexts().get(p.getString("prompt_style"));
          assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
          assertThat(messages.get(0).path("content").asText()).isEqualTo(prompt);
          assertThat(messages).hasSize(3);
        } else {
          assertThat(messages).hasSize(2);
        }
        assertThat(messages.get(messages.size() - 1).path("content").asText())
            .isEqualTo(q.getKey());
      }
    }
  }

  @Test
  void chat_fallsBackToTheNextRankedCandidate_withItsOwnParameters() {
    String query = queriesByChoice(40).entrySet().stream()
        .filter(e -> e.getValue().equals("gpt-4")).findFirst().orElseThrow().getKey();
    backends.server("gpt-4").route("/v1/chat/completions",
        r -> Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    try (HapsChatModel model = routed().build()) {
      ChatResponse r = model.chat(user(query));
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      assertThat(routing.decision().model()).isEqualTo("gpt-4");
      assertThat(routing.fellBack()).isTrue();
      String second = routing.decision().alternatives().get(0).model();
      assertThat(routing.model()).isEqualTo(second);
      assertThat(routing.parameters())
          .isEqualTo(routing.decision().alternatives().get(0).parameters());
      assertThat(routing.failures()).singleElement().asString().startsWith("gpt-4: ");
      assertThat(r.aiMessage().text()).isEqualTo("answer from " + second);
      assertThat(backends.server("gpt-4").requestCount()).isEqualTo(1);
      assertThat(backends.server(second).requestCount()).isEqualTo(1);
    }
  }

  @Test
  void chat_whenEveryCandidateFails_throwsTheLastErrorWithTheEarlierOnesSuppressed() {
    backends.servers.values().forEach(s -> s.route("/v1/chat/completions",
        r -> Reply.json(503, "{\"error\":{\"message\":\"down\"}}")));
    try (HapsChatModel model = routed().maxCandidates(2).build()) {
      assertThatThrownBy(() -> model.chat("what is two plus two"))
          .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
      assertThat(backends.counts().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(2);
    }
  }

  @Test
  void chat_withTools_neverReachesACandidateDeclaredWithoutTools() {
    Map<String, String> queries = queriesByChoice(40);
    assertThat(queries.values()).contains("mixtral-8x7b");
    ToolSpecification tool = ToolSpecification.builder().name("calculator")
        .description("adds numbers").build();
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"))
        .candidate("mixtral-8x7b", backends.model("mixtral-8x7b"), Set.of())
        .candidate("claude-instant", backends.model("claude-instant"),
            Set.of(CandidateFeature.TOOLS))
        .build()) {
      for (String q : queries.keySet()) {
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from(q))
            .toolSpecifications(tool).build());
        assertThat(HapsChatResponseMetadata.routingOf(r).orElseThrow().model())
            .isNotEqualTo("mixtral-8x7b");
      }
      assertThat(backends.server("mixtral-8x7b").requestCount()).isZero();
      int withTools = backends.server("gpt-4").requestCount()
          + backends.server("claude-instant").requestCount();
      assertThat(withTools).isEqualTo(queries.size());
      assertThat(backends.server("gpt-4").requestCount() > 0
          ? backends.server("gpt-4").lastRequest() : backends.server("claude-instant")
              .lastRequest())
          .satisfies(rec -> assertThat(rec.tools()).hasSize(1));
      // without tools, mixtral is routed to as before
      String q = queries.entrySet().stream().filter(e -> e.getValue().equals("mixtral-8x7b"))
          .findFirst().orElseThrow().getKey();
      assertThat(HapsChatResponseMetadata.routingOf(model.chat(ChatRequest.builder()
          .messages(UserMessage.from(q)).build())).orElseThrow().model())
          .isEqualTo("mixtral-8x7b");
    }
  }

  @Test
  void chat_needingWhatNoCandidateDeclares_failsBeforeAnyCall_sayingWhy() {
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"), Set.of(CandidateFeature.TOOLS))
        .candidate("mixtral-8x7b", backends.model("mixtral-8x7b"), Set.of())
        .build()) {
      assertThatThrownBy(() -> model.chat(ChatRequest.builder()
          .messages(UserMessage.from("give me json"))
          .responseFormat(ResponseFormat.JSON).build()))
          .isInstanceOf(NoEligibleCandidateException.class)
          .hasMessageContaining("gpt-4")
          .hasMessageContaining("JSON_RESPONSE")
          .hasMessageContaining("no model is mapped");
      assertThat(backends.counts().values()).containsOnly(0);
    }
  }

  @Test
  void chat_aParameterTheCallerSets_winsOverTheRoutedOne_andTheCostWeightComesFromTheRequest() {
    try (HapsChatModel model = routed().costWeight(0.2).build()) {
      ChatResponse r = model.chat(ChatRequest.builder()
          .messages(UserMessage.from("what is the capital of france"))
          .parameters(HapsChatRequestParameters.builder().costWeight(0.9).temperature(0.123)
              .build())
          .build());
      String chosen = HapsChatResponseMetadata.routingOf(r).orElseThrow().model();
      JsonNode wire = backends.server(chosen).lastRequest().json();
      assertThat(wire.path("temperature").asDouble()).isEqualTo(0.123);
      assertThat(backends.router.requests.get(0).costWeight()).isEqualTo(0.9);
      model.chat("and of spain");
      assertThat(backends.router.requests.get(1).costWeight()).isEqualTo(0.2);
      assertThat(backends.router.requests.get(1).routingText()).isEqualTo("and of spain");
    }
  }

  @Test
  void listeners_ofTheRoutedModelAndOfTheChosenModel_seeTheRealCall() {
    List<ChatRequest> ours = new CopyOnWriteArrayList<>();
    List<ChatResponse> ourResponses = new CopyOnWriteArrayList<>();
    List<ChatRequest> theirs = new CopyOnWriteArrayList<>();
    ChatModelListener own = new ChatModelListener() {
      @Override
      public void onRequest(ChatModelRequestContext c) {
        ours.add(c.chatRequest());
      }

      @Override
      public void onResponse(ChatModelResponseContext c) {
        ourResponses.add(c.chatResponse());
      }
    };
    ChatModelListener candidate = new ChatModelListener() {
      @Override
      public void onRequest(ChatModelRequestContext c) {
        theirs.add(c.chatRequest());
      }
    };
    HapsChatModel.Builder b = HapsChatModel.builder().router(backends.router)
        .listeners(List.of(own));
    for (String id : backends.servers.keySet()) {
      b.candidate(id, backends.model(id, candidate));
    }
    try (HapsChatModel model = b.build()) {
      ChatResponse r = model.chat(user("name three primes"));
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      assertThat(ours).hasSize(1);
      assertThat(theirs).hasSize(1);
      assertThat(ours.get(0).modelName())
          .isEqualTo(Backends.BACKEND_MODEL.get(routing.model()))
          .isEqualTo(theirs.get(0).modelName());
      assertThat(ours.get(0).parameters()).isEqualTo(theirs.get(0).parameters());
      assertThat(ours.get(0).messages()).isEqualTo(theirs.get(0).messages());
      assertThat(ourResponses).containsExactly(r);
    }
  }

  @Test
  void feedback_appendsOneOutcomeLineForTheAnsweredCall(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("fb/outcomes.jsonl");
    try (HapsChatModel model = routed().feedbackSink(log).feedbackTask("support").build()) {
      ChatResponse r = model.chat(user("how do I reset my password"));
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      model.feedback(routing.callId(), 0.75);
      assertThatThrownBy(() -> model.feedback(routing.callId(), 1.0))
          .hasMessageContaining("already reported");
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    JsonNode line = TestBundles.JSON.readTree(lines.get(0));
    assertThat(line.path("query").asText()).isEqualTo("how do I reset my password");
    assertThat(line.path("task").asText()).isEqualTo("support");
    assertThat(line.toString()).contains("0.75");
  }

  @Test
  void feedback_withoutASink_isRefusedSayingWhereToSetOne() {
    try (HapsChatModel model = routed().build()) {
      String id = HapsChatResponseMetadata.routingOf(model.chat(ChatRequest.builder()
          .messages(UserMessage.from("hello there")).build())).orElseThrow().callId();
      assertThatThrownBy(() -> model.feedback(id, 1.0))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("feedbackSink(path)");
    }
  }

  @Test
  void build_refusesAModelNoBundleCandidateCovers_withTheWayForward() {
    assertThatThrownBy(() -> HapsChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.model("gpt-4"))
        .candidate("llama-3-70b", backends.model("gpt-4"))
        .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[llama-3-70b] is not a candidate of the router bundle")
        .hasMessageContaining("[gpt-4, mixtral-8x7b, claude-instant]")
        .hasMessageContaining("train a bundle that includes them");
  }

  @Test
  void unmappedCandidates_areNeverChosen() {
    Map<String, String> queries = queriesByChoice(20);
    try (HapsChatModel model = HapsChatModel.builder().router(backends.router)
        .candidate("claude-instant", backends.model("claude-instant")).build()) {
      for (String q : queries.keySet()) {
        model.chat(q);
      }
      assertThat(backends.server("claude-instant").requestCount()).isEqualTo(queries.size());
      assertThat(backends.router.requests).allSatisfy(r ->
          assertThat(r.deniedModels()).containsExactlyInAnyOrder("gpt-4", "mixtral-8x7b"));
    }
  }

  @Test
  void build_refusesAGeneratedParameterNoApplierKnows_untilOneIsRegistered() {
    try (Backends custom = new Backends(TestBundles.create().candidates(List.of(
        new TestBundles.Cand("openai", "gpt-4", 0.06, 2, "[{\"name\":\"persona\","
            + "\"type\":\"categorical\",\"choices\":[\"pirate\",\"poet\"],\"default\":\"poet\","
            + "\"slot\":0,\"transform\":\"argmax\"}]"),
        new TestBundles.Cand("openai", "mixtral-8x7b", 0.001, 0, "[]"))))) {
      assertThatThrownBy(() -> HapsChatModel.builder().router(custom.router)
          .candidate("gpt-4", custom.model("gpt-4")).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("[persona]")
          .hasMessageContaining("parameter(name, applier)");
      try (HapsChatModel model = HapsChatModel.builder().router(custom.router)
          .candidate("gpt-4", custom.model("gpt-4"))
          .parameter("persona", (request, value) -> {
            List<dev.langchain4j.data.message.ChatMessage> m = new ArrayList<>();
            m.add(SystemMessage.from("Speak like a " + value + "."));
            m.addAll(request.messages());
            return ChatRequest.builder().messages(m).parameters(request.parameters()).build();
          })
          .build()) {
        ChatResponse r = model.chat(user("hello"));
        String persona = HapsChatResponseMetadata.routingOf(r).orElseThrow().parameters()
            .getString("persona");
        assertThat(custom.server("gpt-4").lastRequest().json().path("messages").get(0)
            .path("content").asText()).isEqualTo("Speak like a " + persona + ".");
      }
    }
  }

  @Test
  void reasoningEffort_goesThroughOpenAiParameters_andIsRefusedForANonOpenAiModel() {
    try (Backends custom = new Backends(TestBundles.create().candidates(List.of(
        new TestBundles.Cand("openai", "o3-mini", 0.01, 4, "[{\"name\":\"reasoning_effort\","
            + "\"type\":\"categorical\",\"choices\":[\"low\",\"medium\",\"high\"],"
            + "\"default\":\"medium\",\"slot\":0,\"transform\":\"argmax\"},"
            + "{\"name\":\"seed\",\"type\":\"int\",\"min\":1,\"max\":1000,\"default\":7,"
            + "\"slot\":3,\"transform\":\"sigmoid\"}]"),
        new TestBundles.Cand("openai", "mixtral-8x7b", 0.001, 0, "[]"))))) {
      try (HapsChatModel model = HapsChatModel.builder().router(custom.router)
          .candidate("o3-mini", custom.model("o3-mini")).build()) {
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("think"))
            .parameters(OpenAiChatRequestParameters.builder().user("u-1").build()).build());
        ParameterValues p = HapsChatResponseMetadata.routingOf(r).orElseThrow().parameters();
        JsonNode wire = custom.server("o3-mini").lastRequest().json();
        assertThat(wire.path("reasoning_effort").asText())
            .isEqualTo(p.getString("reasoning_effort"));
        assertThat(wire.path("seed").asLong()).isEqualTo(p.getLong("seed"));
        assertThat(wire.path("user").asText()).isEqualTo("u-1");
        assertThat(wire.path("model").asText()).isEqualTo("o3-mini");
      }
      dev.langchain4j.model.chat.ChatModel notOpenAi = new dev.langchain4j.model.chat.ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
          throw new UnsupportedOperationException();
        }
      };
      assertThatThrownBy(() -> HapsChatModel.builder().router(custom.router)
          .candidate("o3-mini", notOpenAi).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("'reasoning_effort' of candidate 'o3-mini' is OpenAI-specific")
          .hasMessageContaining("not an OpenAI model");
    }
  }

  @Test
  void builder_refusesAnOptionSetTwice_andABadCostWeight() {
    assertThatThrownBy(() -> HapsChatModel.builder().costWeight(0.1).costWeight(0.2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("costWeight");
    assertThatThrownBy(() -> HapsChatModel.builder().costWeight(1.5))
        .hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> HapsChatModel.builder()
        .candidate("gpt-4", backends.model("gpt-4")).candidate("gpt-4", backends.model("gpt-4")))
        .hasMessageContaining("already has a model");
  }

  @Test
  void closedModel_refusesCalls() {
    HapsChatModel model = routed().build();
    model.close();
    model.close();
    assertThatThrownBy(() -> model.chat("hi")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void server_isOnlyLoopback() {
    assertThat(backends.servers.values()).allSatisfy(
        (LoopbackServer s) -> assertThat(s.url().getHost()).isEqualTo("127.0.0.1"));
  }
}
