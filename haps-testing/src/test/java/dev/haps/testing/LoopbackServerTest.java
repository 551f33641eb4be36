package dev.haps.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.testing.LoopbackServer.Recorded;
import dev.haps.testing.LoopbackServer.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopbackServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-test-LOOPBACK-0123";

  private final LoopbackServer server = LoopbackServer.start();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body, Duration.ofSeconds(10));
  }

  private HttpResponse<String> post(String path, String body, Duration timeout)
      throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url(path)))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
        .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String chatRequest(boolean stream, String extra) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        + (stream ? ",\"stream\":true" : "") + extra + "}";
  }

  /** The data lines of an event stream, in order. */
  private static List<String> data(String sse) {
    List<String> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        out.add(line.substring(6));
      }
    }
    return out;
  }

  @Test
  void enqueue_servesRepliesInOrderAndRecordsEachRequest() throws Exception {
    server.enqueue(Reply.json(429, "{\"error\":{}}").header("Retry-After", "1"))
        .enqueue(Reply.json(200, "{\"ok\":true}"));
    HttpResponse<String> first = post("/v1/x?debug=1", "{\"q\":1}");
    HttpResponse<String> second = post("/v1/y", "{\"q\":2}");

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).contains("1");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("{\"ok\":true}");
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.requestCount("/v1/x")).isEqualTo(1);
    Recorded r = server.requests().get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/x");
    assertThat(r.header("AUTHORIZATION")).isEqualTo("Bearer " + KEY);
    assertThat(r.json().path("q").asInt()).isEqualTo(1);
    assertThat(r.fault()).isEqualTo(Fault.OK);
    assertThat(server.lastRequest().path()).isEqualTo("/v1/y");
    assertThat(r.toString()).doesNotContain(KEY).contains("POST /v1/x");
  }

  @Test
  void nothingScripted_answers500SayingSo() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", chatRequest(false, ""));
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("no reply scripted");
    assertThat(server.lastRequest().model()).isEqualTo("gpt-4o");
  }

  @Test
  void route_answersItsPathBeforeTheChatBackend() throws Exception {
    server.chat(req -> ChatAnswer.of("chat"))
        .route("/v1/chat/completions", req -> Reply.json(202, "{\"routed\":true}"))
        .route("/v1/embeddings", req -> Reply.json(200, "{\"data\":[]}"));
    assertThat(post("/v1/chat/completions", chatRequest(false, "")).statusCode()).isEqualTo(202);
    assertThat(post("/v1/embeddings", "{}").body()).isEqualTo("{\"data\":[]}");
    assertThatThrownBy(() -> server.route("v1", req -> Reply.drop()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with '/'");
  }

  @Test
  void chat_openAiJson_carriesTextUsageDetailsAndToolCalls_andRecordsToolsAndFormat()
      throws Exception {
    server.chat(req -> ChatAnswer.of("four").usage(12, 3).reasoningTokens(2).cachedTokens(5)
        .toolCall("call_1", "calculator", "{\"expr\":\"2+2\"}"));
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"calculator\"}}],"
        + "\"response_format\":{\"type\":\"json_object\"}";
    JsonNode answer = JSON.readTree(post("/v1/chat/completions", chatRequest(false, tools))
        .body());

    assertThat(answer.path("model").asText()).isEqualTo("gpt-4o");
    JsonNode choice = answer.path("choices").path(0);
    assertThat(choice.path("message").path("content").asText()).isEqualTo("four");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode call = choice.path("message").path("tool_calls").path(0);
    assertThat(call.path("id").asText()).isEqualTo("call_1");
    assertThat(call.path("function").path("name").asText()).isEqualTo("calculator");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"expr\":\"2+2\"}");
    JsonNode usage = answer.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(15);
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
        .isEqualTo(2);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(5);

    Recorded r = server.lastRequest();
    assertThat(r.stream()).isFalse();
    assertThat(r.tools()).hasSize(1);
    assertThat(r.tools().path(0).path("function").path("name").asText()).isEqualTo("calculator");
    assertThat(r.responseFormat().path("type").asText()).isEqualTo("json_object");
  }

  @Test
  void chat_openAiJson_leavesUnsetDetailsOut() throws Exception {
    server.chat(req -> ChatAnswer.of("hi").model("gpt-4o-2024-08-06").finishReason("length"));
    JsonNode answer = JSON.readTree(post("/v1/chat/completions", chatRequest(false, "")).body());
    assertThat(answer.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(answer.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(answer.path("usage").has("completion_tokens_details")).isFalse();
    assertThat(answer.path("usage").has("prompt_tokens_details")).isFalse();
    assertThat(server.lastRequest().tools().isMissingNode()).isTrue();
  }

  @Test
  void chat_openAiStream_deltasThenFinishThenUsageWhenAskedThenDone() throws Exception {
    server.chat(req -> ChatAnswer.streamed("o", "k").usage(2, 1).reasoningTokens(0));
    List<String> withUsage = data(post("/v1/chat/completions",
        chatRequest(true, ",\"stream_options\":{\"include_usage\":true}")).body());
    List<String> without = data(post("/v1/chat/completions", chatRequest(true, "")).body());

    StringBuilder text = new StringBuilder();
    JsonNode usage = null;
    String finish = null;
    for (String d : withUsage.subList(0, withUsage.size() - 1)) {
      JsonNode chunk = JSON.readTree(d);
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      JsonNode choice = chunk.path("choices").path(0);
      text.append(choice.path("delta").path("content").asText(""));
      if (choice.path("finish_reason").isTextual()) {
        finish = choice.path("finish_reason").asText();
      }
      if (chunk.path("usage").isObject()) {
        usage = chunk.path("usage");
        assertThat(chunk.path("choices")).isEmpty();
      }
    }
    assertThat(text.toString()).isEqualTo("ok");
    assertThat(finish).isEqualTo("stop");
    assertThat(usage).isNotNull();
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
        .isZero();
    assertThat(withUsage.get(withUsage.size() - 1)).isEqualTo("[DONE]");
    assertThat(without).hasSize(withUsage.size() - 1).noneMatch(d -> d.contains("\"usage\""));
    assertThat(server.lastRequest().stream()).isTrue();
  }

  @Test
  void chat_openAiStream_withToolCall_streamsItAndFinishesWithToolCalls() throws Exception {
    server.chat(req -> ChatAnswer.of("").toolCall("c1", "search", "{\"q\":\"x\"}"));
    List<String> events = data(post("/v1/chat/completions", chatRequest(true, "")).body());
    assertThat(events).anySatisfy(d -> {
      JsonNode call = JSON.readTree(d).path("choices").path(0).path("delta").path("tool_calls")
          .path(0);
      assertThat(call.path("index").asInt()).isZero();
      assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"q\":\"x\"}");
    });
    assertThat(events.get(events.size() - 2)).contains("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void chat_anthropicJson_hasTextAndToolUseBlocksAndUsage() throws Exception {
    server.chat(req -> ChatAnswer.of("Paris").usage(9, 4).cachedTokens(3)
        .toolCall("tu_1", "lookup", "{\"city\":\"Paris\"}"));
    JsonNode answer = JSON.readTree(post("/v1/messages",
        "{\"model\":\"claude-x\",\"max_tokens\":10,\"messages\":[]}").body());
    assertThat(answer.path("type").asText()).isEqualTo("message");
    assertThat(answer.path("model").asText()).isEqualTo("claude-x");
    assertThat(answer.path("content").path(0).path("text").asText()).isEqualTo("Paris");
    assertThat(answer.path("content").path(1).path("type").asText()).isEqualTo("tool_use");
    assertThat(answer.path("content").path(1).path("input").path("city").asText())
        .isEqualTo("Paris");
    assertThat(answer.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(answer.path("usage").path("input_tokens").asInt()).isEqualTo(9);
    assertThat(answer.path("usage").path("output_tokens").asInt()).isEqualTo(4);
    assertThat(answer.path("usage").path("cache_read_input_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void chat_anthropicStream_followsTheMessagesEventSequence() throws Exception {
    server.chat(req -> ChatAnswer.of("a b").usage(5, 2));
    String body = post("/v1/messages",
        "{\"model\":\"claude-x\",\"stream\":true,\"messages\":[]}").body();
    List<String> names = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("event: ")) {
        names.add(line.substring(7));
      }
    }
    assertThat(names).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop");
    StringBuilder text = new StringBuilder();
    int output = -1;
    for (String d : data(body)) {
      JsonNode e = JSON.readTree(d);
      if (e.path("delta").path("type").asText().equals("text_delta")) {
        text.append(e.path("delta").path("text").asText());
      }
      if (e.path("type").asText().equals("message_delta")) {
        output = e.path("usage").path("output_tokens").asInt();
        assertThat(e.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
      }
    }
    assertThat(text.toString()).isEqualTo("a b");
    assertThat(output).isEqualTo(2);
  }

  @Test
  void models_listsIdsInAShapeBothClientsRead() throws Exception {
    server.models("gpt-4o", "gpt-4o-mini");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
        URI.create(server.url("/v1/models"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode list = JSON.readTree(r.body());
    assertThat(list.path("data")).extracting(n -> n.path("id").asText())
        .containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(list.path("data").path(0).path("object").asText()).isEqualTo("model");
    assertThat(list.path("data").path(0).path("type").asText()).isEqualTo("model");
    assertThat(server.lastRequest().method()).isEqualTo("GET");
  }

  @Test
  void faults_sameSeed_sameSequenceRecordedAndCounted() throws Exception {
    FaultPlan plan = FaultPlan.builder().seed(7).weight(Fault.OK, 2)
        .weight(Fault.SERVER_500, 1).weight(Fault.RATE_LIMITED, 1).build();
    server.chat(req -> ChatAnswer.of("ok")).faults(plan);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(post("/v1/chat/completions", chatRequest(false, "")).statusCode());
    }
    List<Fault> faults = server.requests().stream().map(Recorded::fault).toList();
    for (int i = 0; i < faults.size(); i++) {
      int expected = switch (faults.get(i)) {
        case OK -> 200;
        case SERVER_500 -> 500;
        case RATE_LIMITED -> 429;
        default -> throw new AssertionError(faults.get(i));
      };
      assertThat(statuses.get(i)).isEqualTo(expected);
    }
    assertThat(faults).contains(Fault.OK, Fault.SERVER_500, Fault.RATE_LIMITED);
    Map<Fault, Integer> counts = server.faultCounts();
    assertThat(counts.get(Fault.OK) + counts.get(Fault.SERVER_500)
        + counts.get(Fault.RATE_LIMITED)).isEqualTo(40);

    try (LoopbackServer again = LoopbackServer.start()) {
      again.chat(req -> ChatAnswer.of("ok")).faults(plan);
      for (int i = 0; i < 40; i++) {
        client.send(HttpRequest.newBuilder(URI.create(again.url("/v1/chat/completions")))
            .POST(HttpRequest.BodyPublishers.ofString(chatRequest(false, ""))).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      assertThat(again.requests().stream().map(Recorded::fault).toList()).isEqualTo(faults);
    }
  }

  @Test
  void faults_forcing_overridesTheDrawButKeepsTheSequence() throws Exception {
    FaultPlan.Builder b = FaultPlan.builder().seed(3).weight(Fault.OK, 1)
        .weight(Fault.SERVER_503, 1);
    server.chat(req -> ChatAnswer.of("ok")).faults(b.build());
    for (int i = 0; i < 10; i++) {
      post("/v1/chat/completions", chatRequest(false, ",\"n\":" + i));
    }
    List<Fault> drawn = server.requests().stream().map(Recorded::fault).toList();
    server.clearRequests().faults(b.forcing(r -> r.json().path("n").asInt() == 4
        ? Optional.of(Fault.AUTH_ECHOING_KEY) : Optional.empty()).echoedKey(KEY).build());
    for (int i = 0; i < 10; i++) {
      post("/v1/chat/completions", chatRequest(false, ",\"n\":" + i));
    }
    List<Fault> forced = server.requests().stream().map(Recorded::fault).toList();
    for (int i = 0; i < 10; i++) {
      assertThat(forced.get(i)).isEqualTo(i == 4 ? Fault.AUTH_ECHOING_KEY : drawn.get(i));
    }
  }

  /** What a plain HTTP client sees of one fault. */
  private String seen(Fault fault, boolean stream) {
    try (LoopbackServer s = LoopbackServer.start()) {
      s.chat(req -> ChatAnswer.of("hello world").usage(1, 2)).faults(FaultPlan.builder()
          .weight(fault, 1).stall(Duration.ofMillis(900)).echoedKey(KEY).build());
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
              URI.create(s.url("/v1/chat/completions"))).timeout(Duration.ofMillis(300))
          .POST(HttpRequest.BodyPublishers.ofString(chatRequest(stream, ""))).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.headers().firstValue("Retry-After").orElse("-") + " "
          + r.body();
    } catch (HttpTimeoutException e) {
      return "timeout";
    } catch (IOException e) {
      return "io";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void faults_eachOneLooksToAClientAsDocumented() {
    assertThat(seen(Fault.OK, false)).startsWith("200 - ").contains("hello world");
    assertThat(seen(Fault.RATE_LIMITED, false)).startsWith("429 ");
    assertThat(seen(Fault.RATE_LIMITED_LONG, false)).startsWith("429 3600 ");
    assertThat(seen(Fault.SERVER_500, false)).startsWith("500 - ");
    assertThat(seen(Fault.SERVER_503, false)).startsWith("503 ").contains("<html>");
    assertThat(seen(Fault.SLOW_HEADERS, false)).isEqualTo("timeout");
    // The JDK client's request timeout covers the headers only: it sees the close after the stall.
    assertThat(seen(Fault.SLOW_BODY, false)).isEqualTo("io");
    assertThat(seen(Fault.TRUNCATED_BODY, false)).isEqualTo("io");
    assertThat(seen(Fault.TRUNCATED_STREAM, true)).isEqualTo("io");
    assertThat(seen(Fault.GARBAGE_JSON, false)).startsWith("200 ");
    assertThat(seen(Fault.GARBAGE_JSON, true)).isEqualTo("200 - data: {not json\n\n");
    assertThat(seen(Fault.DROP, false)).isEqualTo("io");
    assertThat(seen(Fault.RESET, false)).isEqualTo("io");
    assertThat(seen(Fault.AUTH_ECHOING_KEY, false)).startsWith("401 ").contains(KEY);
    assertThat(seen(Fault.BAD_REQUEST_ECHOING_KEY, false)).startsWith("400 ")
        .contains("Bearer " + KEY);
    assertThat(seen(Fault.PLAIN_KEY_BODY, false)).isEqualTo("200 - " + KEY);
    assertThat(seen(Fault.PLAIN_KEY_BODY, true)).isEqualTo("200 - data: " + KEY + "\n\n");
  }

  /** Sends one request on a raw socket and returns every byte of the answer, to the close. */
  private String raw(String path, String body) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.url().getPort())) {
      s.setSoTimeout(10_000);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
          + b.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(b);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void truncatedStream_cutsAfterTheFirstTextEventWithoutTheLastChunk() throws Exception {
    server.chat(req -> ChatAnswer.streamed("first ", "second")).faults(FaultPlan.builder()
        .weight(Fault.TRUNCATED_STREAM, 1).build());
    String openAi = raw("/v1/chat/completions", chatRequest(true, ""));
    assertThat(openAi).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked")
        .contains("\"content\":\"first \"").doesNotContain("second").doesNotEndWith("0\r\n\r\n");
    String anthropic = raw("/v1/messages", "{\"model\":\"c\",\"stream\":true}");
    assertThat(anthropic).contains("event: message_start", "\"text\":\"first \"")
        .doesNotContain("second").doesNotEndWith("0\r\n\r\n");
  }

  @Test
  void truncatedBody_claimsMoreThanItSends() throws Exception {
    server.chat(req -> ChatAnswer.of("x".repeat(300))).faults(FaultPlan.builder()
        .weight(Fault.TRUNCATED_BODY, 1).build());
    String answer = raw("/v1/chat/completions", chatRequest(false, ""));
    int split = answer.indexOf("\r\n\r\n");
    int declared = Integer.parseInt(answer.substring(0, split).replaceAll(
        "(?s).*Content-Length: (\\d+).*", "$1"));
    int sent = answer.length() - split - 4;
    assertThat(sent).isEqualTo((declared - 100) / 3);
  }

  @Test
  void scriptedFaults_resetAndTruncatedFailTheExchange() {
    server.enqueue(Reply.reset()).enqueue(Reply.truncated(200, "{\"a\":\"" + "x".repeat(300)
        + "\"}")).enqueue(Reply.eventsThenDrop("data: {\"n\":1}\n\n"));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> post("/v1/x", "{}")).isInstanceOf(IOException.class);
    }
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void latency_delaysTheAnswerPastAShortClientTimeout() throws Exception {
    server.enqueue(Reply.json(200, "{}")).enqueue(Reply.json(200, "{}"))
        .latency(Duration.ofMillis(1500));
    assertThatThrownBy(() -> post("/v1/x", "{}", Duration.ofMillis(200)))
        .isInstanceOf(HttpTimeoutException.class);
    server.latency(Duration.ZERO);
    assertThat(post("/v1/x", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void keepAlive_reusesOneConnection_andClosesItWhenIdle() throws Exception {
    server.idleTimeout(Duration.ofMillis(300)).otherwise(req -> Reply.json(200, "{}"));
    for (int i = 0; i < 5; i++) {
      assertThat(post("/v1/x", "{}").statusCode()).isEqualTo(200);
    }
    assertThat(server.acceptedConnections()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(5);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.openConnections() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(server.openConnections()).isZero();
    assertThat(server.openExchanges()).isZero();
  }

  @Test
  void chunkedRequestBody_andHttp2UpgradeHeaders_areRead() throws Exception {
    server.otherwise(req -> Reply.json(200, "{}"));
    HttpClient h2 = HttpClient.newHttpClient(); // asks to upgrade to h2c on plain http
    byte[] body = "{\"chunked\":true}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create(server.url("/v1/c")))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(server.lastRequest().json().path("chunked").asBoolean()).isTrue();
  }

  @Test
  void expectContinue_getsA100BeforeTheBodyIsSent() throws Exception {
    server.otherwise(req -> Reply.json(200, "{}"));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url("/v1/e")))
        .expectContinue(true).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("{\"e\":1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.lastRequest().json().path("e").asInt()).isEqualTo(1);
  }

  @Test
  void chatAnswer_andPlan_refuseBadValues() {
    assertThatThrownBy(() -> ChatAnswer.of("x").usage(-1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(
            "promptTokens must be 0 or more, got -1");
    assertThatThrownBy(() -> ChatAnswer.of("x").toolCall("i", "t", "[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arguments must be a JSON object");
    assertThatThrownBy(() -> FaultPlan.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one positive weight");
    assertThatThrownBy(() -> FaultPlan.builder().weight(Fault.DROP, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ChatAnswer.of("a b  c").text()).isEqualTo("a b  c");
  }
}
