package dev.haps.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.error.ProviderException.Kind;
import dev.haps.api.params.ParameterValues;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicProviderTest {

  private static final String KEY = "sk-ant-api03-TESTKEY-77aa";

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static String messageJson(String text, int in, int out) {
    return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"" + text
        + "\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":" + in
        + ",\"output_tokens\":" + out + "}}";
  }

  private LlmProvider provider(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("baseUrl", server.url(""));
    s.put("apiKey", "${env:TEST_ANTHROPIC_KEY}");
    s.put("price.claude-sonnet-4-5.input", "3");
    s.put("price.claude-sonnet-4-5.output", "15");
    s.putAll(extra);
    return new AnthropicProviderFactory().create(ProviderConfig.of("claude", s,
        name -> name.equals("TEST_ANTHROPIC_KEY") ? KEY : null));
  }

  private static ChatRequest request() {
    return new ChatRequest("claude-sonnet-4-5", List.of(ChatMessage.system("Be brief."),
        ChatMessage.system("Answer in English."), ChatMessage.user("2+2?"),
        ChatMessage.assistant("4"), ChatMessage.user("And 3+3?")), Duration.ofSeconds(5));
  }

  @Test
  void complete_success_sendsMessagesApiShapeAndPricesUsage() {
    server.enqueue(Reply.json(200, messageJson("6", 20, 3)));
    Completion c = provider(Map.of()).complete(request(),
        ParameterValues.builder().put("temperature", 0.2).put("top_k", 10L).build());
    assertThat(c.text()).isEqualTo("6");
    assertThat(c.usage().inputTokens()).isEqualTo(20);
    assertThat(c.usage().outputTokens()).isEqualTo(3);
    assertThat(c.costUsd()).isEqualTo((20 * 3.0 + 3 * 15.0) / 1e6);
    assertThat(c.attributes()).containsEntry("stop_reason", "end_turn");

    LoopbackServer.Recorded r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/messages");
    assertThat(r.header("x-api-key")).isEqualTo(KEY);
    assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(r.header("authorization")).isEmpty();
    JsonNode body = r.json();
    assertThat(body.path("system").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
    assertThat(body.path("messages").toString()).isEqualTo(
        "[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},"
            + "{\"role\":\"user\",\"content\":\"And 3+3?\"}]");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("top_k").asInt()).isEqualTo(10);
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactlyInAnyOrder(
        "model", "system", "messages", "max_tokens", "temperature", "top_k");
  }

  @Test
  void complete_noMaxTokens_sendsOnlyTheRequiredDefault() {
    server.enqueue(Reply.json(200, messageJson("x", 1, 1)));
    server.enqueue(Reply.json(200, messageJson("x", 1, 1)));
    provider(Map.of("maxTokens", "256")).complete(request(), ParameterValues.empty());
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_p")).isFalse();
    provider(Map.of()).complete(request(),
        ParameterValues.builder().put("max_tokens", 77L).build());
    assertThat(server.lastRequest().json().path("max_tokens").asInt()).isEqualTo(77);
  }

  @Test
  void complete_temperatureAboveOne_isRejectedBeforeAnyRequest() {
    assertThatThrownBy(() -> provider(Map.of()).complete(request(),
        ParameterValues.builder().put("temperature", 1.5).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("provider 'claude' model 'claude-sonnet-4-5'")
        .hasMessageContaining("'temperature' = 1.5 is invalid: above the maximum 1.0");
    assertThatThrownBy(() -> provider(Map.of()).complete(request(),
        ParameterValues.builder().put("presence_penalty", 0.1).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("declared: [temperature, top_p, top_k, max_tokens, thinking_budget]");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_errors_areClassifiedInOnePlace() {
    server.enqueue(Reply.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"Number of requests has exceeded your rate limit\"}}")
        .header("retry-after", "12"));
    server.enqueue(Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}"));
    server.enqueue(Reply.json(401, "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
    server.enqueue(Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"invalid_request_error\",\"message\":\"prompt is too long\"}}"));
    server.enqueue(Reply.json(200, "{\"type\":\"message\"}"));
    LlmProvider p = provider(Map.of());
    List<ProviderException> es = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      es.add(catchThrowableOfType(ProviderException.class,
          () -> p.complete(request(), ParameterValues.empty())));
    }
    assertThat(es).extracting(ProviderException::kind).containsExactly(Kind.RATE_LIMITED,
        Kind.SERVER_ERROR, Kind.AUTHENTICATION, Kind.BAD_REQUEST, Kind.MALFORMED_RESPONSE);
    assertThat(es.get(0).retryAfter()).contains(Duration.ofSeconds(12));
    assertThat(es.get(1).getMessage()).contains("HTTP 529", "Overloaded");
    assertThat(es.get(3).getMessage()).contains("prompt is too long");
  }

  @Test
  void complete_timeout_isTimeout() {
    server.enqueue(Reply.json(200, messageJson("x", 1, 1)).after(Duration.ofSeconds(3)));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).complete(request().withTimeout(Duration.ofMillis(250)),
            ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void stream_events_areAssembled() {
    server.enqueue(Reply.events(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":25,"
            + "\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: ping\ndata: {\"type\": \"ping\"}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\"},\"usage\":{\"output_tokens\":15}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    List<String> deltas = new ArrayList<>();
    Completion c = provider(Map.of()).stream(request(), ParameterValues.empty(), deltas::add);
    assertThat(deltas).containsExactly("Hello", " there");
    assertThat(c.text()).isEqualTo("Hello there");
    assertThat(c.usage().inputTokens()).isEqualTo(25);
    assertThat(c.usage().outputTokens()).isEqualTo(15);
    assertThat(c.attributes()).containsEntry("stop_reason", "end_turn");
    assertThat(c.costUsd()).isEqualTo((25 * 3.0 + 15 * 15.0) / 1e6);
    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void stream_withoutMessageStop_isMalformed() {
    server.enqueue(Reply.events(
        "event: content_block_delta\ndata: {\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"
            + "\n\n"));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).stream(request(), ParameterValues.empty(), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("without event: message_stop");
  }

  @Test
  void stream_errorEvent_isServerError() {
    server.enqueue(Reply.events("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
        + "\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).stream(request(), ParameterValues.empty(), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.getMessage()).contains("Overloaded");
  }

  @Test
  void create_missingKey_namesTheSettingOrVariable() {
    assertThatThrownBy(() -> new AnthropicProviderFactory().create(
        ProviderConfig.of("claude", Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("provider 'claude' needs setting 'apiKey'");
    assertThatThrownBy(() -> new AnthropicProviderFactory().create(ProviderConfig.of("claude",
        Map.of("apiKey", "${env:HAPS_TEST_NO_ANTHROPIC_KEY}"), n -> null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("environment variable HAPS_TEST_NO_ANTHROPIC_KEY");
    assertThatThrownBy(() -> provider(Map.of("maxTokens", "0")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'maxTokens'");
  }

  @Test
  void registry_findsTheAnthropicFactory() {
    assertThat(ProviderRegistry.load().factory("anthropic"))
        .isInstanceOf(AnthropicProviderFactory.class);
  }

  @Test
  void apiKey_neverInMessagesToStringOrLogs() throws IOException {
    LlmProvider p = provider(Map.of());
    server.enqueue(Reply.json(401, "{\"type\":\"error\",\"error\":{\"message\":\"key " + KEY
        + " is invalid\"}}"));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request(), ParameterValues.empty()));
    assertThat(e.getMessage()).contains("key **** is invalid").doesNotContain(KEY);
    assertThat(p.toString()).doesNotContain(KEY).contains("ApiKey[****]");
    String logged = Files.readString(Path.of("target/test-trace.log"));
    assertThat(logged).contains("provider claude model claude-sonnet-4-5").doesNotContain(KEY);
  }
}
