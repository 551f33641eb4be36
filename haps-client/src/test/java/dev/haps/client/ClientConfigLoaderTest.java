package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigLoaderTest {

  @TempDir Path dir;

  private final LoopbackServer server = LoopbackServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private String config(String extra) {
    return "{\"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\": \"${env:BASE}\"}},"
        + " \"candidates\": {\"gpt-4-1106-preview\": {\"provider\": \"local\", \"model\":"
        + " \"gpt-4o\"}, \"*\": {\"provider\": \"local\"}}" + extra + "}";
  }

  /** Counts calls and closes, passing everything else to the created provider. */
  private static final class Counting implements LlmProvider {
    final LlmProvider delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    Counting(LlmProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String id() {
      return delegate.id();
    }

    @Override
    public List<ModelInfo> models() {
      return delegate.models();
    }

    @Override
    public ParameterSpace parameterSpace(String model) {
      return delegate.parameterSpace(model);
    }

    @Override
    public Completion complete(ChatRequest request, ParameterValues parameters) {
      calls.incrementAndGet();
      return delegate.complete(request, parameters);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      delegate.close();
    }
  }

  @Test
  void load_decoratesEachProvider_resolvesPathsAgainstTheBaseDirectory() throws Exception {
    server.otherwise(req -> Reply.json(200, RoutingClientTest.chat(
        req.json().path("model").asText(), "ok", 3, 2)));
    List<String> types = new ArrayList<>();
    List<Counting> made = new ArrayList<>();
    RoutingClient c = ClientConfigLoader
        .fromJson(config(", \"feedback\": {\"path\": \"fb/outcomes.jsonl\"}"), "serve.json")
        .baseDirectory(dir)
        .environment(name -> name.equals("BASE") ? server.url("/v1") : null)
        .router(new FixedRouter().rank("gpt-4-1106-preview", 1.0, ParameterValues.empty()))
        .decorateProviders((type, config, provider) -> {
          types.add(type + ":" + config.id());
          Counting counting = new Counting(provider);
          made.add(counting);
          return counting;
        })
        .load();
    try (c) {
      CallResult r = c.call("hello");
      assertThat(r.backendModel()).isEqualTo("gpt-4o");
      assertThat(types).containsExactly("openai:local");
      assertThat(made).singleElement().satisfies(p -> assertThat(p.calls).hasValue(1));
      c.feedback(r.callId(), 1.0);
    }
    assertThat(made.get(0).closes).as("the client owns the decorated provider").hasValue(1);
    assertThat(dir.resolve("fb/outcomes.jsonl")).exists();
    assertThat(Files.readAllLines(dir.resolve("fb/outcomes.jsonl"))).hasSize(1);
  }

  @Test
  void target_readsTheMappingByNameThenTheWildcard() {
    try (RoutingClient c = ClientConfigLoader.fromJson(config(""), "inline")
        .environment(name -> server.url("/v1"))
        .router(new FixedRouter().rank("gpt-4-1106-preview", 1.0, ParameterValues.empty()))
        .load()) {
      assertThat(c.target("gpt-4-1106-preview"))
          .contains(new CandidateTarget("local", "gpt-4o"));
      assertThat(c.target("mixtral-8x7b")).contains(new CandidateTarget("local", "mixtral-8x7b"));
    }
    try (RoutingClient c = RoutingClient.builder()
        .router(new FixedRouter().rank("a", 1.0, ParameterValues.empty()))
        .provider("p", RoutingClientTest.openai("p", server, java.util.Map.of()))
        .candidate("a", "p")
        .build()) {
      assertThat(c.target("a")).contains(new CandidateTarget("p", "a"));
      assertThat(c.target("b")).isEmpty();
    }
  }

  @Test
  void load_mistakes_nameTheSourceAndTheKey() {
    assertThatThrownBy(() -> ClientConfigLoader.fromJson(config(", \"retries\": 1"),
        "serve.json").environment(name -> "http://127.0.0.1:1/v1").load())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("config serve.json: \"retries\" is not a known key");
    assertThatThrownBy(() -> ClientConfigLoader.fromJson("{", "serve.json").load())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("config serve.json is not valid JSON");
    ClientConfigLoader loader = ClientConfigLoader.fromJson("{}", "x").router(new FixedRouter());
    assertThatThrownBy(() -> loader.router(new FixedRouter()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("router is already set");
  }

  @Test
  void load_decoratorFails_theLoadFailsWithIt() {
    assertThatThrownBy(() -> ClientConfigLoader.fromJson(config(""), "serve.json")
        .environment(name -> server.url("/v1"))
        .router(new FixedRouter().rank("gpt-4-1106-preview", 1.0, ParameterValues.empty()))
        .decorateProviders((type, config, provider) -> {
          throw new IllegalStateException("no forwarder for " + config.id());
        })
        .load())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("config serve.json: no forwarder for local");
  }
}
