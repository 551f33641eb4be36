package dev.haps.bench;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.client.RequestTransformers;
import dev.haps.langchain4j.HapsChatModel;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ChatAnswer;
import dev.haps.testing.LoopbackServer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What routing adds to a LangChain4j call: {@code routed} calls {@link HapsChatModel#chat} (the
 * default bundle and encoder, warm decision cache) and {@code direct} calls the model it chooses
 * ({@code OpenAiChatModel}) with the same request the routed model sends it (the chosen prompt
 * style's system message first). Both go over HTTP to the same {@link LoopbackServer} on
 * 127.0.0.1, which answers at once, so the difference of the two medians is HAPS's overhead.
 *
 * <p>{@code java -jar haps-bench/target/benchmarks.jar AdapterBench}
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class AdapterBench {

  static final String QUESTION =
      "A trader sold an article at a profit of 20% for Rs.360. What is the cost price?";

  private LoopbackServer server;
  private HapsRouter router;
  private HapsChatModel routed;
  private ChatModel chosen;
  private ChatRequest routedRequest;
  private ChatRequest directRequest;

  /** Creates the benchmark (JMH instantiates it). */
  public AdapterBench() {}

  /** Starts the server, the models and the router; warms the decision cache. */
  @Setup(Level.Trial)
  public void setUp() {
    server = LoopbackServer.start().chat(r -> ChatAnswer.of("Answer: 300").usage(40, 3));
    Map<String, ChatModel> models = Map.of(
        "gpt-35-turbo", model("fast-model"), "gpt-4", model("smart-model"));
    router = HapsRouter.withDefaults();
    routed = HapsChatModel.builder().router(router)
        .candidate("gpt-35-turbo", models.get("gpt-35-turbo"))
        .candidate("gpt-4", models.get("gpt-4"))
        .costWeight(0.5)
        .build();
    RouteDecision d = router.route(RouteRequest.of(QUESTION, 0.5));
    chosen = models.get(d.model());
    String style = d.parameters().getString(RequestTransformers.PROMPT_STYLE);
    routedRequest = ChatRequest.builder().messages(UserMessage.from(QUESTION)).build();
    directRequest = ChatRequest.builder().messages(
        SystemMessage.from(RequestTransformers.promptStyleTexts().get(style)),
        UserMessage.from(QUESTION)).build();
    routed.chat(routedRequest); // the decision is cached from here on
    System.err.println("[AdapterBench] chosen " + d.model() + " with " + d.parameters());
  }

  private ChatModel model(String name) {
    return OpenAiChatModel.builder().baseUrl(server.url("/v1")).apiKey("bench")
        .modelName(name).maxRetries(0).build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    routed.close();
    router.close();
    server.close();
  }

  /**
   * The chosen model called directly with the request HAPS would send it.
   *
   * @return the response
   */
  @Benchmark
  public ChatResponse direct() {
    return chosen.chat(directRequest);
  }

  /**
   * The same question through {@link HapsChatModel}: route (cached), apply the parameters, call.
   *
   * @return the response
   */
  @Benchmark
  public ChatResponse routed() {
    return routed.chat(routedRequest);
  }
}
