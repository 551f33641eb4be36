package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.TokenUsage;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16.18: {@link HttpLlmProvider} is the documented base of HTTP plugins. This plugin is the
 * one in its class comment and in docs/providers.md, and it needs no streaming code.
 */
class MinimalPluginTest {

  private static final String KEY = "acme-TESTKEY-31337";

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  /** The factory as documented: settings parsed by EndpointSettings, nothing else. */
  static final class AcmeProviderFactory implements LlmProviderFactory {
    @Override
    public String type() {
      return "acme";
    }

    @Override
    public LlmProvider create(ProviderConfig config) {
      return new AcmeProvider(EndpointSettings.from(config, "https://api.acme.example/v1", true));
    }
  }

  /** Three methods: the space, the body, the answer. */
  static final class AcmeProvider extends HttpLlmProvider {
    AcmeProvider(EndpointSettings settings) {
      super(settings, "/generate",
          Map.of("Authorization", "Bearer " + settings.apiKey().orElseThrow().reveal()));
    }

    @Override
    protected ParameterSpace space(String model) {
      return ParameterSpace.of(FloatSpec.of("temperature", 0, 1, 0.7),
          IntSpec.of("max_tokens", 1, 4096, 256));
    }

    @Override
    protected ObjectNode body(ChatRequest request, ParameterValues values, boolean stream) {
      ObjectNode body = Json.object().put("model", request.model())
          .put("prompt", request.messages().get(request.messages().size() - 1).content());
      values.asMap().forEach((name, value) -> Json.put(body, name, value));
      return body;
    }

    @Override
    protected Completion parse(ChatRequest request, JsonNode answer, Duration latency) {
      return completion(request, answer.path("text").asText(), Json.text(answer, "model", ""),
          new TokenUsage(Json.count(answer, "in"), Json.count(answer, "out")),
          answer.has("in"), latency, Map.of());
    }
  }

  private LlmProvider provider() {
    return new AcmeProviderFactory().create(ProviderConfig.of("acme", Map.of(
        "baseUrl", server.url("/v1"), "apiKey", KEY,
        "price.acme-1.input", "2", "price.acme-1.output", "8")));
  }

  private static ChatRequest request() {
    return new ChatRequest("acme-1", List.of(ChatMessage.user("hi")), Duration.ofSeconds(5));
  }

  @Test
  void complete_sendsCanonicalValuesAndPricesOnce() {
    server.enqueue(Reply.json(200, "{\"text\":\"hello\",\"in\":100,\"out\":50}"));
    // Issue 16.17: a whole number given as 5.0 reaches the wire as 5.
    Completion c = provider().complete(request(),
        ParameterValues.of(Map.of("max_tokens", 5.0, "temperature", 0.5)));
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("max_tokens").isIntegralNumber()).isTrue();
    assertThat(body.path("max_tokens").toString()).isEqualTo("5");
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(server.lastRequest().path()).isEqualTo("/v1/generate");
    assertThat(server.lastRequest().header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(c.text()).isEqualTo("hello");
    assertThat(c.model()).isEqualTo("acme-1");
    assertThat(c.costUsd()).isCloseTo((100 * 2.0 + 50 * 8.0) / 1e6, Offset.offset(1e-15));
  }

  @Test
  void stream_withoutAssembler_isUnsupportedBeforeAnyRequest() {
    LlmProvider p = provider();
    assertThat(p.supportsStreaming()).isFalse();
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> p.stream(request(), ParameterValues.empty(), d -> { }));
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNSUPPORTED);
    assertThat(e).hasMessage("provider 'acme' does not support streaming; call complete()"
        + " instead");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void complete_invalidValue_isRefusedBeforeAnyRequestWithProviderAndModel() {
    assertThatThrownBy(() -> provider().complete(request(),
        ParameterValues.of(Map.of("max_tokens", 5.5))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("provider 'acme' model 'acme-1': parameter 'max_tokens' = 5.5 is invalid:"
            + " expected a whole number in [1, 4096]");
    assertThat(server.requestCount()).isZero();
  }
}
