package dev.haps.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.error.ProviderException.Kind;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {

  static final String KEY = "sk-proj-TESTKEY-4f9a0c7e1b2d";

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  static String chatJson(String model, String content, int in, int out) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
        + ",\"total_tokens\":" + (in + out) + "}}";
  }

  private LlmProvider provider(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("baseUrl", server.url("/v1"));
    s.put("apiKey", "${env:TEST_OPENAI_KEY}");
    s.put("price.gpt-4o.input", "2.5");
    s.put("price.gpt-4o.output", "10");
    s.putAll(extra);
    return new OpenAiProviderFactory().create(ProviderConfig.of("local", s,
        name -> name.equals("TEST_OPENAI_KEY") ? KEY : null));
  }

  private static ChatRequest request(String model) {
    return new ChatRequest(model, List.of(ChatMessage.system("Be brief."),
        ChatMessage.user("What is 2+2?")), Duration.ofSeconds(5));
  }

  @Test
  void complete_success_sendsGivenParametersAndPricesUsage() {
    server.enqueue(Reply.json(200, chatJson("gpt-4o-2024-08-06", "4", 1000, 200)));
    Completion c = provider(Map.of()).complete(request("gpt-4o"), ParameterValues.builder()
        .put("temperature", 0.3).put("max_tokens", 64).put("seed", 7).build());

    assertThat(c.text()).isEqualTo("4");
    assertThat(c.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(c.usage().inputTokens()).isEqualTo(1000);
    assertThat(c.usage().outputTokens()).isEqualTo(200);
    assertThat(c.costUsd()).isCloseTo((1000 * 2.5 + 200 * 10.0) / 1e6,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.attributes()).containsEntry("finish_reason", "stop");

    LoopbackServer.Recorded r = server.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/chat/completions");
    assertThat(r.header("authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = r.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(body.path("messages").toString()).isEqualTo(
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"What is 2+2?\"}]");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(body.path("max_tokens").isIntegralNumber()).isTrue();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("seed").asInt()).isEqualTo(7);
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("model", "messages", "temperature", "max_tokens", "seed");
  }

  @Test
  void complete_noParameters_sendsNoSamplingFieldAndUnpricedModelCostsNaN() {
    server.enqueue(Reply.json(200, chatJson("llama3", "hi", 3, 1)));
    Completion c = provider(Map.of()).complete(request("llama3"), ParameterValues.empty());
    List<String> fields = new ArrayList<>();
    server.lastRequest().json().fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("model", "messages");
    assertThat(c.costUsd()).isNaN();
    assertThat(c.cost()).isEmpty();
  }

  @Test
  void complete_unknownParameter_isRejectedBeforeAnyRequest() {
    LlmProvider p = provider(Map.of());
    assertThatThrownBy(() -> p.complete(request("gpt-4o"),
        ParameterValues.builder().put("temperature", 0.5).put("top_k", 40L).build()))
        .isInstanceOfSatisfying(InvalidParameterException.class,
            e -> assertThat(e.parameter()).isEqualTo("top_k"))
        .hasMessageContaining("provider 'local' model 'gpt-4o'")
        .hasMessageContaining("'top_k' = 40 is invalid: not a declared parameter; declared: "
            + "[temperature, top_p, max_tokens, presence_penalty, frequency_penalty, seed]");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_valueOutOfRange_isRejectedBeforeAnyRequest() {
    LlmProvider p = provider(Map.of());
    assertThatThrownBy(() -> p.complete(request("gpt-4o"),
        ParameterValues.builder().put("temperature", 2.5).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("'temperature' = 2.5 is invalid: above the maximum 2.0");
    assertThatThrownBy(() -> p.complete(request("gpt-4o"),
        ParameterValues.builder().put("max_tokens", 0L).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("'max_tokens' = 0 is invalid: below the minimum 1");
    assertThatThrownBy(() -> p.complete(request("gpt-4o"),
        ParameterValues.builder().put("max_tokens", 1.5).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("expected a whole number");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_extraSampling_declaresAndSendsVllmKnobs() {
    LlmProvider p = provider(Map.of("extraSampling", "true"));
    assertThat(p.parameterSpace("m").spec("top_k")).isPresent();
    assertThat(p.parameterSpace("m").spec("min_p")).isPresent();
    assertThat(p.parameterSpace("m").spec("repetition_penalty")).isPresent();
    server.enqueue(Reply.json(200, chatJson("m", "x", 1, 1)));
    p.complete(request("m"), ParameterValues.builder().put("top_k", 20L).put("min_p", 0.05)
        .put("repetition_penalty", 1.1).build());
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("top_k").asInt()).isEqualTo(20);
    assertThat(body.path("min_p").asDouble()).isEqualTo(0.05);
    assertThat(body.path("repetition_penalty").asDouble()).isEqualTo(1.1);
  }

  @Test
  void complete_stopSets_areACategoricalSentAsArrays() {
    LlmProvider p = provider(Map.of("stop.paragraph", "[\"\\n\\n\"]",
        "stop.answer", "Answer:"));
    assertThat(p.parameterSpace("m").spec("stop")).contains(
        new CategoricalSpec("stop", List.of("none", "paragraph", "answer"), "none"));
    server.enqueue(Reply.json(200, chatJson("m", "x", 1, 1)));
    server.enqueue(Reply.json(200, chatJson("m", "x", 1, 1)));
    p.complete(request("m"), ParameterValues.builder().put("stop", "paragraph").build());
    assertThat(server.lastRequest().json().path("stop").toString()).isEqualTo("[\"\\n\\n\"]");
    p.complete(request("m"), ParameterValues.builder().put("stop", "none").build());
    assertThat(server.lastRequest().json().has("stop")).isFalse();
  }

  @Test
  void complete_maxCompletionTokensField_renamesOnTheWire() {
    LlmProvider p = provider(Map.of("maxTokensField", "max_completion_tokens"));
    server.enqueue(Reply.json(200, chatJson("m", "x", 1, 1)));
    p.complete(request("m"), ParameterValues.builder().put("max_tokens", 99L).build());
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(99);
    assertThat(body.has("max_tokens")).isFalse();
  }

  @Test
  void complete_undeclaredModel_isRefusedBeforeAnyRequest() {
    LlmProvider p = provider(Map.of("models", "gpt-4o,gpt-4o-mini"));
    assertThat(p.models()).extracting(ModelInfo::id).containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(p.models().get(0).inputPricePerMtok()).isEqualTo(2.5);
    assertThatThrownBy(() -> p.complete(request("gpt-5"), ParameterValues.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not serve model 'gpt-5'");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_toolTurn_isUnsupportedBeforeAnyRequest() {
    ChatRequest r = new ChatRequest("m", List.of(new ChatMessage(ChatMessage.Role.TOOL, "42")),
        Duration.ofSeconds(1));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).complete(r, ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_429WithRetryAfter_isRateLimited() {
    server.enqueue(Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\"}}")
        .header("Retry-After", "7"));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).complete(request("gpt-4o"), ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.provider()).isEqualTo("local");
    assertThat(e.getMessage()).contains("Rate limit reached");
  }

  @Test
  void complete_500_isServerErrorAndThenSucceeds() {
    server.enqueue(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    server.enqueue(Reply.json(200, chatJson("m", "ok", 1, 1)));
    LlmProvider p = provider(Map.of());
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("m"), ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(p.complete(request("m"), ParameterValues.empty()).text()).isEqualTo("ok");
  }

  @Test
  void complete_slowServer_timesOutAtTheRequestTimeout() {
    server.enqueue(Reply.json(200, chatJson("m", "late", 1, 1)).after(Duration.ofSeconds(3)));
    ChatRequest r = request("m").withTimeout(Duration.ofMillis(300));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).complete(r, ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void complete_requestTimeoutSetting_capsTheRequestsOwn() {
    server.enqueue(Reply.json(200, chatJson("m", "late", 1, 1)).after(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of("requestTimeout", "200")).complete(request("m"),
            ParameterValues.empty()));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void complete_malformedJsonOrShape_isMalformedResponse() {
    server.enqueue(Reply.json(200, "{\"choices\":[{\"message\":"));
    server.enqueue(Reply.json(200, "{\"object\":\"list\",\"data\":[]}"));
    LlmProvider p = provider(Map.of());
    ProviderException e1 = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("m"), ParameterValues.empty()));
    ProviderException e2 = catchThrowableOfType(ProviderException.class,
        () -> p.complete(request("m"), ParameterValues.empty()));
    assertThat(e1.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e2.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e2.getMessage()).contains("no choices[0].message");
  }

  @Test
  void stream_deltas_areAssembledWithUsage() {
    server.enqueue(Reply.events(
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
            + "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"lo\"},"
            + "\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
            + "\"completion_tokens\":2}}\n\n"
            + "data: [DONE]\n\n"));
    List<String> deltas = new ArrayList<>();
    LlmProvider p = provider(Map.of());
    assertThat(p.supportsStreaming()).isTrue();
    Completion c = p.stream(request("gpt-4o"),
        ParameterValues.builder().put("temperature", 0.0).build(), deltas::add);
    assertThat(deltas).containsExactly("Hel", "lo");
    assertThat(c.text()).isEqualTo("Hello");
    assertThat(c.usage().inputTokens()).isEqualTo(10);
    assertThat(c.usage().outputTokens()).isEqualTo(2);
    assertThat(c.costUsd()).isEqualTo((10 * 2.5 + 2 * 10.0) / 1e6);
    assertThat(c.attributes()).containsEntry("finish_reason", "stop");
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(server.lastRequest().header("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void stream_withoutDone_isMalformedResponse() {
    server.enqueue(Reply.events(
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"));
    List<String> deltas = new ArrayList<>();
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).stream(request("m"), ParameterValues.empty(), deltas::add));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("ended after 1 events without data: [DONE]");
    assertThat(deltas).containsExactly("Hel");
  }

  @Test
  void stream_inBandError_isServerError() {
    server.enqueue(Reply.events("data: {\"error\":{\"message\":\"engine overloaded\"}}\n\n"));
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(Map.of()).stream(request("m"), ParameterValues.empty(), d -> { }));
    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.getMessage()).contains("engine overloaded");
  }

  @Test
  void stream_usageOptionOff_isNotSent() {
    server.enqueue(Reply.events("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n"
        + "data: [DONE]\n\n"));
    Completion c = provider(Map.of("streamUsage", "false"))
        .stream(request("m"), ParameterValues.empty(), d -> { });
    assertThat(server.lastRequest().json().has("stream_options")).isFalse();
    assertThat(c.cost()).isEmpty();
  }

  @Test
  void create_noApiKey_sendsNoAuthorization() {
    LlmProvider p = new OpenAiProviderFactory().create(ProviderConfig.of("ollama",
        Map.of("baseUrl", server.url("/v1"))));
    server.enqueue(Reply.json(200, chatJson("llama3", "x", 1, 1)));
    p.complete(request("llama3"), ParameterValues.empty());
    assertThat(server.lastRequest().header("authorization")).isEmpty();
  }

  @Test
  void create_apiKeyVariableUnset_namesTheVariable() {
    assertThatThrownBy(() -> new OpenAiProviderFactory().create(ProviderConfig.of("local",
        Map.of("apiKey", "${env:HAPS_TEST_UNSET_KEY}"), name -> null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("provider 'local' setting 'apiKey' references environment"
            + " variable HAPS_TEST_UNSET_KEY, which is not set; export HAPS_TEST_UNSET_KEY");
  }

  @Test
  void create_badSettings_areRejectedByName() {
    assertThatThrownBy(() -> provider(Map.of("maxTokensField", "tokens")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'maxTokensField'");
    assertThatThrownBy(() -> provider(Map.of("stop.none", "x")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'stop.none'");
    assertThatThrownBy(() -> provider(Map.of("extraSampling", "1")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'extraSampling'");
  }

  @Test
  void registry_findsTheOpenAiFactory() {
    ProviderRegistry r = ProviderRegistry.load();
    assertThat(r.has("openai")).isTrue();
    assertThat(r.factory("openai")).isInstanceOf(OpenAiProviderFactory.class);
  }

  @Test
  void apiKey_neverInMessagesToStringOrLogs() throws IOException {
    LlmProvider p = provider(Map.of());
    List<String> texts = new ArrayList<>();
    texts.add(p.toString());
    server.enqueue(Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + KEY + ". You can find your API key at https://platform.openai.com\"}}"));
    server.enqueue(Reply.json(400, "{\"message\":\"bad key " + KEY + "\"}"));
    server.enqueue(Reply.json(500, KEY));
    server.enqueue(Reply.events("data: {\"error\":{\"message\":\"" + KEY + "\"}}\n\n"));
    server.enqueue(Reply.drop());
    for (int i = 0; i < 5; i++) {
      ProviderException e = catchThrowableOfType(ProviderException.class, i == 3
          ? () -> p.stream(request("gpt-4o"), ParameterValues.empty(), d -> { })
          : () -> p.complete(request("gpt-4o"), ParameterValues.empty()));
      texts.add(e.getMessage());
      texts.add(e.toString());
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        texts.add(String.valueOf(t.getMessage()));
      }
    }
    assertThat(server.requestCount()).isEqualTo(5);
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(KEY));
    assertThat(texts.get(1)).contains("Incorrect API key provided: ****");

    Path log = Path.of("target/test-trace.log");
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(logged).contains("provider local model gpt-4o: POST");
    assertThat(logged).doesNotContain(KEY);
  }
}
