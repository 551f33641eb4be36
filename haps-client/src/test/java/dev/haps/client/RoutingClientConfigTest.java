package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingClientConfigTest {

  private static final String KEY = "sk-live-CONFIGTEST-9c1d2e3f4a5b";

  /** The configuration of issue 9, verbatim. */
  private static final String ISSUE_CONFIG = "{\"providers\": {\"local\": {\"type\": \"openai\","
      + " \"baseUrl\": \"${env:OPENAI_BASE_URL}\",\n"
      + "                         \"apiKey\": \"${env:OPENAI_API_KEY}\"}},\n"
      + " \"candidates\": {\"gpt-4-1106-preview\": {\"provider\": \"local\", \"model\": \"gpt-4o\"},\n"
      + "                \"*\": {\"provider\": \"local\"}}}";

  @TempDir Path dir;

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private UnaryOperator<String> env() {
    Map<String, String> vars = Map.of("OPENAI_BASE_URL", server.url("/v1"),
        "OPENAI_API_KEY", KEY);
    return vars::get;
  }

  private Path write(String json) throws IOException {
    Path p = dir.resolve("haps.json");
    Files.writeString(p, json);
    return p;
  }

  private static FixedRouter router() {
    return new FixedRouter()
        .rank("gpt-4-1106-preview", 0.6, ParameterValues.builder().put("temperature", 0.2)
            .build())
        .rank("mixtral-8x7b", 0.4, ParameterValues.builder().put("top_p", 0.8).build());
  }

  private void answerWithRequestedModel() {
    server.otherwise(req -> Reply.json(200, RoutingClientTest.chat(
        req.json().path("model").asText(), "ok", 3, 2)));
  }

  @Test
  void fromConfig_issueShape_mapsByNameAndWildcard() throws IOException {
    answerWithRequestedModel();
    FixedRouter router = router();
    try (RoutingClient c = RoutingClient.fromConfig(write(ISSUE_CONFIG), router, env())) {
      CallResult r = c.call("hello");
      assertThat(r.candidate()).isEqualTo("gpt-4-1106-preview");
      assertThat(r.provider()).isEqualTo("local");
      assertThat(r.backendModel()).isEqualTo("gpt-4o");
      assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("gpt-4o");
      assertThat(server.lastRequest().header("authorization")).isEqualTo("Bearer " + KEY);
      assertThat(c.unmappedCandidates()).isEmpty();
    }
    FixedRouter only = new FixedRouter()
        .rank("mixtral-8x7b", 1.0, ParameterValues.builder().put("top_p", 0.8).build());
    try (RoutingClient c = RoutingClient.fromConfig(write(ISSUE_CONFIG), only, env())) {
      CallResult r = c.call("hello");
      assertThat(r.backendModel()).isEqualTo("mixtral-8x7b");
      assertThat(server.lastRequest().json().path("top_p").asDouble()).isEqualTo(0.8);
    }
  }

  @Test
  void fromConfig_apiKeyVariableUnset_namesTheVariable() throws IOException {
    Path p = write(ISSUE_CONFIG);
    UnaryOperator<String> noKey = name -> name.equals("OPENAI_BASE_URL") ? server.url("/v1")
        : null;
    assertThatThrownBy(() -> RoutingClient.fromConfig(p, router(), noKey))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("config file " + p)
        .hasMessageContaining("setting 'apiKey' references environment variable OPENAI_API_KEY,"
            + " which is not set; export OPENAI_API_KEY");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void fromConfig_policiesFeedbackAndSystemPrompts_apply() throws IOException {
    server.enqueue(Reply.json(503, "{}").header("Retry-After", "0"));
    answerWithRequestedModel();
    FixedRouter router = new FixedRouter()
        .rank("m", 1.0, ParameterValues.builder().put("tone", "formal").build())
        .space("m", ParameterSpace.of(CategoricalSpec.of("tone", "plain", "plain", "formal")));
    Path p = write("{\"providers\": {\"p\": {\"type\": \"openai\", \"baseUrl\": \""
        + server.url("/v1") + "\", \"price\": {\"m\": {\"input\": 1, \"output\": 2}},"
        + " \"models\": [\"m\"]}},"
        + " \"candidates\": {\"*\": {\"provider\": \"p\"}},"
        + " \"deadline\": \"PT10S\", \"maxCandidates\": 2,"
        + " \"retry\": {\"maxRetries\": 1, \"initialBackoff\": 1, \"maxBackoff\": \"PT0.01S\","
        + " \"budgetReserve\": 5, \"budgetRatio\": 0.5},"
        + " \"circuitBreaker\": {\"failureThreshold\": 3, \"openFor\": 60000},"
        + " \"feedback\": {\"path\": \"logs/outcomes.jsonl\", \"task\": \"prod\"},"
        + " \"systemPrompts\": {\"tone\": {\"plain\": \"\", \"formal\": \"Be formal.\"}}}");
    try (RoutingClient c = RoutingClient.fromConfig(p, router, env())) {
      CallResult r = c.call("hi");
      assertThat(r.attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.SERVER_ERROR, Attempt.Outcome.SUCCESS);
      assertThat(r.costUsd()).isEqualTo((3 * 1.0 + 2 * 2.0) / 1e6);
      assertThat(server.lastRequest().json().path("messages").get(0).path("content").asText())
          .isEqualTo("Be formal.");
      assertThat(c.toString()).contains("deadline=PT10S", "maxCandidates=2", "maxRetries=1");
      c.feedback(r.callId(), 0.5);
    }
    assertThat(Files.readAllLines(dir.resolve("logs/outcomes.jsonl")))
        .singleElement().asString().contains("\"task\":\"prod\"", "\"score\":0.5");
  }

  @Test
  void fromConfig_mistakes_areNamedByKey() throws IOException {
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {"), router(), env()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not valid JSON")
        .hasMessageContaining("line 1").message().doesNotContain("REDACTED", "StreamReadFeature");
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {\"p\": {\"type\":"
        + " \"openai\"}}, \"candidates\": {\"*\": {\"provider\": \"p\", \"model\": \"m\"}}}"),
        router(), env()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("candidate \"*\" cannot name a backend model ('m')")
        .hasMessageContaining("map each of those candidates by name");
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {\"p\": {\"type\":"
        + " \"openai\"}}, \"candidates\": {\"*\": {\"provider\": \"p\"}}, \"retries\": 3}"),
        router(), env()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"retries\" is not a known key");
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {\"p\": {\"type\":"
        + " \"nope\"}}, \"candidates\": {\"*\": {\"provider\": \"p\"}}}"), router(), env()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no provider of type 'nope' is installed")
        .hasMessageContaining("openai");
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {\"p\": {\"type\":"
        + " \"openai\"}}, \"candidates\": {\"*\": {\"provider\": \"q\"}}}"), router(), env()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maps to provider instance 'q', which is not registered");
    assertThatThrownBy(() -> RoutingClient.fromConfig(write("{\"providers\": {\"p\": {\"type\":"
        + " \"openai\"}}, \"candidates\": {\"*\": {\"provider\": \"p\"}},"
        + " \"deadline\": \"soon\"}"), router(), env()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"deadline\" = 'soon' is not a duration");
    assertThatThrownBy(() -> RoutingClient.fromConfig(dir.resolve("missing.json"), router(),
        env()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cannot be read");
  }

  @Test
  void apiKey_neverInLogsMessagesOrToString() throws IOException {
    server.enqueue(Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
        + KEY + "\"}}"));
    server.enqueue(Reply.json(429, "{\"error\":{\"message\":\"" + KEY + " is over quota\"}}")
        .header("Retry-After", "0"));
    server.enqueue(Reply.json(500, KEY));
    server.enqueue(Reply.drop());
    server.otherwise(req -> Reply.json(200, RoutingClientTest.chat("m", "ok", 1, 1)));
    List<String> texts = new ArrayList<>();
    Path p = write(ISSUE_CONFIG.replace("}},\n \"candidates\"",
        ", \"requestTimeout\": 2000}},\n \"candidates\""));
    try (RoutingClient c = RoutingClient.fromConfig(p, router(), env())) {
      texts.add(c.toString());
      for (int i = 0; i < 3; i++) {
        try {
          CallResult r = c.call("q" + i);
          texts.add(r.toString());
          r.attempts().forEach(a -> texts.add(a.toString()));
        } catch (RoutingCallException e) {
          texts.add(e.getMessage());
          for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            texts.add(String.valueOf(t));
          }
        }
      }
    }
    assertThat(server.requestCount()).isGreaterThanOrEqualTo(5);
    assertThat(String.join("\n", texts)).contains("Incorrect API key provided: ****")
        .doesNotContain(KEY);
    String logged = Files.readString(Path.of("target/test-trace.log"));
    assertThat(logged).contains("AUTHENTICATION").doesNotContain(KEY);
  }

  @Test
  void close_leavesTheGivenRouterOpen() throws IOException {
    FixedRouter router = router();
    RoutingClient c = RoutingClient.fromConfig(write(ISSUE_CONFIG), router, env());
    c.close();
    c.close();
    assertThat(router.closed).isFalse();
    assertThatThrownBy(() -> c.call("x")).isInstanceOf(IllegalStateException.class);
  }
}
