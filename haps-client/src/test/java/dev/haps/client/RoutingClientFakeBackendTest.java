package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterValues;
import dev.haps.provider.anthropic.AnthropicProviderFactory;
import dev.haps.provider.openai.OpenAiProviderFactory;
import dev.haps.spi.ProviderConfig;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.Fault;
import dev.haps.testing.FaultPlan;
import dev.haps.testing.LoopbackServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenAI and Anthropic providers behind one client, against one fake chat backend
 * (haps-testing's {@link LoopbackServer#chat}): both protocols, called and streamed, read the
 * text and usage the backend sent; a forced fault is retried on the same candidate.
 */
class RoutingClientFakeBackendTest {

  private final LoopbackServer backend = LoopbackServer.start()
      .chat(req -> ChatAnswer.of(req.model().startsWith("claude") ? "bonjour le monde"
          : "hello world").usage(11, 3).reasoningTokens(1));

  @AfterEach
  void stop() {
    backend.close();
  }

  private RoutingClient client(String first) {
    FixedRouter router = new FixedRouter()
        .rank(first, 0.6, ParameterValues.builder().put("temperature", 0.2).build())
        .rank(first.equals("gpt-4") ? "claude" : "gpt-4", 0.4, ParameterValues.empty());
    return RoutingClient.builder().router(router)
        .provider("openai", new OpenAiProviderFactory().create(ProviderConfig.of("openai",
            Map.of("baseUrl", backend.url("/v1"), "apiKey", "sk-openai-test"))))
        .provider("anthropic", new AnthropicProviderFactory().create(ProviderConfig.of(
            "anthropic", Map.of("baseUrl", backend.url(""), "apiKey", "sk-ant-test"))))
        .candidate("gpt-4", "openai", "gpt-4o")
        .candidate("claude", "anthropic", "claude-sonnet-4-5")
        .retry(RetryPolicy.builder().maxRetries(1)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1).build())
        .build();
  }

  @Test
  void callAndStream_bothProtocols_readTheBackendsTextAndUsage() {
    for (String first : new String[] {"gpt-4", "claude"}) {
      String expected = first.equals("claude") ? "bonjour le monde" : "hello world";
      try (RoutingClient c = client(first)) {
        CallResult called = c.call(RouteRequest.of("hi"));
        StringBuilder deltas = new StringBuilder();
        CallResult streamed = c.stream(RouteRequest.of("hi"), deltas::append);

        for (CallResult r : new CallResult[] {called, streamed}) {
          assertThat(r.candidate()).isEqualTo(first);
          assertThat(r.text()).isEqualTo(expected);
          assertThat(r.usage().inputTokens()).isEqualTo(11);
          assertThat(r.usage().outputTokens()).isEqualTo(3);
          assertThat(r.attempts()).hasSize(1);
        }
        assertThat(deltas.toString()).isEqualTo(expected);
      }
    }
    assertThat(backend.requestCount("/v1/chat/completions")).isEqualTo(2);
    assertThat(backend.requestCount("/v1/messages")).isEqualTo(2);
    assertThat(backend.requests()).allMatch(r -> r.fault() == Fault.OK);
  }

  @Test
  void forcedFault_isRetriedOnTheSameCandidate() {
    AtomicInteger seen = new AtomicInteger();
    backend.faults(FaultPlan.builder().weight(Fault.OK, 1)
        .forcing(r -> seen.incrementAndGet() == 1 ? Optional.of(Fault.SERVER_503)
            : Optional.empty())
        .build());
    try (RoutingClient c = client("claude")) {
      CallResult r = c.call(RouteRequest.of("hi"));
      assertThat(r.text()).isEqualTo("bonjour le monde");
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SUCCESS);
      assertThat(r.attempts()).extracting(Attempt::candidate).containsOnly("claude");
    }
    assertThat(backend.requests()).extracting(LoopbackServer.Recorded::fault)
        .containsExactly(Fault.SERVER_503, Fault.OK);
  }
}
