package dev.haps.serve;

import static dev.haps.serve.ServeFixture.chat;
import static dev.haps.serve.ServeFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestBundles;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HapsServerTest {

  @TempDir static Path dir;
  static ServeFixture fx;

  @BeforeAll
  static void start() {
    fx = new ServeFixture(dir, ", \"limits\": {\"maxBodyBytes\": 65536, \"maxHeaderBytes\": 4096,"
        + " \"headerTimeout\": \"PT0.5S\", \"bodyTimeout\": \"PT0.5S\"}", Map.of());
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static final Set<String> CANDIDATES = Set.of("gpt-4", "mixtral-8x7b", "claude-instant");

  @Test
  void haps_routesTheRequest_andReportsTheDecisionInHeadersAndBody() {
    HttpResponse<String> r = fx.post("/v1/chat/completions",
        chat("haps:0.2", "What is the capital of France?"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    String model = r.headers().firstValue("x-haps-model").orElseThrow();
    assertThat(model).isIn(CANDIDATES);
    assertThat(r.headers().firstValue("x-haps-cost-weight")).contains("0.2");
    JsonNode params = json(r.headers().firstValue("x-haps-parameters").orElseThrow());
    assertThat(body.path("haps").path("parameters")).isEqualTo(params);
    assertThat(body.path("haps").path("model").asText()).isEqualTo(model);
    assertThat(body.path("haps").path("call_id").asText())
        .isEqualTo(r.headers().firstValue("x-haps-call-id").orElseThrow());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("choices").path(0).path("message").path("content").asText())
        .contains("What is the capital of France?");
    if (!model.equals("claude-instant")) {
      // Forwarded: the upstream got the candidate's name, the routed values, not our key.
      LoopbackServer.Recorded up = fx.upstream.lastRequest();
      assertThat(up.json().path("model").asText()).isEqualTo(model);
      assertThat(up.header("Authorization")).isEqualTo("Bearer " + ServeFixture.UPSTREAM_KEY);
      assertThat(up.body()).doesNotContain(ServeFixture.KEY).doesNotContain("prompt_style");
      params.fieldNames().forEachRemaining(p -> {
        if (!p.equals("prompt_style")) {
          assertThat(up.json().has(p)).as("routed %s sent upstream", p).isTrue();
        }
      });
    }
  }

  @Test
  void aliasesAndCostWeights_changeTheWeightSentToTheRouter() {
    HttpResponse<String> cheap = fx.post("/v1/chat/completions", chat("haps-cheap", "hi there"));
    assertThat(cheap.statusCode()).isEqualTo(200);
    assertThat(cheap.headers().firstValue("x-haps-cost-weight")).contains("0.9");
    HttpResponse<String> dflt = fx.post("/v1/chat/completions", chat("haps", "hi there"));
    assertThat(dflt.headers().firstValue("x-haps-cost-weight")).contains("0.5");
  }

  @Test
  void aConcreteCandidate_passesThroughWithTheClientsOwnParameters() {
    HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\":\"mixtral-8x7b\","
        + "\"temperature\":0.33,\"messages\":[{\"role\":\"user\",\"content\":\"pinned\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-haps-model")).contains("mixtral-8x7b");
    assertThat(r.headers().firstValue("x-haps-parameters")).contains("{}");
    JsonNode up = fx.upstream.lastRequest().json();
    assertThat(up.path("model").asText()).isEqualTo("mixtral-8x7b");
    assertThat(up.path("temperature").asDouble()).isEqualTo(0.33);
    assertThat(up.has("top_p")).isFalse();
    assertThat(json(r.body()).path("haps").path("routed").asBoolean()).isFalse();
  }

  @Test
  void toolsAndResponseFormats_areForwarded_andOnlyToCandidatesThatTakeThem() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
        + "\"response_format\":{\"type\":\"text\"}";
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\":\"haps:0." + (i % 10)
          + "\"," + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather " + i
          + "\"}]}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // claude-instant is served by the Anthropic provider, which cannot take tools.
      assertThat(r.headers().firstValue("x-haps-model").orElseThrow())
          .isNotEqualTo("claude-instant");
      JsonNode msg = json(r.body()).path("choices").path(0).path("message");
      assertThat(msg.path("tool_calls").path(0).path("function").path("name").asText())
          .isEqualTo("weather");
      JsonNode up = fx.upstream.lastRequest().json();
      assertThat(up.path("tools").path(0).path("function").path("name").asText())
          .isEqualTo("weather");
      assertThat(up.path("response_format").path("type").asText()).isEqualTo("text");
    }
    HttpResponse<String> pinned = fx.post("/v1/chat/completions", "{\"model\":\"claude-instant\","
        + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather\"}]}");
    assertThat(pinned.statusCode()).isEqualTo(400);
    assertThat(json(pinned.body()).path("error").path("code").asText())
        .isEqualTo("unsupported_for_model");
  }

  @Test
  void streaming_sendsChunksWithTheDecision_thenTheCallId_thenDone() {
    HttpResponse<String> r = fx.post("/v1/chat/completions", "{\"model\":\"haps\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me please\"}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow())
        .startsWith("text/event-stream");
    String model = r.headers().firstValue("x-haps-model").orElseThrow();
    assertThat(model).isIn(CANDIDATES);
    List<JsonNode> chunks = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        chunks.add(json(line.substring(6)));
      }
    }
    assertThat(r.body().strip()).endsWith("data: [DONE]");
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.path("choices").path(0).path("delta").path("content")
        .asText("")));
    assertThat(text.toString()).contains("stream me please");
    assertThat(chunks.get(0).path("haps").path("model").asText()).isEqualTo(model);
    JsonNode last = chunks.get(chunks.size() - 1);
    assertThat(last.path("choices").isEmpty()).isTrue();
    assertThat(last.path("haps").path("call_id").asText()).isNotBlank();
    assertThat(chunks).anyMatch(c -> c.path("usage").path("total_tokens").asInt() > 0);
  }

  @Test
  void unknownModelsAndBadParameters_getOpenAiShapedErrors() {
    assertError(fx.post("/v1/chat/completions", chat("gpt-17", "hi")), 404, "model_not_found");
    assertError(fx.post("/v1/chat/completions", chat("haps:2", "hi")), 400,
        "invalid_cost_weight");
    assertError(fx.post("/v1/chat/completions", "{\"model\":\"haps\",\"temperature\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, null);
    assertError(fx.post("/v1/chat/completions", "{\"model\":\"haps\",\"messages\":[]}"), 400,
        null);
    assertError(fx.post("/v1/chat/completions", "{\"model\": \"haps\", \"messages\": [{"),
        400, "invalid_json");
    assertError(fx.post("/v1/chat/completions", "{\"model\":\"haps\",\"messages\":"
        + "[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), 400, null);
    assertError(fx.get("/v1/nothing-here"), 404, "unknown_url");
    assertError(fx.get("/v1/chat/completions"), 405, "method_not_allowed");
    JsonNode e = json(fx.post("/v1/chat/completions", "{\"model\":\"haps\",\"temperature\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body());
    assertThat(e.path("error").path("param").asText()).isEqualTo("temperature");
  }

  @Test
  void keysAreRequired_andRateLimitsAnswer429WithRetryAfter(@TempDir Path other) {
    HttpResponse<String> none = ServeFixture.send(HttpRequest.newBuilder(
            fx.uri("/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(chat("haps", "hi"))).build());
    assertError(none, 401, "invalid_api_key");
    HttpResponse<String> wrong = ServeFixture.send(HttpRequest.newBuilder(
            fx.uri("/v1/models")).header("Authorization", "Bearer sk-wrong").GET().build());
    assertError(wrong, 401, "invalid_api_key");
    assertThat(wrong.body()).doesNotContain("sk-wrong");
    String limits = ", \"rateLimit\": {\"requestsPerSecond\": 0.01, \"burst\": 2}";
    // Another server whose key has a burst of 2 and almost no refill.
    String json = ServeFixture.config(fx.upstream.url("/v1"), "").replace(
        "\"rateLimit\": {\"requestsPerSecond\": 1000, \"burst\": 1000}",
        limits.substring(2));
    try (HapsServer s = HapsServer.start(ServeConfig.parse(json, other, n -> null), fx.router)) {
      List<Integer> codes = new ArrayList<>();
      HttpResponse<String> last = null;
      for (int i = 0; i < 3; i++) {
        last = ServeFixture.send(HttpRequest.newBuilder(
                java.net.URI.create(s.url() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + ServeFixture.KEY)
            .POST(HttpRequest.BodyPublishers.ofString(chat("haps", "limit " + i))).build());
        codes.add(last.statusCode());
      }
      assertThat(codes).containsExactly(200, 200, 429);
      assertError(last, 429, "rate_limit_exceeded");
      assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow()))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void oversizedBodiesAndHeaders_areRefused() throws Exception {
    String big = chat("haps", "x".repeat(70_000));
    assertError(fx.post("/v1/chat/completions", big), 413, "request_too_large");
    String raw = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + ServeFixture.KEY + "\r\nX-Junk: " + "y".repeat(8000) + "\r\nContent-Length: 2\r\n\r\n{}";
    String answer = rawExchange(raw.getBytes(StandardCharsets.US_ASCII), 0);
    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(answer).contains("\"error\"");
    // Chunked, without a length: counted while read.
    String chunked = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + ServeFixture.KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n" + "1000\r\n" + "z".repeat(4096)
        + "\r\n";
    answer = rawExchange((chunked.repeat(1) + ("1000\r\n" + "z".repeat(4096) + "\r\n").repeat(20)
        + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 0);
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("request_too_large");
  }

  @Test
  void slowClients_get408_andTheirConnectionsClosed() throws Exception {
    // Headers that never finish.
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";
    String answer = rawExchange(head.getBytes(StandardCharsets.US_ASCII), 3000);
    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(answer).contains("\"timeout_error\"");
    // Headers complete, body trickles.
    String slowBody = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + ServeFixture.KEY + "\r\nContent-Length: 100\r\n\r\n{\"model\":";
    answer = rawExchange(slowBody.getBytes(StandardCharsets.US_ASCII), 3000);
    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(answer).contains("request_timeout");
  }

  @Test
  void modelsHealthReadyAndMetrics() {
    JsonNode models = json(fx.get("/v1/models").body());
    List<String> ids = new ArrayList<>();
    models.path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertThat(ids).contains("haps", "haps-cheap", "gpt-4", "mixtral-8x7b", "claude-instant");
    assertThat(fx.get("/health").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = fx.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready.body()).path("bundle").asText()).isEqualTo("test-bundle@1");
    fx.post("/v1/chat/completions", chat("haps", "count me"));
    ServeFixture.send(HttpRequest.newBuilder(fx.uri("/v1/models")).GET().build()); // a 401
    String metrics = fx.get("/metrics").body();
    assertThat(metrics).contains("haps_serve_requests_seconds_count{endpoint=\"chat\"",
        "haps_serve_routing_seconds", "haps_serve_upstream_seconds_count",
        "haps_serve_decisions_total", "haps_serve_breaker_state{provider=\"local\"}",
        "haps_serve_cache_hit_ratio", "haps_serve_refused_total");
    assertThat(metrics).doesNotContain(ServeFixture.UPSTREAM_KEY).doesNotContain(ServeFixture.KEY);
  }

  @Test
  void feedback_appendsToTheOutcomeLog() throws Exception {
    HttpResponse<String> r = fx.post("/v1/chat/completions", chat("haps", "rate this answer"));
    String callId = json(r.body()).path("haps").path("call_id").asText();
    HttpResponse<String> fb = fx.post("/v1/feedback", "{\"call_id\":\"" + callId
        + "\",\"score\":0.75}");
    assertThat(fb.statusCode()).as(fb.body()).isEqualTo(200);
    Path log = dir.resolve("feedback/outcomes.jsonl");
    assertThat(Files.readString(log)).contains(callId).contains("rate this answer");
    assertError(fx.post("/v1/feedback", "{\"call_id\":\"" + callId + "\",\"score\":0.75}"), 400,
        null);
    assertError(fx.post("/v1/feedback", "{\"call_id\":\"x\",\"score\":7}"), 400, null);
  }

  @Test
  void upstreamFailures_neverEchoTheUpstreamKey(@TempDir Path other) {
    try (LoopbackServer bad = LoopbackServer.start()) {
      bad.otherwise(rq -> LoopbackServer.Reply.json(401, "{\"error\":{\"message\":\"Incorrect"
          + " API key provided: " + ServeFixture.UPSTREAM_KEY + "\"}}"));
      String json = ServeFixture.config(bad.url("/v1"), "");
      try (HapsServer s = HapsServer.start(ServeConfig.parse(json, other, n -> null),
          fx.router)) {
        HttpResponse<String> r = ServeFixture.send(HttpRequest.newBuilder(
                java.net.URI.create(s.url() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + ServeFixture.KEY)
            .POST(HttpRequest.BodyPublishers.ofString(
                chat("mixtral-8x7b", "leak check"))).build());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).doesNotContain(ServeFixture.UPSTREAM_KEY);
        assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("upstream_error");
      }
    }
  }

  @Test
  void reload_swapsTheBundle_withAnAdminKeyOnly(@TempDir Path other) throws Exception {
    Path v1 = TestBundles.create().writeZip(other.resolve("b.zip"));
    String json = ServeFixture.config(fx.upstream.url("/v1"), "").replace("\"feedback\"",
        "\"bundle\": \"b.zip\", \"feedback\"");
    ServeConfig config = ServeConfig.parse(json, other, n -> null);
    try (dev.haps.runtime.HapsRouter router = dev.haps.runtime.HapsRouter.builder()
            .bundle(v1).encoder(new dev.haps.testing.HashingEncoder()).build();
        HapsServer s = HapsServer.start(config, router)) {
      HttpRequest.Builder reload = HttpRequest.newBuilder(
          java.net.URI.create(s.url() + "/admin/reload"))
          .POST(HttpRequest.BodyPublishers.noBody());
      assertThat(ServeFixture.send(reload.copy().header("Authorization", "Bearer "
          + ServeFixture.KEY).build()).statusCode()).isEqualTo(401);
      TestBundles.create().id("test-bundle", "2").writeZip(other.resolve("b.zip"));
      HttpResponse<String> ok = ServeFixture.send(reload.copy().header("Authorization",
          "Bearer " + ServeFixture.ADMIN_KEY).build());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(json(ok.body()).path("bundle").asText()).isEqualTo("test-bundle@2");
      Files.writeString(other.resolve("b.zip"), "not a zip");
      HttpResponse<String> broken = ServeFixture.send(reload.copy().header("Authorization",
          "Bearer " + ServeFixture.ADMIN_KEY).build());
      assertError(broken, 409, "reload_failed");
      assertThat(s.router().bundle().version()).isEqualTo("2");
    }
  }

  @Test
  void close_drainsRequestsInFlight(@TempDir Path other) throws Exception {
    try (LoopbackServer slow = LoopbackServer.start()) {
      slow.otherwise(rq -> FakeOpenAi.answer(rq).after(Duration.ofMillis(800)));
      String json = ServeFixture.config(slow.url("/v1"), "");
      HapsServer s = HapsServer.start(ServeConfig.parse(json, other, n -> null), fx.router);
      CompletableFuture<HttpResponse<String>> inFlight = ServeFixture.HTTP.sendAsync(
          HttpRequest.newBuilder(java.net.URI.create(s.url() + "/v1/chat/completions"))
              .header("Authorization", "Bearer " + ServeFixture.KEY)
              .POST(HttpRequest.BodyPublishers.ofString(chat("mixtral-8x7b", "slow one")))
              .build(), HttpResponse.BodyHandlers.ofString());
      while (slow.requestCount() == 0) {
        Thread.sleep(10);
      }
      s.close();
      HttpResponse<String> r = inFlight.get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(s.isReady()).isFalse();
    }
  }

  @Test
  void configuration_isCheckedWithNamedKeys() {
    String noKeys = "{\"providers\":{\"l\":{\"type\":\"openai\"}},\"candidates\":{\"*\":"
        + "{\"provider\":\"l\"}}}";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeConfig.parse(noKeys, dir,
            n -> null))
        .hasMessageContaining("server.apiKeys").hasMessageContaining("HAPS_SERVE_API_KEYS");
    ServeConfig fromEnv = ServeConfig.parse(noKeys, dir, Map.of("HAPS_SERVE_API_KEYS", "k1,k2",
        "HAPS_SERVE_PORT", "9099", "HAPS_SERVE_HOST", "::1")::get);
    assertThat(fromEnv.port()).isEqualTo(9099);
    assertThat(fromEnv.host()).isEqualTo("::1");
    assertThat(fromEnv.toString()).contains("2 keys").doesNotContain("k1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeConfig.parse(noKeys.replace(
            "}}}", "}},\"server\":{\"requireApiKey\":false,\"aliases\":{\"haps:1\":0.3}}}"),
            dir, n -> null))
        .hasMessageContaining("server.aliases.haps:1");
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode e = json(r.body()).path("error");
    assertThat(e.path("message").asText()).isNotBlank();
    assertThat(e.path("type").asText()).isNotBlank();
    assertThat(e.has("param")).isTrue();
    if (code != null) {
      assertThat(e.path("code").asText()).isEqualTo(code);
    }
  }

  /** Sends raw bytes, then reads until the server closes (or the wait ends). */
  private static String rawExchange(byte[] request, int waitMillis) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fx.server.port())) {
      s.setSoTimeout(waitMillis + 5000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.io.IOException e) {
        // The server may refuse before reading everything.
      }
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
