package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ProviderException;
import dev.haps.api.error.ProviderException.Kind;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.spi.ProviderConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.haps.testing.LoopbackServer;

class HttpTransportTest {

  private static final String KEY = "sk-test-SECRET-0123456789";

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpTransport transport(String baseUrl) {
    return HttpTransport.create(EndpointSettings.from(ProviderConfig.of("t",
        Map.of("baseUrl", baseUrl, "apiKey", KEY, "connectTimeout", "PT2S")), "http://x", false));
  }

  private JsonNode post(Duration timeout) {
    HttpTransport t = transport(server.url("/v1"));
    return t.postJson("m", t.settings().endpoint("/chat"), Map.of("Authorization", "Bearer " + KEY),
        Json.object().put("q", 1), timeout);
  }

  private ProviderException failure(Duration timeout) {
    return catchThrowableOfType(ProviderException.class, () -> post(timeout));
  }

  @Test
  void postJson_success_returnsBodyAndSendsHeaders() {
    server.enqueue(Reply.json(200, "{\"ok\":true}"));
    JsonNode n = post(Duration.ofSeconds(5));
    assertThat(n.path("ok").asBoolean()).isTrue();
    LoopbackServer.Recorded r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/v1/chat");
    assertThat(r.header("content-type")).isEqualTo("application/json");
    assertThat(r.header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.json().path("q").asInt()).isEqualTo(1);
  }

  @Test
  void postJson_429WithSeconds_isRateLimitedWithRetryAfter() {
    server.enqueue(Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}")
        .header("Retry-After", "3"));
    ProviderException e = failure(Duration.ofSeconds(5));
    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.getMessage()).contains("HTTP 429", "slow down", "provider 't'", "model 'm'");
  }

  @Test
  void postJson_503WithHttpDate_isServerErrorWithRetryAfter() {
    String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30));
    server.enqueue(Reply.json(503, "overloaded").header("Retry-After", at));
    ProviderException e = failure(Duration.ofSeconds(5));
    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.retryAfter()).isPresent();
    assertThat(e.retryAfter().get()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
    assertThat(e.getMessage()).contains("HTTP 503", "overloaded");
  }

  @Test
  void postJson_statuses_mapToKinds() {
    int[] statuses = {500, 502, 529, 401, 403, 408, 400, 404, 422, 301};
    Kind[] kinds = {Kind.SERVER_ERROR, Kind.SERVER_ERROR, Kind.SERVER_ERROR, Kind.AUTHENTICATION,
        Kind.AUTHENTICATION, Kind.TIMEOUT, Kind.BAD_REQUEST, Kind.BAD_REQUEST, Kind.BAD_REQUEST,
        Kind.BAD_REQUEST};
    List<Kind> got = new ArrayList<>();
    for (int s : statuses) {
      server.enqueue(Reply.json(s, "{\"message\":\"m" + s + "\"}"));
      ProviderException e = failure(Duration.ofSeconds(5));
      assertThat(e.status()).isEqualTo(s);
      assertThat(e.getMessage()).contains("m" + s);
      got.add(e.kind());
    }
    assertThat(got).containsExactly(kinds);
  }

  @Test
  void postJson_errorBodyEchoingTheKey_isRedacted() {
    server.enqueue(Reply.json(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
    ProviderException e = failure(Duration.ofSeconds(5));
    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("Incorrect API key provided: ****")
        .doesNotContain(KEY).contains("check the apiKey setting of provider 't'");
  }

  @Test
  void postJson_backendMessageShapes_areExtracted() {
    server.enqueue(Reply.json(400, "{\"error\":\"ollama says no\"}"));
    assertThat(failure(Duration.ofSeconds(5)).getMessage()).contains(": ollama says no;");
    server.enqueue(Reply.json(400, "{\"detail\":\"fastapi says no\"}"));
    assertThat(failure(Duration.ofSeconds(5)).getMessage()).contains(": fastapi says no;");
    server.enqueue(Reply.json(400, ""));
    assertThat(failure(Duration.ofSeconds(5)).getMessage()).contains("(empty body)");
  }

  @Test
  void postJson_malformedJson_isMalformedResponse() {
    server.enqueue(Reply.json(200, "{\"choices\": [ {\"mess"));
    ProviderException e = failure(Duration.ofSeconds(5));
    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("the body is not JSON");
  }

  @Test
  void postJson_connectionRefused_isConnection() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpTransport t = transport("http://127.0.0.1:" + port + "/v1");
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> t.postJson("m",
        t.settings().endpoint("/chat"), Map.of(), Json.object(), Duration.ofSeconds(5)));
    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage()).contains("connection refused", "127.0.0.1:" + port);
  }

  @Test
  void postJson_droppedConnection_isConnection() {
    server.enqueue(Reply.drop());
    ProviderException e = failure(Duration.ofSeconds(5));
    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void postJson_noHeadersBeforeTimeout_isTimeout() {
    server.enqueue(Reply.json(200, "{}").after(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    ProviderException e = failure(Duration.ofMillis(300));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(e.getMessage()).contains("PT0.3S");
  }

  @Test
  void postJson_bodyStallingPastTimeout_isTimeout() {
    server.enqueue(Reply.stallingBody(200, "{\"a\":\"" + "x".repeat(2000) + "\"}",
        Duration.ofSeconds(3)));
    long start = System.nanoTime();
    ProviderException e = failure(Duration.ofMillis(400));
    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void postEvents_completeStream_deliversEventsInOrder() {
    server.enqueue(Reply.events("data: {\"n\":1}\n\n: comment\n\nevent: x\ndata: {\"n\":2}\n\n"
        + "data: [DONE]\n\n"));
    HttpTransport t = transport(server.url("/v1"));
    List<String> seen = new ArrayList<>();
    t.postEvents("m", t.settings().endpoint("/s"), Map.of(), Json.object(), Duration.ofSeconds(5),
        e -> {
          seen.add(e.event() + ":" + e.data());
          return e.data().equals("[DONE]");
        }, "[DONE]");
    assertThat(seen).containsExactly("message:{\"n\":1}", "x:{\"n\":2}", "message:[DONE]");
    assertThat(server.lastRequest().header("accept")).isEqualTo("text/event-stream");
  }

  @Test
  void postEvents_streamWithoutFinalEvent_isMalformed() {
    server.enqueue(Reply.events("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"));
    HttpTransport t = transport(server.url("/v1"));
    assertThatThrownBy(() -> t.postEvents("m", t.settings().endpoint("/s"), Map.of(),
        Json.object(), Duration.ofSeconds(5), e -> e.data().equals("[DONE]"), "data: [DONE]"))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE))
        .hasMessageContaining("ended after 2 events without data: [DONE]");
  }

  @Test
  void postEvents_connectionDroppedMidStream_isRetryable() {
    server.enqueue(Reply.eventsThenDrop("data: {\"n\":1}\n\n"));
    HttpTransport t = transport(server.url("/v1"));
    ProviderException e = catchThrowableOfType(ProviderException.class, () -> t.postEvents("m",
        t.settings().endpoint("/s"), Map.of(), Json.object(), Duration.ofSeconds(5),
        ev -> ev.data().equals("[DONE]"), "[DONE]"));
    assertThat(e.kind()).isIn(Kind.CONNECTION, Kind.MALFORMED_RESPONSE);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void eventJson_notJson_isMalformed() {
    HttpTransport t = transport(server.url("/v1"));
    assertThatThrownBy(() -> t.eventJson("m", new SseEvent("delta", "{oops")))
        .isInstanceOfSatisfying(ProviderException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE))
        .hasMessageContaining("event 'delta' carries data that is not JSON");
  }

  @Test
  void settings_toString_hidesKey() {
    HttpTransport t = transport(server.url("/v1"));
    assertThat(t.settings().toString()).doesNotContain(KEY).contains("ApiKey[****]");
    assertThat(t.settings().endpoint("/x")).isEqualTo(URI.create(server.url("/v1/x")));
  }
}
