package dev.haps.springai;

import dev.haps.api.Candidate;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestBundles;
import io.micrometer.observation.ObservationRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.retry.support.RetryTemplate;

/**
 * One fake OpenAI-compatible backend per bundle candidate (a real HTTP server on loopback), a
 * real router over the test bundle, and Spring AI's own OpenAiChatModel pointed at each server.
 */
final class SpringBackends implements AutoCloseable {

  static final Map<String, String> BACKEND_MODEL = Map.of(
      "gpt-4", "gpt-4o", "mixtral-8x7b", "mixtral-local", "claude-instant", "claude-compatible");

  final Map<String, LoopbackServer> servers = new LinkedHashMap<>();
  final HapsRouter router;

  SpringBackends() {
    this(TestBundles.create());
  }

  SpringBackends(TestBundles bundle) {
    this.router = HapsRouter.builder().bundle(bundle.bundle(RouterBundle::fromBytes))
        .encoder(new HashingEncoder()).build();
    for (Candidate c : router.candidates()) {
      String id = c.model();
      servers.put(id, LoopbackServer.start()
          .chat(r -> ChatAnswer.of("answer from " + id).usage(11, 4)));
    }
  }

  LoopbackServer server(String id) {
    return servers.get(id);
  }

  OpenAiChatModel model(String id, ObservationRegistry registry) {
    return OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(server(id).url("")).apiKey("test-key").build())
        .defaultOptions(OpenAiChatOptions.builder()
            .model(BACKEND_MODEL.getOrDefault(id, id)).build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .observationRegistry(registry)
        .build();
  }

  OpenAiChatModel model(String id) {
    return model(id, ObservationRegistry.NOOP);
  }

  Map<String, Integer> counts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    servers.forEach((id, s) -> m.put(id, s.requestCount()));
    return m;
  }

  int total() {
    return counts().values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public void close() {
    servers.values().forEach(LoopbackServer::close);
    router.close();
  }
}
