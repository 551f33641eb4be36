package dev.haps.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteRequest;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HapsStreamingChatModel over LangChain4j's real OpenAiStreamingChatModel on loopback. */
class HapsStreamingChatModelTest {

  private final Backends backends = new Backends();

  @AfterEach
  void close() {
    backends.close();
  }

  private HapsStreamingChatModel routed() {
    HapsStreamingChatModel.Builder b = HapsStreamingChatModel.builder().router(backends.router);
    for (String id : backends.servers.keySet()) {
      b.candidate(id, backends.streamingModel(id));
    }
    return b.build();
  }

  /** Collects a stream. */
  static final class Collector implements StreamingChatResponseHandler {
    final List<String> tokens = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partialResponse) {
      tokens.add(partialResponse);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      done.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    ChatResponse await() throws Exception {
      return done.get(30, TimeUnit.SECONDS);
    }
  }

  private static ChatRequest user(String text) {
    return ChatRequest.builder().messages(UserMessage.from(text)).build();
  }

  @Test
  void stream_deliversEveryTokenOfTheChosenModel_andTheDecision() throws Exception {
    String[] deltas = {"The ", "answer ", "is ", "forty", "-two", "."};
    backends.servers.values().forEach(s -> s.chat(r -> ChatAnswer.streamed(deltas)));
    try (HapsStreamingChatModel model = routed()) {
      Collector c = new Collector();
      model.chat(user("what is six times seven"), c);
      ChatResponse r = c.await();
      assertThat(c.tokens).containsExactly(deltas);
      assertThat(r.aiMessage().text()).isEqualTo(String.join("", deltas));
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      assertThat(routing.model()).isEqualTo(backends.router.delegate
          .route(RouteRequest.of("what is six times seven")).model());
      assertThat(backends.server(routing.model()).lastRequest().stream()).isTrue();
      assertThat(backends.counts().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(1);
    }
  }

  @Test
  void stream_aCandidateFailingBeforeAnyToken_fallsBackToTheNext() throws Exception {
    String query = "what is six times seven";
    String first = backends.router.delegate.route(RouteRequest.of(query)).model();
    backends.server(first).route("/v1/chat/completions",
        r -> Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    try (HapsStreamingChatModel model = routed()) {
      Collector c = new Collector();
      model.chat(user(query), c);
      ChatResponse r = c.await();
      RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
      assertThat(routing.fellBack()).isTrue();
      assertThat(routing.failures()).singleElement().asString().startsWith(first + ": ");
      assertThat(String.join("", c.tokens)).isEqualTo("answer from " + routing.model());
    }
  }

  @Test
  void stream_aStreamCutAfterTokens_endsWithOnError_withoutFallback() throws Exception {
    String query = "what is six times seven";
    String first = backends.router.delegate.route(RouteRequest.of(query)).model();
    backends.server(first).enqueue(Reply.eventsThenDrop(
        "data: {\"id\":\"1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hal\"},"
            + "\"finish_reason\":null}]}\n\n"));
    try (HapsStreamingChatModel model = routed()) {
      Collector c = new Collector();
      model.chat(user(query), c);
      assertThat(c.done).failsWithin(30, TimeUnit.SECONDS);
      assertThat(c.tokens).containsExactly("Hal");
      assertThat(backends.counts().values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(1);
    }
  }

  @Test
  void stream_withTools_neverReachesACandidateDeclaredWithoutTools() throws Exception {
    ToolSpecification tool = ToolSpecification.builder().name("lookup").build();
    try (HapsStreamingChatModel model = HapsStreamingChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.streamingModel("gpt-4"), Set.of())
        .candidate("mixtral-8x7b", backends.streamingModel("mixtral-8x7b"), Set.of())
        .candidate("claude-instant", backends.streamingModel("claude-instant"),
            Set.of(CandidateFeature.TOOLS))
        .build()) {
      for (int i = 0; i < 10; i++) {
        Collector c = new Collector();
        model.chat(ChatRequest.builder().messages(UserMessage.from("look up item " + i))
            .toolSpecifications(tool).build(), c);
        assertThat(HapsChatResponseMetadata.routingOf(c.await()).orElseThrow().model())
            .isEqualTo("claude-instant");
      }
      assertThat(backends.server("gpt-4").requestCount()).isZero();
      assertThat(backends.server("mixtral-8x7b").requestCount()).isZero();
      assertThat(backends.server("claude-instant").lastRequest().tools()).hasSize(1);
    }
  }

  @Test
  void stream_routingErrors_arriveThroughOnError() {
    try (HapsStreamingChatModel model = HapsStreamingChatModel.builder().router(backends.router)
        .candidate("gpt-4", backends.streamingModel("gpt-4"), Set.of()).build()) {
      Collector c = new Collector();
      model.chat(ChatRequest.builder().messages(UserMessage.from("x"))
          .toolSpecifications(ToolSpecification.builder().name("t").build()).build(), c);
      assertThat(c.done).failsWithin(1, TimeUnit.SECONDS).withThrowableThat()
          .havingRootCause().isInstanceOf(NoEligibleCandidateException.class);
    }
  }
}
