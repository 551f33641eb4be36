package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.haps.client.CallResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example against a real HTTP server on loopback that speaks Chat Completions. */
class OpenAiCompatibleTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      try (exchange) {
        requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        authorizations.add(String.valueOf(exchange.getRequestHeaders()
            .getFirst("Authorization")));
        byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"tiny-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Rayleigh scattering.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":4,\"total_tokens\":35}}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(body);
        }
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Test
  void run_withoutEnvironment_skipsPolitely() {
    Output out = new Output();

    Optional<CallResult> r = OpenAiCompatible.run(out.stream, name -> null, "q");

    assertThat(r).isEmpty();
    assertThat(out.text()).startsWith("OpenAiCompatible: skipped, OPENAI_BASE_URL and"
        + " OPENAI_MODEL are not set.");
    assertThat(requests).isEmpty();
  }

  @Test
  void run_withoutModel_namesTheMissingVariable() {
    Output out = new Output();

    OpenAiCompatible.run(out.stream, Map.of("OPENAI_BASE_URL", baseUrl())::get, "q");

    assertThat(out.text()).startsWith("OpenAiCompatible: skipped, OPENAI_MODEL is not set.");
  }

  @Test
  void run_withEndpoint_routesAndCallsIt() {
    Map<String, String> env = Map.of("OPENAI_BASE_URL", baseUrl(), "OPENAI_MODEL", "tiny-model",
        "OPENAI_API_KEY", "sk-loopback-test");
    Output out = new Output();

    CallResult r = OpenAiCompatible.run(out.stream, env::get, "Why is the sky blue?")
        .orElseThrow();

    assertThat(r.text()).isEqualTo("Rayleigh scattering.");
    assertThat(r.backendModel()).isEqualTo("tiny-model");
    assertThat(r.usage().inputTokens()).isEqualTo(31);
    assertThat(r.attempts()).hasSize(1);
    assertThat(requests).hasSize(1);
    JsonNode sent = requests.get(0);
    assertThat(sent.get("model").asText()).isEqualTo("tiny-model");
    JsonNode messages = sent.get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").asText())
        .isEqualTo("Why is the sky blue?");
    // The routed prompt style reaches the endpoint as a system prompt.
    assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
    assertThat(authorizations).containsExactly("Bearer sk-loopback-test");
    assertThat(out.text()).startsWith("Rayleigh scattering.").contains("-- ", "tiny-model",
        "tokens 31 in + 4 out");
    assertThat(out.text()).doesNotContain("sk-loopback-test");
  }
}
