package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.RouteTimings;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.FeedbackLog;
import dev.haps.data.OutcomeLogException;
import dev.haps.data.OutcomeLogReader;
import dev.haps.data.Outcome;
import dev.haps.data.QueryRecord;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.provider.openai.OpenAiProviderFactory;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingClientTest {

  @TempDir Path dir;

  private final LoopbackServer server = LoopbackServer.start();
  private final LoopbackServer backup = LoopbackServer.start();
  private final List<Duration> slept = new ArrayList<>();

  @AfterEach
  void stop() {
    server.close();
    backup.close();
  }

  static String chat(String model, String content, int in, int out) {
    return "{\"id\":\"c\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":"
        + "{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + "}}";
  }

  static LlmProvider openai(String id, LoopbackServer s, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("baseUrl", s.url("/v1"),
        "price.gpt-4o.input", "2.5", "price.gpt-4o.output", "10",
        "price.small.input", "0.1", "price.small.output", "0.4"));
    settings.putAll(extra);
    return new OpenAiProviderFactory().create(ProviderConfig.of(id, settings));
  }

  /** Two candidates: gpt-4 (temperature, prompt_style) on local, small (top_p) on backup. */
  private FixedRouter twoCandidates() {
    return new FixedRouter()
        .rank("gpt-4", 0.7, ParameterValues.builder().put("temperature", 0.3)
            .put("prompt_style", "concise").build())
        .rank("small", 0.3, ParameterValues.builder().put("top_p", 0.9).build())
        .space("gpt-4", ParameterSpace.of(FloatSpec.of("temperature", 0, 1, 0.7),
            CategoricalSpec.of("prompt_style", "baseline", "baseline", "concise",
                "chain_of_thought", "composite")))
        .space("small", ParameterSpace.of(FloatSpec.of("top_p", 0.1, 1, 1)));
  }

  private RoutingClient.Builder client(FixedRouter router) {
    return RoutingClient.builder()
        .router(router)
        .provider("local", openai("local", server, Map.of()))
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o")
        .candidate("small", "backup")
        .sleeper(slept::add)
        .random(() -> 0.5);
  }

  @Test
  void call_success_reportsModelParametersTokensCostAndAttempt() {
    server.enqueue(Reply.json(200, chat("gpt-4o-2024", "Paris", 1200, 300)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      CallResult r = c.call(RouteRequest.of("Capital of France?", 0.2));
      assertThat(r.text()).isEqualTo("Paris");
      assertThat(r.candidate()).isEqualTo("gpt-4");
      assertThat(r.provider()).isEqualTo("local");
      assertThat(r.backendModel()).isEqualTo("gpt-4o");
      assertThat(r.parameters()).isEqualTo(ParameterValues.builder().put("temperature", 0.3)
          .put("prompt_style", "concise").build());
      assertThat(r.usage().inputTokens()).isEqualTo(1200);
      assertThat(r.usage().outputTokens()).isEqualTo(300);
      assertThat(r.costUsd()).isEqualTo((1200 * 2.5 + 300 * 10.0) / 1e6);
      assertThat(r.attempts()).hasSize(1);
      Attempt a = r.attempts().get(0);
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SUCCESS);
      assertThat(a.reason()).isEqualTo("rank 1 (p=0.700)");
      assertThat(r.fellBack()).isFalse();
      assertThat(r.summary()).contains("gpt-4 via local/gpt-4o", "tokens 1200 in + 300 out",
          "cost $0.006000", "1 attempt");

      JsonNode body = server.lastRequest().json();
      assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
      assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
      assertThat(body.has("prompt_style")).isFalse();
      assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
      assertThat(body.path("messages").get(0).path("content").asText())
          .isEqualTo(RequestTransformers.promptStyleTexts().get("concise"));
      assertThat(body.path("messages").get(1).path("content").asText())
          .isEqualTo("Capital of France?");
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void callWithDecision_skipsTheRouterAndSendsTheGivenParametersWithRetries() {
    server.enqueue(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    server.enqueue(Reply.json(200, chat("gpt-4o", "Paris", 10, 2)));
    FixedRouter router = twoCandidates();
    try (RoutingClient c = client(router).build()) {
      ParameterValues pinned = ParameterValues.builder().put("temperature", 0.9)
          .put("prompt_style", "baseline").build();
      RouteDecision d = new RouteDecision(List.of(new RankedCandidate(
          Candidate.of("openai", "gpt-4"), 1.0, pinned, Double.NaN)), Map.of(),
          router.bundle(), new RouteTimings(0, 0, 0, false));
      CallResult r = c.call(RouteRequest.of("Capital of France?"), d);
      assertThat(r.text()).isEqualTo("Paris");
      assertThat(r.parameters()).isEqualTo(pinned);
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SUCCESS);
      assertThat(router.routed).isEmpty();
      JsonNode body = server.lastRequest().json();
      assertThat(body.path("temperature").asDouble()).isEqualTo(0.9);
      assertThat(body.path("messages").get(0).path("content").asText())
          .isEqualTo(RequestTransformers.promptStyleTexts().get("baseline"));
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void call_429WithRetryAfter_waitsTheAskedDelayThenSucceeds() {
    server.enqueue(Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}")
        .header("Retry-After", "2"));
    server.enqueue(Reply.json(200, chat("gpt-4o", "ok", 5, 1)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      CallResult r = c.call("hi");
      assertThat(r.text()).isEqualTo("ok");
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.RATE_LIMITED, Attempt.Outcome.SUCCESS);
      assertThat(r.attempts().get(0).status()).isEqualTo(429);
      assertThat(r.attempts().get(1).delay()).isEqualTo(Duration.ofSeconds(2));
      assertThat(r.attempts().get(1).reason()).isEqualTo("retry 1 of gpt-4 after RATE_LIMITED");
      assertThat(slept).containsExactly(Duration.ofSeconds(2));
      assertThat(c.retriesMade()).isEqualTo(1);
    }
  }

  @Test
  void call_429WithRetryAfter_reallyWaits() {
    server.enqueue(Reply.json(429, "{}").header("Retry-After", "1"));
    server.enqueue(Reply.json(200, chat("gpt-4o", "ok", 5, 1)));
    try (RoutingClient c = RoutingClient.builder().router(twoCandidates())
        .provider("local", openai("local", server, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o").build()) {
      long t0 = System.nanoTime();
      CallResult r = c.call("hi");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(
          Duration.ofSeconds(1));
      assertThat(r.attempts()).hasSize(2);
    }
  }

  @Test
  void call_500ThenSuccess_retriesWithBackoff() {
    server.enqueue(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
    server.enqueue(Reply.json(503, "{\"error\":{\"message\":\"busy\"}}"));
    server.enqueue(Reply.json(200, chat("gpt-4o", "ok", 5, 1)));
    try (RoutingClient c = client(twoCandidates()).retry(RetryPolicy.builder().maxRetries(2)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0).jitter(0.5).build())
        .build()) {
      CallResult r = c.call("hi");
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SUCCESS);
      // random 0.5 with jitter 0.5: each wait is 75 % of 100 ms, then of 200 ms
      assertThat(slept).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150));
      assertThat(r.candidate()).isEqualTo("gpt-4");
    }
  }

  @Test
  void call_timeouts_fallBackToSecondAlternativeWithItsOwnParameters() {
    server.otherwise(req -> Reply.json(200, chat("gpt-4o", "late", 1, 1))
        .after(Duration.ofSeconds(3)));
    backup.enqueue(Reply.json(200, chat("small", "from backup", 10, 2)));
    try (RoutingClient c = RoutingClient.builder().router(twoCandidates())
        .provider("local", openai("local", server, Map.of("requestTimeout", "250")))
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o")
        .candidate("small", "backup")
        .retry(RetryPolicy.builder().maxRetries(1).backoff(Duration.ZERO, Duration.ZERO, 1)
            .build())
        .build()) {
      CallResult r = c.call("hi");
      assertThat(r.text()).isEqualTo("from backup");
      assertThat(r.fellBack()).isTrue();
      assertThat(r.candidate()).isEqualTo("small");
      assertThat(r.provider()).isEqualTo("backup");
      assertThat(r.parameters()).isEqualTo(ParameterValues.builder().put("top_p", 0.9).build());
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.TIMEOUT, Attempt.Outcome.TIMEOUT, Attempt.Outcome.SUCCESS);
      assertThat(r.attempts().get(2).reason()).startsWith("rank 2 (p=0.300), fallback after"
          + " gpt-4 TIMEOUT");
      assertThat(r.summary()).contains("(fell back from gpt-4)");
      JsonNode body = backup.lastRequest().json();
      assertThat(body.path("model").asText()).isEqualTo("small");
      assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
      assertThat(body.has("temperature")).isFalse();
      assertThat(body.path("messages")).hasSize(1);
      assertThat(r.costUsd()).isEqualTo((10 * 0.1 + 2 * 0.4) / 1e6);
    }
  }

  @Test
  void call_malformedJson_isRetriedAsTransient() {
    server.enqueue(Reply.json(200, "{\"choices\": [ {\"mess"));
    server.enqueue(Reply.json(200, chat("gpt-4o", "ok", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      assertThat(c.call("hi").attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.MALFORMED_RESPONSE, Attempt.Outcome.SUCCESS);
    }
  }

  @Test
  void call_badRequest_fallsBackWithoutRetry() {
    server.enqueue(Reply.json(400, "{\"error\":{\"message\":\"context too long\"}}"));
    backup.enqueue(Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      CallResult r = c.call("hi");
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.BAD_REQUEST, Attempt.Outcome.SUCCESS);
      assertThat(r.attempts().get(0).detail()).contains("context too long");
      assertThat(slept).isEmpty();
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.CLOSED);
    }
  }

  @Test
  void call_retryAfterBeyondCap_fallsBackAtOnce() {
    server.enqueue(Reply.json(429, "{}").header("Retry-After", "3600"));
    backup.enqueue(Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      CallResult r = c.call("hi");
      assertThat(slept).isEmpty();
      assertThat(r.attempts().get(1).reason())
          .contains("fallback after gpt-4 RATE_LIMITED, Retry-After PT1H exceeds PT30S");
    }
  }

  @Test
  void call_retryBudgetSpent_fallsBackWithoutRetrying() {
    server.otherwise(req -> Reply.json(503, "{}"));
    backup.otherwise(req -> Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).retry(RetryPolicy.builder().maxRetries(3)
        .budget(2, 0.0).build()).build()) {
      for (int i = 0; i < 5; i++) {
        assertThat(c.call("hi").text()).isEqualTo("ok");
      }
      assertThat(c.retriesMade()).isEqualTo(2);
      assertThat(slept).hasSize(2);
    }
  }

  @Test
  void call_everyAttemptFails_throwsNamingEachAttempt() {
    server.otherwise(req -> Reply.json(500, "{\"error\":{\"message\":\"primary down\"}}"));
    backup.otherwise(req -> Reply.json(502, "{\"error\":{\"message\":\"backup down\"}}"));
    try (RoutingClient c = client(twoCandidates()).retry(RetryPolicy.builder().maxRetries(1)
        .build()).build()) {
      RoutingCallException e = catchThrowableOfType(RoutingCallException.class,
          () -> c.call("hi"));
      assertThat(e.attempts()).hasSize(4);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("no candidate answered (2 of 2 tried, at most 3)",
          "[1] gpt-4 -> local/gpt-4o {temperature=0.3, prompt_style=concise}: SERVER_ERROR"
              + " (HTTP 500)", "primary down", "[4] small -> backup/small {top_p=0.9}:"
              + " SERVER_ERROR (HTTP 502)", "backup down", "retry 1 of small after SERVER_ERROR");
      assertThat(e.callId()).isNotBlank();
    }
  }

  @Test
  void call_valueOutOfRange_isRejectedBeforeAnyNetworkCallAndFallsBack() {
    FixedRouter router = new FixedRouter()
        .rank("gpt-4", 0.8, ParameterValues.builder().put("temperature", 7.0).build())
        .rank("small", 0.2, ParameterValues.empty());
    backup.enqueue(Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = client(router).build()) {
      CallResult r = c.call("hi");
      assertThat(server.requestCount()).isZero();
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.INVALID_PARAMETER, Attempt.Outcome.SUCCESS);
      assertThat(r.attempts().get(0).detail())
          .contains("'temperature' = 7.0 is invalid: above the maximum 2.0");
    }
  }

  @Test
  void build_parameterWithNeitherProviderNorTransformer_isAStartUpError() {
    FixedRouter router = twoCandidates()
        .space("small", ParameterSpace.of(FloatSpec.of("top_p", 0.1, 1, 1),
            CategoricalSpec.of("persona", "plain", "plain", "pirate")));
    assertThatThrownBy(() -> client(router).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("parameter 'persona' of candidate 'small' (provider 'backup',"
            + " model 'small') is declared neither by the provider")
        .hasMessageContaining("nor by a registered transformer");
    assertThat(server.requestCount() + backup.requestCount()).isZero();
  }

  @Test
  void build_transformerRegistered_appliesAndRemovesTheParameter() {
    FixedRouter router = new FixedRouter()
        .rank("small", 1.0, ParameterValues.builder().put("persona", "pirate").build())
        .space("small", ParameterSpace.of(CategoricalSpec.of("persona", "plain", "plain",
            "pirate")));
    backup.enqueue(Reply.json(200, chat("small", "arr", 1, 1)));
    try (RoutingClient c = RoutingClient.builder().router(router)
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("*", "backup")
        .transformer("persona", RequestTransformers.systemPrompt(
            Map.of("plain", "", "pirate", "Talk like a pirate.")))
        .build()) {
      assertThat(c.call("hi").text()).isEqualTo("arr");
      JsonNode body = backup.lastRequest().json();
      assertThat(body.has("persona")).isFalse();
      assertThat(body.path("messages").get(0).path("content").asText())
          .isEqualTo("Talk like a pirate.");
    }
  }

  @Test
  void call_providerDeclaringPromptStyle_receivesItInsteadOfTheBuiltIn() {
    ReplayProvider replay = ReplayProvider.bundled("replay");
    QueryRecord q = ReplayProvider.bundledLog().records().get(0);
    ParameterValues routed = ParameterValues.builder().put("prompt_style", "concise").build();
    FixedRouter router = new FixedRouter().rank("gpt-4", 1.0, routed)
        .space("gpt-4", replay.parameterSpace("gpt-4"));
    try (RoutingClient c = RoutingClient.builder().router(router).provider("replay", replay)
        .candidate("*", "replay").build()) {
      CallResult r = c.call(q.query());
      Outcome recorded = replay.recordedOutcome(q.query(), "gpt-4", routed).orElseThrow();
      assertThat(r.costUsd()).isEqualTo(recorded.costUsd());
      assertThat(r.completion().model()).isEqualTo("gpt-4");
      List<String> deltas = new ArrayList<>();
      CallResult streamed = c.stream(RouteRequest.of(q.query()), deltas::add);
      assertThat(replay.supportsStreaming()).isFalse();
      assertThat(deltas).containsExactly(streamed.text());
    }
  }

  @Test
  void call_registeredTransformer_winsOverTheProvidersParameter() {
    FixedRouter router = new FixedRouter()
        .rank("small", 1.0, ParameterValues.builder().put("stop", "para").build());
    backup.enqueue(Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = RoutingClient.builder().router(router)
        .provider("backup", openai("backup", backup, Map.of("stop.para", "[\"\\n\\n\"]")))
        .candidate("*", "backup")
        .transformer("stop", RequestTransformers.systemPrompt(Map.of("para", "One paragraph.")))
        .build()) {
      c.call("hi");
      JsonNode body = backup.lastRequest().json();
      assertThat(body.has("stop")).isFalse();
      assertThat(body.path("messages").get(0).path("content").asText())
          .isEqualTo("One paragraph.");
    }
  }

  @Test
  void build_noCandidateMapped_isAStartUpError() {
    assertThatThrownBy(() -> RoutingClient.builder().router(twoCandidates())
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("other", "backup").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no candidate of [gpt-4, small] is mapped to a provider");
  }

  @Test
  void build_transformerMissingAChoice_isAStartUpError() {
    FixedRouter router = new FixedRouter()
        .rank("small", 1.0, ParameterValues.empty())
        .space("small", ParameterSpace.of(CategoricalSpec.of("persona", "plain", "plain",
            "pirate")));
    assertThatThrownBy(() -> RoutingClient.builder().router(router)
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("*", "backup")
        .transformer("persona", RequestTransformers.systemPrompt(Map.of("plain", "")))
        .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("parameter 'persona' of candidate 'small' may take [pirate]");
  }

  @Test
  void build_bundleRangeWiderThanProviders_isAStartUpError() {
    FixedRouter router = new FixedRouter()
        .rank("gpt-4", 1.0, ParameterValues.empty())
        .space("gpt-4", ParameterSpace.of(FloatSpec.of("temperature", 0, 3, 1),
            IntSpec.of("top_k", 1, 50, 40)));
    assertThatThrownBy(() -> client(router).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("parameter 'temperature' of candidate 'gpt-4' (provider 'local',"
            + " model 'gpt-4o'): the bundle's range [0.0, 3.0] exceeds the provider's [0.0, 2.0]")
        .hasMessageContaining("parameter 'top_k' of candidate 'gpt-4'")
        .hasMessageContaining("extraSampling");
  }

  @Test
  void build_mappingToUnknownProviderOrUndeclaredModel_isAStartUpError() {
    assertThatThrownBy(() -> RoutingClient.builder().router(twoCandidates())
        .provider("local", openai("local", server, Map.of()))
        .candidate("gpt-4", "nowhere").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("candidate 'gpt-4' maps to provider instance 'nowhere', which is"
            + " not registered; registered: [local]");
    assertThatThrownBy(() -> RoutingClient.builder().router(twoCandidates())
        .provider("local", openai("local", server, Map.of("models", "gpt-4o")))
        .candidate("*", "local").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("candidate 'gpt-4': provider 'local' does not serve model 'gpt-4'");
  }

  @Test
  void call_unmappedCandidate_isNeverChosenAndLoggedOnce() throws Exception {
    String unmapped = "unmapped-" + java.util.UUID.randomUUID();
    FixedRouter router = new FixedRouter()
        .rank(unmapped, 0.9, ParameterValues.empty())
        .rank("small", 0.1, ParameterValues.empty());
    backup.otherwise(req -> Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = RoutingClient.builder().router(router)
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("small", "backup")
        .build()) {
      assertThat(c.unmappedCandidates()).containsExactly(unmapped);
      for (int i = 0; i < 3; i++) {
        CallResult r = c.call("hi");
        assertThat(r.candidate()).isEqualTo("small");
        assertThat(r.attempts()).hasSize(1);
      }
      assertThat(router.routed).hasSize(3)
          .allSatisfy(q -> assertThat(q.deniedModels()).containsExactly(unmapped));
    }
    List<String> warnings = Files.readAllLines(Path.of("target/test-trace.log")).stream()
        .filter(l -> l.contains(unmapped)).toList();
    assertThat(warnings).singleElement().asString()
        .contains("WARN", "have no provider mapping and will never be chosen");
  }

  @Test
  void call_onlyUnmappedAllowed_isNoEligibleCandidate() {
    try (RoutingClient c = RoutingClient.builder().router(twoCandidates())
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("small", "backup").build()) {
      assertThatThrownBy(() -> c.call(RouteRequest.builder().query("hi").allow("gpt-4").build()))
          .isInstanceOf(NoEligibleCandidateException.class)
          .hasMessageContaining("gpt-4 (denied)");
    }
  }

  @Test
  void circuit_opensAfterConsecutiveFailuresAndClosesAfterCoolDown() {
    MutableClock clock = new MutableClock();
    FixedRouter router = new FixedRouter().rank("gpt-4", 1.0, ParameterValues.empty());
    server.enqueue(Reply.json(500, "{}"));
    server.enqueue(Reply.json(500, "{}"));
    try (RoutingClient c = RoutingClient.builder().router(router)
        .provider("local", openai("local", server, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o")
        .retry(RetryPolicy.none())
        .circuitBreaker(new CircuitBreakerPolicy(2, Duration.ofSeconds(30)))
        .clock(clock)
        .build()) {
      assertThatThrownBy(() -> c.call("a")).isInstanceOf(RoutingCallException.class);
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.CLOSED);
      assertThatThrownBy(() -> c.call("b")).isInstanceOf(RoutingCallException.class);
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.OPEN);

      RoutingCallException open = catchThrowableOfType(RoutingCallException.class,
          () -> c.call("c"));
      assertThat(open.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.CIRCUIT_OPEN);
      assertThat(open.attempts().get(0).detail())
          .contains("circuit of provider 'local' is open for another 30000 ms");
      assertThat(server.requestCount()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(29));
      assertThatThrownBy(() -> c.call("d")).isInstanceOf(RoutingCallException.class);
      assertThat(server.requestCount()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(2));
      server.enqueue(Reply.json(200, chat("gpt-4o", "back", 1, 1)));
      assertThat(c.call("e").text()).isEqualTo("back");
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.CLOSED);
    }
  }

  @Test
  void circuit_failedTrialCallReopens() {
    MutableClock clock = new MutableClock();
    FixedRouter router = new FixedRouter().rank("gpt-4", 1.0, ParameterValues.empty());
    server.otherwise(req -> Reply.json(500, "{}"));
    try (RoutingClient c = RoutingClient.builder().router(router)
        .provider("local", openai("local", server, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o")
        .retry(RetryPolicy.none())
        .circuitBreaker(new CircuitBreakerPolicy(1, Duration.ofSeconds(10)))
        .clock(clock)
        .build()) {
      assertThatThrownBy(() -> c.call("a")).isInstanceOf(RoutingCallException.class);
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.OPEN);
      clock.advance(Duration.ofSeconds(11));
      assertThatThrownBy(() -> c.call("b")).isInstanceOf(RoutingCallException.class);
      assertThat(server.requestCount()).isEqualTo(2);
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.OPEN);
    }
  }

  @Test
  void circuit_openOnFirstChoice_fallsBackToSecond() {
    MutableClock clock = new MutableClock();
    server.otherwise(req -> Reply.json(503, "{}"));
    backup.otherwise(req -> Reply.json(200, chat("small", "ok", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).retry(RetryPolicy.none())
        .circuitBreaker(new CircuitBreakerPolicy(1, Duration.ofMinutes(1))).clock(clock)
        .build()) {
      assertThat(c.call("a").attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SUCCESS);
      assertThat(c.call("b").attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.CIRCUIT_OPEN, Attempt.Outcome.SUCCESS);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void call_deadlineExceeded_failsInTime() {
    server.otherwise(req -> Reply.json(200, chat("gpt-4o", "late", 1, 1))
        .after(Duration.ofSeconds(5)));
    backup.otherwise(req -> Reply.json(200, chat("small", "late", 1, 1))
        .after(Duration.ofSeconds(5)));
    try (RoutingClient c = client(twoCandidates()).deadline(Duration.ofMillis(600)).build()) {
      long t0 = System.nanoTime();
      RoutingCallException e = catchThrowableOfType(RoutingCallException.class,
          () -> c.call("hi"));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      assertThat(e.getMessage()).contains("the deadline of PT0.6S passed");
      assertThat(e.attempts()).extracting(Attempt::outcome).containsOnly(Attempt.Outcome.TIMEOUT);
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void stream_assemblesDeltasAndFallsBackBeforeTheFirstDelta() {
    server.enqueue(Reply.json(503, "{}"));
    server.enqueue(Reply.json(503, "{}"));
    server.enqueue(Reply.json(503, "{}"));
    backup.enqueue(Reply.events("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"));
    List<String> deltas = new ArrayList<>();
    try (RoutingClient c = client(twoCandidates()).build()) {
      CallResult r = c.stream(RouteRequest.of("hi"), deltas::add);
      assertThat(deltas).containsExactly("Hel", "lo");
      assertThat(r.text()).isEqualTo("Hello");
      assertThat(r.candidate()).isEqualTo("small");
      assertThat(r.usage().outputTokens()).isEqualTo(2);
    }
  }

  @Test
  void stream_brokenAfterOutput_isNotRetried() {
    server.enqueue(Reply.events("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"));
    List<String> deltas = new ArrayList<>();
    try (RoutingClient c = client(twoCandidates()).build()) {
      RoutingCallException e = catchThrowableOfType(RoutingCallException.class,
          () -> c.stream(RouteRequest.of("hi"), deltas::add));
      assertThat(e.getMessage()).contains("the stream broke after output was delivered");
      assertThat(e.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.MALFORMED_RESPONSE);
      assertThat(deltas).containsExactly("Hel");
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void feedback_appendsParseableOutcomeLines() throws Exception {
    Path sink = dir.resolve("fb/outcomes.jsonl");
    server.enqueue(Reply.json(200, chat("gpt-4o", "Paris", 100, 20)));
    server.enqueue(Reply.json(500, "{}"));
    server.enqueue(Reply.json(500, "{}"));
    server.enqueue(Reply.json(500, "{}"));
    backup.enqueue(Reply.json(200, chat("small", "Lyon", 50, 5)));
    try (RoutingClient c = client(twoCandidates()).feedbackSink(sink).feedbackTask("prod")
        .build()) {
      CallResult a = c.call(RouteRequest.of("Capital of France?"));
      CallResult b = c.call(RouteRequest.of("Second city of France?"));
      c.feedback(a.callId(), 1.0);
      c.feedback(b.callId(), 0.0);
      assertThatThrownBy(() -> c.feedback(a.callId(), 1.0))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already reported");
      assertThatThrownBy(() -> c.feedback("nope", 1.0))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'nope' is unknown");
      assertThatThrownBy(() -> c.feedback(b.callId(), 1.5))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("outside [0, 1]");
    }
    List<String> lines = Files.readAllLines(sink);
    assertThat(lines).hasSize(2);
    List<QueryRecord> records = new ArrayList<>();
    try (OutcomeLogReader reader = OutcomeLogReader.open(sink)) {
      reader.stream().forEach(records::add);
    }
    assertThat(records).hasSize(2);
    QueryRecord r0 = records.get(0);
    assertThat(r0.task()).isEqualTo("prod");
    assertThat(r0.query()).isEqualTo("Capital of France?");
    assertThat(r0.outcomes()).hasSize(1);
    assertThat(r0.outcomes().get(0).model()).isEqualTo("gpt-4");
    assertThat(r0.outcomes().get(0).params()).isEqualTo(ParameterValues.builder()
        .put("temperature", 0.3).put("prompt_style", "concise").build());
    assertThat(r0.outcomes().get(0).score()).isEqualTo(1.0);
    assertThat(r0.outcomes().get(0).inputTokens()).isEqualTo(100);
    assertThat(r0.outcomes().get(0).costUsd()).isEqualTo((100 * 2.5 + 20 * 10.0) / 1e6);
    QueryRecord r1 = records.get(1);
    assertThat(r1.outcomes().get(0).model()).isEqualTo("small");
    assertThat(r1.outcomes().get(0).score()).isEqualTo(0.0);
  }

  @Test
  void feedbackLog_writesTheCallWithItsPropensityAtOnceAndTheScoreLater() throws Exception {
    Path log = dir.resolve("bandit");
    server.enqueue(Reply.json(200, chat("gpt-4o", "Paris", 100, 20)));
    server.enqueue(Reply.json(200, chat("gpt-4o", "Lyon", 80, 10)));
    String first;
    try (RoutingClient c = client(twoCandidates()).feedbackLog(log).feedbackTask("prod")
        .build()) {
      CallResult a = c.call(RouteRequest.of("Capital of France?", 0.3));
      first = a.callId();
      // The call line is on disk before any feedback: a crash now loses no call.
      assertThat(Files.readAllLines(log.resolve(FeedbackLog.CALLS_FILE))).hasSize(1);
      CallResult b = c.call(RouteRequest.of("Second city of France?", 0.7));
      c.feedback(a.callId(), 1.0);
      assertThatThrownBy(() -> c.feedback(a.callId(), 1.0))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already reported");
      assertThat(b.callId()).isNotEqualTo(first);
    }
    assertThat(Files.readAllLines(log.resolve(FeedbackLog.SCORES_FILE))).hasSize(1);
    FeedbackLog.Joined j = FeedbackLog.load(log, new FeedbackLog.JoinPolicy(
        Duration.ofMinutes(1), 0.0), java.time.Instant.now().plus(Duration.ofHours(1)));
    assertThat(j.calls()).isEqualTo(2);
    assertThat(j.scored()).isEqualTo(1);
    assertThat(j.defaulted()).isEqualTo(1);
    QueryRecord r = j.log().record(first).orElseThrow();
    Outcome o = r.outcomes().get(0);
    assertThat(o.model()).isEqualTo("gpt-4");
    assertThat(o.score()).isEqualTo(1.0);
    assertThat(o.logged()).isPresent();
    assertThat(o.logged().get().propensity()).isEqualTo(1.0);
    assertThat(o.logged().get().policy()).isEqualTo("fixed@1");
    assertThat(o.logged().get().costWeight()).isEqualTo(0.3);
    assertThat(o.logged().get().scoredAt()).isPresent();
    assertThat(r.task()).isEqualTo("prod");
  }

  @Test
  void feedbackLog_onAFullDisk_failsTheReportLoudly() throws Exception {
    Path log = dir.resolve("full");
    Files.createDirectories(log);
    // /dev/full accepts the open and refuses every write with "No space left on device".
    Files.createSymbolicLink(log.resolve(FeedbackLog.CALLS_FILE), Path.of("/dev/full"));
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")));
    server.enqueue(Reply.json(200, chat("gpt-4o", "Paris", 100, 20)));
    RoutingClient c = client(twoCandidates()).feedbackLog(log).build();
    CallResult a = c.call(RouteRequest.of("Capital of France?"));
    assertThat(a.text()).isEqualTo("Paris");
    assertThatThrownBy(() -> c.feedback(a.callId(), 1.0))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessageContaining("could not be written")
        .hasMessageContaining("free disk space");
    // /dev/full also refuses the final force (EINVAL); closing says so instead of hiding it.
    assertThatThrownBy(c::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("calls.jsonl");
  }

  @Test
  void feedbackLog_deniesCandidatesWhoseCircuitIsOpenBeforeRouting() {
    FixedRouter router = twoCandidates();
    for (int i = 0; i < 3; i++) {
      server.enqueue(Reply.json(500, "{}"));
    }
    backup.enqueue(Reply.json(200, chat("small", "Lyon", 50, 5)));
    backup.enqueue(Reply.json(200, chat("small", "Lyon", 50, 5)));
    try (RoutingClient c = client(router).feedbackLog(dir.resolve("cb"))
        .retry(RetryPolicy.builder().maxRetries(0).build())
        .circuitBreaker(new CircuitBreakerPolicy(1, Duration.ofMinutes(5))).build()) {
      c.call(RouteRequest.of("one"));
      assertThat(c.circuitState("local")).isEqualTo(RoutingClient.CircuitState.OPEN);
      CallResult second = c.call(RouteRequest.of("two"));
      assertThat(router.routed.get(1).deniedModels()).contains("gpt-4");
      assertThat(second.decision().model()).isEqualTo("small");
    }
  }

  @Test
  void feedback_withoutSink_isAConfigurationError() {
    server.enqueue(Reply.json(200, chat("gpt-4o", "x", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).build()) {
      String id = c.call("hi").callId();
      assertThatThrownBy(() -> c.feedback(id, 1.0))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no feedback sink is configured");
    }
  }

  @Test
  void feedback_afterTheWindow_isRefused() {
    MutableClock clock = new MutableClock();
    server.enqueue(Reply.json(200, chat("gpt-4o", "x", 1, 1)));
    try (RoutingClient c = client(twoCandidates()).clock(clock)
        .feedbackSink(dir.resolve("o.jsonl")).feedbackWindow(Duration.ofMinutes(5), 10)
        .build()) {
      String id = c.call("hi").callId();
      clock.advance(Duration.ofMinutes(6));
      assertThatThrownBy(() -> c.feedback(id, 1.0)).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void builder_optionsSetTwiceOrMissing_areRejected() {
    assertThatThrownBy(() -> RoutingClient.builder().deadline(Duration.ofSeconds(1))
        .deadline(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("deadline was already");
    assertThatThrownBy(() -> RoutingClient.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a router");
    assertThatThrownBy(() -> RoutingClient.builder().router(twoCandidates()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one provider");
    assertThatThrownBy(() -> RoutingClient.builder().candidate("a", "p").candidate("a", "q"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a' is already mapped");
    assertThatThrownBy(() -> RoutingClient.builder().deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void call_interruptedThread_stopsWithoutFurtherAttempts() {
    server.otherwise(req -> Reply.json(200, chat("gpt-4o", "ok", 1, 1)));
    try (RoutingClient c = RoutingClient.builder().router(twoCandidates())
        .provider("local", openai("local", server, Map.of()))
        .provider("backup", openai("backup", backup, Map.of()))
        .candidate("gpt-4", "local", "gpt-4o").candidate("small", "backup").build()) {
      Thread.currentThread().interrupt();
      RoutingCallException e = catchThrowableOfType(RoutingCallException.class,
          () -> c.call("hi"));
      assertThat(Thread.interrupted()).isTrue();
      assertThat(e.getMessage()).contains("interrupted");
      assertThat(e.attempts()).hasSize(1);
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void close_isIdempotentAndRefusesLaterCalls() {
    RoutingClient c = client(twoCandidates()).build();
    c.close();
    c.close();
    assertThatThrownBy(() -> c.call("hi")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
