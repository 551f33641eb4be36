package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.provider.anthropic.AnthropicProviderFactory;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestRequests;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.provider.openai.OpenAiProviderFactory;
import dev.haps.client.CallResult;
import dev.haps.client.RequestTransformers;
import dev.haps.client.RoutingClient;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.haps.testing.TestBundles;
import dev.haps.testing.HashingEncoder;

/**
 * The routing client over the real HapsRouter and a real bundle (TestBundles: ONNX network run by
 * ONNX Runtime), calling the real OpenAI provider on a loopback server.
 */
class RoutingClientEndToEndTest {

  @TempDir Path dir;

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"choices\":[{\"message\":{\"role\":\"assistant\","
        + "\"content\":\"answer from " + model + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4}}";
  }

  @Test
  void call_realRouterAndBundle_sendsEachDecisionsModelAndParameters() {
    server.otherwise(req -> Reply.json(200, chat(req.json().path("model").asText())));
    try (HapsRouter router = HapsRouter.builder().bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
            .encoder(new HashingEncoder()).build();
        RoutingClient client = RoutingClient.builder()
            .router(router)
            .provider("local", new OpenAiProviderFactory().create(ProviderConfig.of("local",
                Map.of("baseUrl", server.url("/v1")))))
            .candidate("gpt-4", "local", "gpt-4o")
            .candidate("*", "local")
            .build()) {
      Set<String> chosen = new HashSet<>();
      List<RouteRequest> requests = TestRequests.random(40, 7);
      for (RouteRequest request : requests) {
        CallResult r = client.call(request);
        chosen.add(r.candidate());
        assertThat(r.candidate()).isEqualTo(r.decision().model());
        assertThat(r.parameters()).isEqualTo(r.decision().parameters());
        assertThat(r.attempts()).hasSize(1);
        JsonNode body = server.lastRequest().json();
        String expectedModel = r.candidate().equals("gpt-4") ? "gpt-4o" : r.candidate();
        assertThat(body.path("model").asText()).isEqualTo(expectedModel);
        assertThat(r.text()).isEqualTo("answer from " + expectedModel);
        ParameterValues p = r.parameters();
        for (String name : p.names()) {
          if (name.equals(RequestTransformers.PROMPT_STYLE)) {
            assertThat(body.has(name)).isFalse();
            String prompt = RequestTransformers.promptStyleTexts().get(p.getString(name));
            assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo(prompt);
          } else if (p.get(name).orElseThrow() instanceof Long) {
            assertThat(body.path(name).asLong()).isEqualTo(p.getLong(name));
          } else {
            assertThat(body.path(name).asDouble()).isEqualTo(p.getDouble(name));
          }
        }
        List<String> sent = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(sent::add);
        sent.removeAll(List.of("model", "messages"));
        assertThat(sent).allMatch(p.names()::contains);
      }
      assertThat(server.requestCount()).isEqualTo(requests.size());
      assertThat(chosen).isNotEmpty();
    }
  }

  @Test
  void build_realBundleWhoseRangeTheProviderCannotTake_failsAtStartUp() {
    try (HapsRouter router = HapsRouter.builder().bundle(TestBundles.create().bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder()).build()) {
      assertThatThrownBy(() -> RoutingClient.builder()
          .router(router)
          .provider("claude", new AnthropicProviderFactory().create(ProviderConfig.of("claude",
              Map.of("baseUrl", server.url(""), "apiKey", "k"))))
          .candidate("*", "claude")
          .build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("parameter 'temperature' of candidate 'mixtral-8x7b' (provider"
              + " 'claude', model 'mixtral-8x7b'): the bundle's range [0.0, 2.0] exceeds the"
              + " provider's [0.0, 1.0]")
          // top_p [0.1, 1] and gpt-4's ranges fit the Messages API; prompt_style has a transformer
          .hasMessageNotContaining("top_p").hasMessageNotContaining("candidate 'gpt-4'");
      assertThat(server.requestCount()).isZero();
    }
  }

  @Test
  void fromConfig_bundleKey_loadsAndOwnsTheRouter() throws Exception {
    server.otherwise(req -> Reply.json(200, chat(req.json().path("model").asText())));
    try (OnnxQueryEncoder encoder = OnnxQueryEncoder.builder().defaultModel().build()) {
      TestBundles.create().encoder(encoder.info()).writeDir(dir.resolve("bundle"));
    }
    Path config = dir.resolve("haps.json");
    Files.writeString(config, "{\"bundle\": \"bundle\", \"providers\": {\"local\": {\"type\":"
        + " \"openai\", \"baseUrl\": \"" + server.url("/v1") + "\"}}, \"candidates\": {\"*\":"
        + " {\"provider\": \"local\"}}}");
    RoutingClient client = RoutingClient.fromConfig(config);
    try {
      CallResult r = client.call("Write a haiku about routers.");
      assertThat(r.text()).startsWith("answer from ");
      assertThat(client.router().candidates()).hasSize(3);
    } finally {
      client.close();
    }
    assertThatThrownBy(() -> client.router().bundle()).isInstanceOf(IllegalStateException.class);
  }
}
