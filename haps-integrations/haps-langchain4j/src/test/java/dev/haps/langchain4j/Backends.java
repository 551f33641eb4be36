package dev.haps.langchain4j;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.Router;
import dev.haps.api.params.ParameterSpace;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.TestBundles;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * One fake OpenAI-compatible backend per bundle candidate (a real HTTP server on loopback), a
 * real router over the test bundle, and LangChain4j's own OpenAI models pointed at the servers.
 */
final class Backends implements AutoCloseable {

  /** The test bundle's candidates, each served by its own backend under another model name. */
  static final Map<String, String> BACKEND_MODEL = Map.of(
      "gpt-4", "gpt-4o", "mixtral-8x7b", "mixtral-local", "claude-instant", "claude-compatible");

  final Map<String, LoopbackServer> servers = new LinkedHashMap<>();
  final RecordingRouter router;

  Backends() {
    this(TestBundles.create());
  }

  Backends(TestBundles bundle) {
    this.router = new RecordingRouter(HapsRouter.builder()
        .bundle(bundle.bundle(RouterBundle::fromBytes)).encoder(new HashingEncoder()).build());
    for (Candidate c : router.candidates()) {
      String id = c.model();
      servers.put(id, LoopbackServer.start()
          .chat(r -> ChatAnswer.of("answer from " + id).usage(11, 4)));
    }
  }

  LoopbackServer server(String id) {
    return servers.get(id);
  }

  OpenAiChatModel model(String id, ChatModelListener... listeners) {
    return OpenAiChatModel.builder()
        .baseUrl(server(id).url("/v1"))
        .apiKey("test-key")
        .modelName(BACKEND_MODEL.getOrDefault(id, id))
        .maxRetries(0)
        .listeners(listeners)
        .build();
  }

  OpenAiStreamingChatModel streamingModel(String id) {
    return OpenAiStreamingChatModel.builder()
        .baseUrl(server(id).url("/v1"))
        .apiKey("test-key")
        .modelName(BACKEND_MODEL.getOrDefault(id, id))
        .build();
  }

  /** Requests every backend received, by candidate. */
  Map<String, Integer> counts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    servers.forEach((id, s) -> m.put(id, s.requestCount()));
    return m;
  }

  @Override
  public void close() {
    servers.values().forEach(LoopbackServer::close);
    router.close();
  }

  /** A real router that records what it was asked. */
  static final class RecordingRouter implements Router {
    final HapsRouter delegate;
    final List<RouteRequest> requests = new CopyOnWriteArrayList<>();

    RecordingRouter(HapsRouter delegate) {
      this.delegate = delegate;
    }

    @Override
    public RouteDecision route(RouteRequest request) {
      requests.add(request);
      return delegate.route(request);
    }

    @Override
    public List<RouteDecision> route(List<RouteRequest> list) {
      List<RouteDecision> out = new ArrayList<>();
      for (RouteRequest r : list) {
        out.add(route(r));
      }
      return out;
    }

    @Override
    public CompletableFuture<RouteDecision> routeAsync(RouteRequest request) {
      return CompletableFuture.completedFuture(route(request));
    }

    @Override
    public CompletableFuture<RouteDecision> routeAsync(RouteRequest request, Executor executor) {
      return CompletableFuture.supplyAsync(() -> route(request), executor);
    }

    @Override
    public BundleInfo bundle() {
      return delegate.bundle();
    }

    @Override
    public List<Candidate> candidates() {
      return delegate.candidates();
    }

    @Override
    public Optional<ParameterSpace> parameterSpace(String model) {
      return delegate.parameterSpace(model);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
