package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.MicroBatching;
import dev.haps.runtime.RouterBundle;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestBundles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** A server on loopback, in front of a fake OpenAI upstream, with the test bundle. */
class ServeFixture implements AutoCloseable {

  static final String KEY = "sk-haps-test-0123456789";
  static final String ADMIN_KEY = "sk-haps-admin-0123456789";
  static final String UPSTREAM_KEY = "sk-upstream-secret-must-not-leak";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  final LoopbackServer upstream;
  final HapsRouter router;
  final HapsServer server;
  final Path dir;

  ServeFixture(Path dir, String serverExtra, Map<String, String> env) {
    this.dir = dir;
    this.upstream = FakeOpenAi.start();
    this.router = HapsRouter.builder()
        .bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder())
        .microBatching(MicroBatching.of(8, Duration.ZERO))
        .build();
    String json = patch(config(upstream.url("/v1"), serverExtra));
    ServeConfig config = ServeConfig.parse(json, dir, env::get);
    this.server = HapsServer.start(config, router);
  }

  /** A hook for subclasses to change the configuration's JSON. */
  String patch(String json) {
    return json;
  }

  int guardOpen() {
    return server.guardOpen();
  }

  ServeFixture(Path dir) {
    this(dir, "", Map.of());
  }

  static String sha256(String key) {
    return HexFormat.of().formatHex(ServeConfig.sha256(key));
  }

  static String config(String upstreamUrl, String serverExtra) {
    return "{\"providers\": {"
        + "  \"local\": {\"type\": \"openai\", \"baseUrl\": \"" + upstreamUrl + "\","
        + "            \"apiKey\": \"" + UPSTREAM_KEY + "\"},"
        + "  \"claude\": {\"type\": \"anthropic\", \"baseUrl\": \"" + upstreamUrl + "\","
        + "             \"apiKey\": \"" + UPSTREAM_KEY + "\"}},"
        + " \"candidates\": {\"claude-instant\": {\"provider\": \"claude\"},"
        + "                 \"*\": {\"provider\": \"local\"}},"
        + " \"feedback\": {\"path\": \"feedback/outcomes.jsonl\"},"
        + " \"retry\": {\"maxRetries\": 0},"
        + " \"server\": {\"port\": 0,"
        + "   \"apiKeys\": [{\"name\": \"tests\", \"sha256\": \"" + sha256(KEY) + "\"}],"
        + "   \"adminKeys\": [{\"name\": \"ops\", \"sha256\": \"" + sha256(ADMIN_KEY) + "\"}],"
        + "   \"aliases\": {\"haps-cheap\": 0.9},"
        + "   \"rateLimit\": {\"requestsPerSecond\": 1000, \"burst\": 1000}"
        + serverExtra + "}}";
  }

  URI uri(String path) {
    return URI.create(server.url() + path);
  }

  HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + KEY).GET().build());
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String chat(String model, String user) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + user + "\"}]}";
  }

  @Override
  public void close() {
    server.close();
    router.close();
    upstream.close();
  }
}
