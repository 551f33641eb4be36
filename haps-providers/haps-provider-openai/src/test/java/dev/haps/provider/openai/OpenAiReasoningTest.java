package dev.haps.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
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
 * Issue 24.1: reasoning effort and verbosity per model, {@code max_completion_tokens} where a
 * model needs it, reasoning tokens from the usage details priced as output, and the parameters a
 * reasoning model rejects refused before the call. Wire format as in OpenAI's Chat Completions
 * reference: {@code reasoning_effort} and {@code verbosity} are top-level strings,
 * {@code max_completion_tokens} an integer, and the usage carries
 * {@code completion_tokens_details.reasoning_tokens} inside {@code completion_tokens}.
 */
class OpenAiReasoningTest {

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private LlmProvider provider(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("baseUrl", server.url("/v1"));
    s.put("apiKey", "sk-test-reasoning");
    // As a JSON configuration file flattens {"model": {"o3-mini": {"reasoningEffort": [...]}}}.
    s.put("model.o3-mini.reasoningEffort", "[\"low\", \"medium\", \"high\"]");
    s.put("model.gpt-5.reasoningEffort", "minimal,low,medium,high");
    s.put("model.gpt-5.verbosity", "[\"low\", \"medium\", \"high\"]");
    s.put("price.o3-mini.input", "1.1");
    s.put("price.o3-mini.output", "4.4");
    s.put("price.gpt-5.input", "1.25");
    s.put("price.gpt-5.output", "10");
    s.putAll(extra);
    return new OpenAiProviderFactory().create(ProviderConfig.of("local", s));
  }

  private static ChatRequest request(String model) {
    return new ChatRequest(model, List.of(ChatMessage.user("Is 1001 prime?")),
        Duration.ofSeconds(5));
  }

  private static String answer(String model, int in, int out, int reasoning) {
    return "{\"id\":\"chatcmpl-r\",\"object\":\"chat.completion\",\"model\":\"" + model + "\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + "\"No: 7 x 11 x 13.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
        + ",\"total_tokens\":" + (in + out) + ",\"prompt_tokens_details\":{\"cached_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning
        + ",\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}";
  }

  private static List<String> fields(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void complete_reasoningModel_sendsEffortAndMaxCompletionTokensAndPricesReasoning() {
    server.enqueue(Reply.json(200, answer("o3-mini-2025-01-31", 100, 2000, 1800)));
    Completion c = provider(Map.of()).complete(request("o3-mini"), ParameterValues.builder()
        .put("reasoning_effort", "high").put("max_tokens", 4000).build());

    JsonNode body = server.lastRequest().json();
    assertThat(fields(body))
        .containsExactly("model", "messages", "reasoning_effort", "max_completion_tokens");
    assertThat(body.path("model").asText()).isEqualTo("o3-mini");
    assertThat(body.path("reasoning_effort").isTextual()).isTrue();
    assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
    assertThat(body.path("max_completion_tokens").isIntegralNumber()).isTrue();
    assertThat(body.path("max_completion_tokens").asLong()).isEqualTo(4000);

    assertThat(c.usage().inputTokens()).isEqualTo(100);
    assertThat(c.usage().outputTokens()).isEqualTo(2000);
    assertThat(c.usage().reasoningTokens()).isEqualTo(1800);
    // By hand: 100 × $1.10/M + 2,000 × $4.40/M (the 1,800 reasoning tokens are output) =
    // $0.00011 + $0.0088 = $0.00891.
    assertThat(c.costUsd()).isCloseTo(0.00891, Offset.offset(1e-12));
    assertThat(c.text()).isEqualTo("No: 7 x 11 x 13.");
  }

  @Test
  void stream_gpt5_sendsEffortAndVerbosityAndReadsReasoningFromTheLastChunk() {
    server.enqueue(Reply.events(
        "data: {\"id\":\"c\",\"model\":\"gpt-5-2025-08-07\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
            + "data: {\"id\":\"c\",\"model\":\"gpt-5-2025-08-07\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"No.\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c\",\"model\":\"gpt-5-2025-08-07\",\"choices\":[],\"usage\":"
            + "{\"prompt_tokens\":40,\"completion_tokens\":530,\"total_tokens\":570,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":512}}}\n\n"
            + "data: [DONE]\n\n"));
    List<String> deltas = new ArrayList<>();
    Completion c = provider(Map.of()).stream(request("gpt-5"), ParameterValues.builder()
        .put("reasoning_effort", "minimal").put("verbosity", "low").put("max_tokens", 600L)
        .build(), deltas::add);

    JsonNode body = server.lastRequest().json();
    assertThat(fields(body)).containsExactly("model", "messages", "reasoning_effort",
        "verbosity", "max_completion_tokens", "stream", "stream_options");
    assertThat(body.path("reasoning_effort").asText()).isEqualTo("minimal");
    assertThat(body.path("verbosity").asText()).isEqualTo("low");
    assertThat(body.path("max_completion_tokens").asLong()).isEqualTo(600);
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();

    assertThat(deltas).containsExactly("No.");
    assertThat(c.usage()).isEqualTo(new dev.haps.spi.TokenUsage(40, 530, 512));
    // By hand: 40 × $1.25/M + 530 × $10/M = $0.00005 + $0.0053 = $0.00535.
    assertThat(c.costUsd()).isCloseTo(0.00535, Offset.offset(1e-12));
  }

  @Test
  void parameterSpace_isDeclaredPerModel() {
    LlmProvider p = provider(Map.of("model.gpt-5.1.rejects", "[]",
        "model.gpt-5.1.reasoningEffort", "none,low,medium,high"));
    ParameterSpace o3 = p.parameterSpace("o3-mini");
    assertThat(names(o3)).containsExactly("max_tokens", "seed", "reasoning_effort");
    assertThat(o3.spec("reasoning_effort")).contains(new CategoricalSpec("reasoning_effort",
        List.of("low", "medium", "high"), "medium"));
    assertThat(names(p.parameterSpace("gpt-5"))).containsExactly("max_tokens", "seed",
        "reasoning_effort", "verbosity");
    assertThat(names(p.parameterSpace("gpt-4o"))).containsExactly("temperature", "top_p",
        "max_tokens", "presence_penalty", "frequency_penalty", "seed");
    // An OpenAI reasoning family without settings: its rules apply, no effort is declared.
    assertThat(names(p.parameterSpace("o4-mini"))).containsExactly("max_tokens", "seed");
    // A chat variant of gpt-5 is no reasoning model; a dotted name with rejects [] keeps all.
    assertThat(names(p.parameterSpace("gpt-5-chat-latest"))).contains("temperature");
    assertThat(names(p.parameterSpace("gpt-5.1"))).containsExactly("temperature", "top_p",
        "max_tokens", "presence_penalty", "frequency_penalty", "seed", "reasoning_effort");
    assertThat(p.parameterSpace("gpt-5.1").spec("reasoning_effort").orElseThrow()
        .defaultValue()).isEqualTo("medium");
  }

  @Test
  void complete_unconfiguredReasoningFamilyAndOverride_chooseTheTokenField() {
    server.enqueue(Reply.json(200, answer("o4-mini", 1, 1, 0)));
    server.enqueue(Reply.json(200, answer("o4-mini", 1, 1, 0)));
    server.enqueue(Reply.json(200, answer("gpt-4o", 1, 1, 0)));
    LlmProvider p = provider(Map.of("model.o1-preview.maxTokensField", "max_tokens"));
    p.complete(request("o4-mini"), ParameterValues.builder().put("max_tokens", 10L).build());
    assertThat(fields(server.lastRequest().json())).contains("max_completion_tokens")
        .doesNotContain("max_tokens");
    p.complete(request("o1-preview"), ParameterValues.builder().put("max_tokens", 10L).build());
    assertThat(fields(server.lastRequest().json())).contains("max_tokens")
        .doesNotContain("max_completion_tokens");
    p.complete(request("gpt-4o"), ParameterValues.builder().put("max_tokens", 10L).build());
    assertThat(server.lastRequest().json().path("max_tokens").asLong()).isEqualTo(10);
  }

  @Test
  void complete_whatAReasoningModelRejects_isRefusedBeforeAnyRequestNamingModelAndRule() {
    LlmProvider p = provider(Map.of("model.my-r1.rejects", "seed"));
    assertThatThrownBy(() -> p.complete(request("o3-mini"),
        ParameterValues.builder().put("reasoning_effort", "low").put("temperature", 0.2).build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'local' model 'o3-mini': parameter 'temperature' = 0.2 is refused:"
            + " OpenAI reasoning models (o-series, gpt-5) accept only their default temperature;"
            + " leave it out, or set model.o3-mini.rejects if this model takes it");
    assertThatThrownBy(() -> p.complete(request("gpt-5"),
        ParameterValues.builder().put("top_p", 0.9).build()))
        .hasMessageContaining("model 'gpt-5': parameter 'top_p' = 0.9 is refused");
    assertThatThrownBy(() -> p.complete(request("my-r1"),
        ParameterValues.builder().put("seed", 3L).build()))
        .hasMessage("provider 'local' model 'my-r1': parameter 'seed' = 3 is refused: the setting"
            + " model.my-r1.rejects lists it");
    assertThatThrownBy(() -> p.complete(request("gpt-4o"),
        ParameterValues.builder().put("reasoning_effort", "high").build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'local' model 'gpt-4o': parameter 'reasoning_effort' = 'high' is"
            + " refused: the model declares no reasoning_effort; configure"
            + " model.gpt-4o.reasoningEffort with the values it accepts");
    assertThatThrownBy(() -> p.complete(request("o3-mini"),
        ParameterValues.builder().put("reasoning_effort", "minimal").build()))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'local' model 'o3-mini': parameter 'reasoning_effort' ="
            + " 'minimal' is invalid: expected one of [low, medium, high]");
    assertThatThrownBy(() -> p.complete(request("gpt-5"),
        ParameterValues.builder().put("verbosity", "terse").build()))
        .hasMessageContaining("parameter 'verbosity' = 'terse' is invalid: expected one of"
            + " [low, medium, high]");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void create_badModelSettings_areRefusedByName() {
    assertThatThrownBy(() -> provider(Map.of("model.o3-mini.effort", "low")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("provider 'local' setting 'model.o3-mini.effort' is not a model"
            + " setting; write model.<model>.<key> with key one of [reasoningEffort, verbosity,"
            + " rejects, maxTokensField]");
    assertThatThrownBy(() -> provider(Map.of("model.o3-mini.rejects", "[\"logprobs\"]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("provider 'local' setting 'model.o3-mini.rejects' names"
            + " 'logprobs', which is not a parameter of this provider");
    assertThatThrownBy(() -> provider(Map.of("model.x.reasoningEffort", "[]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("provider 'local' setting 'model.x.reasoningEffort' lists no"
            + " value");
    assertThatThrownBy(() -> provider(Map.of("model.x.maxTokensField", "tokens")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'model.x.maxTokensField' = 'tokens' is not supported");
  }

  private static List<String> names(ParameterSpace space) {
    List<String> out = new ArrayList<>();
    for (ParameterSpec s : space.specs()) {
      out.add(s.name());
    }
    return out;
  }
}
