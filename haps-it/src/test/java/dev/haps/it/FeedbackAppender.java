package dev.haps.it;

import dev.haps.api.RouteRequest;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLogWriter;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.TokenUsage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import dev.haps.runtime.RouterBundle;

/**
 * The child process of {@link FeedbackCrashTest}: appends feedback lines to an outcome log in
 * a loop until it is killed, and prints {@code appended <n>} after each append returns (so the
 * parent knows which records must survive the kill). Mode {@code client} goes the production
 * way: {@link RoutingClient#call} then {@link RoutingClient#feedback} into the configured sink;
 * mode {@code writer} appends with {@link OutcomeLogWriter} directly (the same writer, without
 * the router's start-up time). Some records carry queries of hundreds of KiB, so that a kill can
 * land inside one write.
 */
public final class FeedbackAppender {

  private FeedbackAppender() {}

  /** The query of record {@code n}: names its number; sometimes very long. */
  static String query(int n, Random r) {
    StringBuilder sb = new StringBuilder("feedback record ").append(n).append(' ');
    int pad = r.nextInt(5) == 0 ? 65_536 + r.nextInt(400_000) : r.nextInt(2_000);
    while (sb.length() < pad) {
      sb.append(QueryGenerator.WORDS[r.nextInt(QueryGenerator.WORDS.length)]).append(' ');
    }
    return sb.toString();
  }

  /**
   * Runs until killed.
   *
   * @param args the outcomes file, the first record number, the seed, and the mode
   *     ({@code client} or {@code writer})
   * @throws Exception on any failure (the parent sees the exit)
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int first = Integer.parseInt(args[1]);
    Random r = new Random(Long.parseLong(args[2]));
    PrintStream out = System.out;
    if (args[3].equals("writer")) {
      try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
        out.println("ready");
        out.flush();
        for (int n = first; ; n++) {
          w.append(QueryRecord.of("w-" + n, "feedback", Split.TRAIN, query(n, r), List.of(
              new Outcome("mixtral-8x7b", ParameterValues.builder().put("temperature", 0.5)
                  .put("top_p", 0.9).build(), r.nextDouble(), 0.001, 12, 30))));
          out.println("appended " + n);
          out.flush();
        }
      }
    }
    try (HapsRouter router = HapsRouter.builder()
            .bundle(ReliabilityFixtures.spec().seed(4).bundle(RouterBundle::fromBytes))
            .encoder(ReliabilityFixtures.hashingEncoder()).build();
        RoutingClient client = RoutingClient.builder().router(router)
            .provider("local", new LocalProvider())
            .candidate("*", "local")
            .feedbackSink(file)
            .build()) {
      out.println("ready");
      out.flush();
      for (int n = first; ; n++) {
        CallResult c = client.call(RouteRequest.of(query(n, r), r.nextDouble()));
        client.feedback(c.callId(), r.nextDouble());
        out.println("appended " + n);
        out.flush();
      }
    }
  }

  /**
   * An in-process backend (a provider plugin, not a stand-in for one of our classes) that
   * answers at once and accepts every parameter the test bundle generates.
   */
  static final class LocalProvider implements LlmProvider {
    private static final ParameterSpace SPACE = ParameterSpace.of(
        FloatSpec.of("temperature", 0, 2, 1), FloatSpec.of("top_p", 0, 1, 1),
        IntSpec.of("max_tokens", 1, 1 << 20, 256));

    @Override
    public String id() {
      return "local";
    }

    @Override
    public List<ModelInfo> models() {
      return List.of();
    }

    @Override
    public ParameterSpace parameterSpace(String model) {
      return SPACE;
    }

    @Override
    public Completion complete(ChatRequest request, ParameterValues parameters) {
      return new Completion("ok", request.model(), new TokenUsage(12, 3), 0.0001,
          Duration.ofMillis(1), Map.of());
    }
  }
}
