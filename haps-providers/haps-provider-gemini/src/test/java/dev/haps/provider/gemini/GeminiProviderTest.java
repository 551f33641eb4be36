package dev.haps.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.error.ProviderException.Kind;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import dev.haps.spi.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 24.3: the Gemini API's wire protocol, field by field, as its reference specifies it:
 * {@code POST /v1beta/models/{model}:generateContent} (streaming:
 * {@code :streamGenerateContent?alt=sse}) with the key in {@code x-goog-api-key}; a body of
 * {@code contents} (roles {@code user}/{@code model}, each with {@code parts[].text}),
 * {@code systemInstruction.parts} and {@code generationConfig} (temperature, topP, topK,
 * maxOutputTokens, thinkingConfig.thinkingBudget); an answer of {@code candidates[0].content.parts}
 * (thought parts flagged {@code "thought": true}), {@code finishReason}, and
 * {@code usageMetadata} with promptTokenCount, candidatesTokenCount and thoughtsTokenCount.
 */
class GeminiProviderTest {

  private static final String KEY = "AIzaSy-TESTKEY-gemini-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GeminiWire server = new GeminiWire();

  @AfterEach
  void stop() {
    server.close();
  }

  private LlmProvider provider(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("baseUrl", server.url("/v1beta"));
    s.put("apiKey", "${env:GEMINI_API_KEY}");
    s.put("price.gemini-2.5-flash.input", "0.3");
    s.put("price.gemini-2.5-flash.output", "2.5");
    s.putAll(extra);
    return new GeminiProviderFactory().create(ProviderConfig.of("gemini", s,
        name -> name.equals("GEMINI_API_KEY") ? KEY : null));
  }

  private static ChatRequest request(String model) {
    return new ChatRequest(model, List.of(ChatMessage.system("Be brief."),
        ChatMessage.user("2+2?"), ChatMessage.assistant("4"), ChatMessage.user("Is 1001 prime?")),
        Duration.ofSeconds(5));
  }

  private static String answer(String text, String thought, int prompt, int candidates,
      int thoughts) {
    return "{\"candidates\":[{\"content\":{\"parts\":["
        + (thought == null ? "" : "{\"text\":\"" + thought + "\",\"thought\":true},")
        + "{\"text\":\"" + text + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\","
        + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":" + prompt
        + ",\"candidatesTokenCount\":" + candidates + ",\"totalTokenCount\":"
        + (prompt + candidates + thoughts) + ",\"thoughtsTokenCount\":" + thoughts + "},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-1\"}";
  }

  @Test
  void complete_sendsTheWireFormatFieldByFieldWithTheKeyInTheHeaderOnly() throws Exception {
    server.json(200, answer("No: 7 x 11 x 13.", null, 12, 30, 900));
    Completion c = provider(Map.of()).complete(request("gemini-2.5-flash"),
        ParameterValues.builder().put("temperature", 0.4).put("top_p", 0.9).put("top_k", 20)
            .put("max_tokens", 1024).put("thinking_budget", 2048).build());

    GeminiWire.Request r = server.last();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(r.header("authorization")).isEmpty();
    assertThat(r.json()).isEqualTo(JSON.readTree("{"
        + "\"contents\":["
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"2+2?\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"text\":\"4\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"Is 1001 prime?\"}]}],"
        + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
        + "\"generationConfig\":{\"temperature\":0.4,\"topP\":0.9,\"topK\":20,"
        + "\"maxOutputTokens\":1024,\"thinkingConfig\":{\"thinkingBudget\":2048}}}"));
    assertThat(r.json().path("generationConfig").path("topK").isIntegralNumber()).isTrue();
    assertThat(r.json().path("generationConfig").path("maxOutputTokens").isIntegralNumber())
        .isTrue();

    assertThat(c.text()).isEqualTo("No: 7 x 11 x 13.");
    assertThat(c.model()).isEqualTo("gemini-2.5-flash");
    assertThat(c.usage()).isEqualTo(new TokenUsage(12, 930, 900));
    // By hand: 12 × $0.30/M + (30 answer + 900 thinking) × $2.50/M = $0.0000036 + $0.002325
    // = $0.0023286.
    assertThat(c.costUsd()).isCloseTo(0.0023286, Offset.offset(1e-12));
    assertThat(c.attributes()).containsEntry("finish_reason", "STOP")
        .containsEntry("id", "resp-1");
  }

  @Test
  void complete_budgetZeroIsSentToTurnThinkingOffAndNoValuesSendNoConfig() {
    server.json(200, answer("No.", null, 3, 2, 0)).json(200, answer("No.", null, 3, 2, 0));
    LlmProvider p = provider(Map.of());
    p.complete(request("gemini-2.5-flash"),
        ParameterValues.builder().put("thinking_budget", 0).build());
    assertThat(server.last().json().path("generationConfig").toString())
        .isEqualTo("{\"thinkingConfig\":{\"thinkingBudget\":0}}");
    p.complete(request("gemini-2.5-flash"), ParameterValues.empty());
    List<String> fields = new ArrayList<>();
    server.last().json().fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("contents", "systemInstruction");
  }

  private static String stream() {
    return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"No: \"}],"
        + "\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,"
        + "\"candidatesTokenCount\":2,\"totalTokenCount\":914,\"thoughtsTokenCount\":900},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-2\"}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"7 x 11 x 13.\"}],"
        + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
        + "{\"promptTokenCount\":12,\"candidatesTokenCount\":30,\"totalTokenCount\":942,"
        + "\"thoughtsTokenCount\":900},\"modelVersion\":\"gemini-2.5-flash\","
        + "\"responseId\":\"resp-2\"}\r\n\r\n";
  }

  @Test
  void stream_usesAltSseAndAssemblesTextAndUsage() {
    server.events(stream());
    List<String> deltas = new ArrayList<>();
    LlmProvider p = provider(Map.of());
    assertThat(p.supportsStreaming()).isTrue();
    Completion c = p.stream(request("gemini-2.5-flash"),
        ParameterValues.builder().put("thinking_budget", 1024).build(), deltas::add);

    GeminiWire.Request r = server.last();
    assertThat(r.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(r.header("accept")).isEqualTo("text/event-stream");
    assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
    assertThat(r.json().path("generationConfig").toString())
        .isEqualTo("{\"thinkingConfig\":{\"thinkingBudget\":1024}}");
    assertThat(deltas).containsExactly("No: ", "7 x 11 x 13.");
    assertThat(c.text()).isEqualTo("No: 7 x 11 x 13.");
    assertThat(c.usage()).isEqualTo(new TokenUsage(12, 930, 900));
    assertThat(c.costUsd()).isCloseTo(0.0023286, Offset.offset(1e-12));
    assertThat(c.attributes()).containsEntry("finish_reason", "STOP");
  }

  @Test
  void stream_withoutFinishReason_isMalformed() {
    server.events("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"No\"}]}}]}\n\n");
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider(Map.of())
        .stream(request("gemini-2.5-flash"), ParameterValues.empty(), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("without a chunk with a finishReason");
  }

  @Test
  void thoughtParts_stayOutOfTheTextUnlessIncludeThinkingAsksForThem() {
    server.json(200, answer("No.", "1001 = 7 x 143", 5, 2, 40));
    Completion hidden = provider(Map.of()).complete(request("gemini-2.5-flash"),
        ParameterValues.empty());
    assertThat(hidden.text()).isEqualTo("No.");

    server.json(200, answer("No.", "1001 = 7 x 143", 5, 2, 40));
    server.events("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"1001 = 7 x 143\","
        + "\"thought\":true}]}}]}\n\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"No.\"}]},"
        + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,"
        + "\"candidatesTokenCount\":2,\"thoughtsTokenCount\":40}}\n\n");
    LlmProvider p = provider(Map.of("includeThinking", "true"));
    Completion shown = p.complete(request("gemini-2.5-flash"), ParameterValues.empty());
    assertThat(shown.text()).isEqualTo("<thinking>\n1001 = 7 x 143\n</thinking>\n\nNo.");
    assertThat(server.last().json().path("generationConfig").toString())
        .isEqualTo("{\"thinkingConfig\":{\"includeThoughts\":true}}");
    List<String> deltas = new ArrayList<>();
    Completion streamed = p.stream(request("gemini-2.5-flash"), ParameterValues.empty(),
        deltas::add);
    assertThat(deltas).containsExactly("<thinking>\n", "1001 = 7 x 143", "\n</thinking>\n\n",
        "No.");
    assertThat(streamed.text()).isEqualTo(shown.text());
  }

  @Test
  void thinkingBudget_rangesPerModelAreEnforcedBeforeAnyRequest() {
    LlmProvider p = provider(Map.of(
        "model.gemini-2.5-pro.thinkingBudget", "[128, 32768]",
        "model.gemini-2.5-flash-lite.thinkingBudget", "512,24576",
        "model.gemini-2.5-flash-lite.thinkingOff", "true",
        "model.gemini-2.0-flash.thinkingBudget", "none"));
    assertThat(p.parameterSpace("gemini-2.5-flash").spec("thinking_budget"))
        .contains(IntSpec.of("thinking_budget", 0, 24_576, 0));
    assertThat(p.parameterSpace("gemini-2.5-pro").spec("thinking_budget"))
        .contains(IntSpec.of("thinking_budget", 128, 32_768, 128));
    assertThat(p.parameterSpace("gemini-2.0-flash").spec("thinking_budget")).isEmpty();

    assertThatThrownBy(() -> p.complete(request("gemini-2.5-pro"),
        ParameterValues.builder().put("thinking_budget", 0).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'gemini' model 'gemini-2.5-pro': parameter 'thinking_budget' = 0"
            + " is invalid: below the minimum 128");
    assertThatThrownBy(() -> p.complete(request("gemini-2.5-flash-lite"),
        ParameterValues.builder().put("thinking_budget", 300).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'gemini' model 'gemini-2.5-flash-lite': thinking_budget = 300 is"
            + " below the model's minimum of 512 thinking tokens; use 0 (thinking off) or at"
            + " least 512");
    assertThatThrownBy(() -> p.complete(request("gemini-2.5-flash"),
        ParameterValues.builder().put("thinking_budget", 30_000).build()))
        .hasMessageContaining("'thinking_budget' = 30000 is invalid: above the maximum 24576");
    assertThatThrownBy(() -> p.complete(request("gemini-2.0-flash"),
        ParameterValues.builder().put("thinking_budget", 1024).build()))
        .hasMessageContaining("not a declared parameter; declared: [temperature, top_p, top_k,"
            + " max_tokens]");
    assertThatThrownBy(() -> p.complete(request("gemini-2.5-flash"),
        ParameterValues.builder().put("temperature", 2.5).build()))
        .hasMessageContaining("'temperature' = 2.5 is invalid: above the maximum 2.0");
    assertThatThrownBy(() -> p.complete(request("models/../../v1/files?x=1"),
        ParameterValues.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a Gemini model id has letters, digits, '.', '-' and '_' only");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void failures_goThroughTheSharedMappingAndNeverShowTheKey() throws Exception {
    server.json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\","
        + "\"status\":\"RESOURCE_EXHAUSTED\"}}");
    server.json(400, "{\"error\":{\"code\":400,\"message\":\"API key not valid: " + KEY + "\","
        + "\"status\":\"INVALID_ARGUMENT\"}}");
    server.json(200, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":"
        + "{\"promptTokenCount\":4}}");
    LlmProvider p = provider(Map.of());
    List<String> texts = new ArrayList<>(List.of(p.toString()));
    ProviderException rate = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("gemini-2.5-flash"), ParameterValues.empty()));
    assertThat(rate.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(rate.status()).isEqualTo(429);
    ProviderException bad = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("gemini-2.5-flash"), ParameterValues.empty()));
    assertThat(bad.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(bad.getMessage()).contains("API key not valid: ****");
    ProviderException blocked = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("gemini-2.5-flash"), ParameterValues.empty()));
    assertThat(blocked.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(blocked).hasMessage("provider 'gemini' model 'gemini-2.5-flash': the prompt was"
        + " blocked (SAFETY); change the prompt or the model's safety settings");
    for (ProviderException e : List.of(rate, bad, blocked)) {
      texts.add(e.getMessage());
      texts.add(e.toString());
    }
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(KEY));
    assertThat(server.requests()).hasSize(3)
        .allSatisfy(r -> assertThat(r.uri()).doesNotContain(KEY).doesNotContain("key="));
    String logged = Files.readString(Path.of("target/test-trace.log"), StandardCharsets.UTF_8);
    assertThat(logged).contains("provider gemini model gemini-2.5-flash: POST");
    assertThat(logged).doesNotContain(KEY);
  }

  @Test
  void create_missingKeyOrBadModelSetting_isRefusedByName() {
    assertThatThrownBy(() -> new GeminiProviderFactory().create(ProviderConfig.of("gemini",
        Map.of("apiKey", "${env:GEMINI_API_KEY}"), name -> null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("references environment variable GEMINI_API_KEY, which is not set");
    assertThatThrownBy(() -> provider(Map.of("model.gemini-2.5-pro.thinkingBudget", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("provider 'gemini' setting 'model.gemini-2.5-pro.thinkingBudget'"
            + " = 'lots' is not a budget range");
    assertThatThrownBy(() -> provider(Map.of("model.gemini-2.5-pro.budget", "1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not a model setting");
  }

  @Test
  void registry_findsTheGeminiFactory() {
    ProviderRegistry r = ProviderRegistry.load();
    assertThat(r.has("gemini")).isTrue();
    assertThat(r.factory("gemini")).isInstanceOf(GeminiProviderFactory.class);
  }
}
