package dev.haps.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 24.2: extended thinking as the int parameter {@code thinking_budget}. Wire format as in
 * Anthropic's Messages API reference and extended-thinking guide: {@code "thinking": {"type":
 * "enabled", "budget_tokens": N}} with N ≥ 1024 and N &lt; {@code max_tokens}; no temperature
 * change, no {@code top_k}, {@code top_p} in [0.95, 1] while thinking; the answer's
 * {@code content} holds {@code thinking} (with a {@code signature}) and {@code redacted_thinking}
 * blocks before the {@code text}; streams send {@code thinking_delta} and {@code signature_delta};
 * {@code usage.output_tokens} includes the thinking tokens.
 */
class AnthropicThinkingTest {

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private LlmProvider provider(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("baseUrl", server.url(""));
    s.put("apiKey", "sk-ant-test-thinking");
    s.put("price.claude-sonnet-4-5.input", "3");
    s.put("price.claude-sonnet-4-5.output", "15");
    s.putAll(extra);
    return new AnthropicProviderFactory().create(ProviderConfig.of("claude", s));
  }

  private static ChatRequest request() {
    return new ChatRequest("claude-sonnet-4-5", List.of(ChatMessage.user("Is 1001 prime?")),
        Duration.ofSeconds(5));
  }

  private static final String THOUGHTFUL_ANSWER = "{\"id\":\"msg_t\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":["
      + "{\"type\":\"thinking\",\"thinking\":\"1001 = 7 x 143 = 7 x 11 x 13.\","
      + "\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3h\"},"
      + "{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix/LafPsn4a\"},"
      + "{\"type\":\"text\",\"text\":\"No: 1001 = 7 x 11 x 13.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":50,\"output_tokens\":3000}}";

  private static List<String> fields(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void parameterSpace_declaresThinkingBudgetZeroMeaningOff() {
    assertThat(provider(Map.of()).parameterSpace("claude-sonnet-4-5").spec("thinking_budget"))
        .contains(IntSpec.of("thinking_budget", 0, 131_071, 0));
  }

  @Test
  void complete_thinking_sendsEnabledBudgetKeepsThinkingOutOfTheTextAndPricesIt() {
    server.enqueue(Reply.json(200, THOUGHTFUL_ANSWER));
    Completion c = provider(Map.of()).complete(request(), ParameterValues.builder()
        .put("max_tokens", 4096).put("thinking_budget", 2048).put("top_p", 0.95).build());

    JsonNode body = server.lastRequest().json();
    assertThat(fields(body)).containsExactly("model", "messages", "max_tokens", "thinking",
        "top_p");
    assertThat(body.path("max_tokens").asLong()).isEqualTo(4096);
    assertThat(body.path("thinking").toString())
        .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":2048}");
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.95);

    assertThat(c.text()).isEqualTo("No: 1001 = 7 x 11 x 13.");
    assertThat(c.usage().outputTokens()).isEqualTo(3000);
    // By hand: 50 × $3/M + 3,000 × $15/M (thinking is inside output_tokens) =
    // $0.00015 + $0.045 = $0.04515.
    assertThat(c.costUsd()).isCloseTo(0.04515, Offset.offset(1e-12));
  }

  @Test
  void complete_budgetZero_sendsNoThinkingField() {
    server.enqueue(Reply.json(200, THOUGHTFUL_ANSWER));
    provider(Map.of()).complete(request(), ParameterValues.builder()
        .put("thinking_budget", 0).put("temperature", 0.3).build());
    JsonNode body = server.lastRequest().json();
    assertThat(fields(body)).containsExactly("model", "messages", "max_tokens", "temperature");
    assertThat(body.path("max_tokens").asLong()).isEqualTo(1024);
  }

  @Test
  void complete_temperatureOneAndTopPOneWithThinking_areAllowed() {
    server.enqueue(Reply.json(200, THOUGHTFUL_ANSWER));
    provider(Map.of("maxTokens", "8192")).complete(request(), ParameterValues.builder()
        .put("thinking_budget", 1024).put("temperature", 1.0).put("top_p", 1.0).build());
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("max_tokens").asLong()).isEqualTo(8192);
    assertThat(body.path("thinking").path("budget_tokens").asLong()).isEqualTo(1024);
    assertThat(body.path("temperature").asDouble()).isEqualTo(1.0);
  }

  @Test
  void complete_invalidThinkingCombinations_areRefusedBeforeAnyRequest() {
    LlmProvider p = provider(Map.of());
    String prefix = "provider 'claude' model 'claude-sonnet-4-5': ";
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 500).put("max_tokens", 4096).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage(prefix + "thinking_budget = 500 is below the Messages API's minimum of 1024"
            + " budget tokens; use 0 (thinking off) or at least 1024");
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage(prefix + "thinking_budget = 2048 must be below max_tokens = 1024 (the"
            + " provider's maxTokens default), because thinking counts inside max_tokens; raise"
            + " max_tokens or lower the budget");
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 2048).build()))
        .hasMessage(prefix + "thinking_budget = 2048 must be below max_tokens = 2048, because"
            + " thinking counts inside max_tokens; raise max_tokens or lower the budget");
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 4096).put("temperature", 0.5).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage(prefix + "temperature = 0.5 cannot be changed while thinking is on"
            + " (thinking_budget = 2048): the Messages API allows only 1; leave temperature out"
            + " or turn thinking off");
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 4096).put("top_k", 40).build()))
        .hasMessage(prefix + "top_k = 40 cannot be set while thinking is on (thinking_budget ="
            + " 2048): the Messages API refuses top_k with thinking; leave top_k out or turn"
            + " thinking off");
    assertThatThrownBy(() -> p.complete(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 4096).put("top_p", 0.9).build()))
        .hasMessage(prefix + "top_p = 0.9 is below 0.95 while thinking is on (thinking_budget ="
            + " 2048): the Messages API allows top_p only in [0.95, 1] with thinking; raise it or"
            + " leave it out");
    // The same rules guard streams.
    assertThatThrownBy(() -> p.stream(request(), ParameterValues.builder()
        .put("thinking_budget", 1500).put("max_tokens", 1000).build(), d -> { }))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(server.requestCount()).isZero();
  }

  private static String thinkingStream() {
    return "event: message_start\n"
        + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
        + "\"stop_reason\":null,\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\n"
        + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"thinking_delta\",\"thinking\":\"1001 = 7 x 143\"}}\n\n"
        + "event: ping\ndata: {\"type\": \"ping\"}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"thinking_delta\",\"thinking\":\" = 7 x 11 x 13.\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
        + "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3h\"}}\n\n"
        + "event: content_block_stop\n"
        + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: content_block_start\n"
        + "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
        + "{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"No: \"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
        + "{\"type\":\"text_delta\",\"text\":\"7 x 11 x 13.\"}}\n\n"
        + "event: content_block_stop\n"
        + "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
        + "event: message_delta\n"
        + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":3000}}\n\n"
        + "event: message_stop\n"
        + "data: {\"type\":\"message_stop\"}\n\n";
  }

  @Test
  void stream_thinkingBlocks_stayOutOfTheAnswerAndArePriced() {
    server.enqueue(Reply.events(thinkingStream()));
    List<String> deltas = new ArrayList<>();
    Completion c = provider(Map.of()).stream(request(), ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 4096).build(), deltas::add);

    JsonNode body = server.lastRequest().json();
    assertThat(fields(body)).containsExactlyInAnyOrder("model", "messages", "max_tokens",
        "thinking", "stream");
    assertThat(body.path("thinking").toString())
        .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":2048}");
    assertThat(body.path("stream").asBoolean()).isTrue();

    assertThat(deltas).containsExactly("No: ", "7 x 11 x 13.");
    assertThat(c.text()).isEqualTo("No: 7 x 11 x 13.");
    assertThat(c.usage().inputTokens()).isEqualTo(50);
    assertThat(c.usage().outputTokens()).isEqualTo(3000);
    assertThat(c.costUsd()).isCloseTo(0.04515, Offset.offset(1e-12));
    assertThat(c.attributes()).containsEntry("stop_reason", "end_turn");
  }

  @Test
  void includeThinking_putsThinkingBeforeTheAnswerInStreamsAndAnswers() {
    server.enqueue(Reply.events(thinkingStream()));
    server.enqueue(Reply.json(200, THOUGHTFUL_ANSWER));
    LlmProvider p = provider(Map.of("includeThinking", "true"));
    ParameterValues v = ParameterValues.builder()
        .put("thinking_budget", 2048).put("max_tokens", 4096).build();
    List<String> deltas = new ArrayList<>();
    Completion streamed = p.stream(request(), v, deltas::add);
    assertThat(deltas).containsExactly("<thinking>\n", "1001 = 7 x 143", " = 7 x 11 x 13.",
        "\n</thinking>\n\n", "No: ", "7 x 11 x 13.");
    assertThat(streamed.text()).isEqualTo(
        "<thinking>\n1001 = 7 x 143 = 7 x 11 x 13.\n</thinking>\n\nNo: 7 x 11 x 13.");
    Completion whole = p.complete(request(), v);
    // The redacted block carries only encrypted data and never reaches the text.
    assertThat(whole.text()).isEqualTo(
        "<thinking>\n1001 = 7 x 143 = 7 x 11 x 13.\n</thinking>\n\nNo: 1001 = 7 x 11 x 13.");
  }
}
