package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.eval.EvalReport;
import dev.haps.eval.Evaluation;
import dev.haps.eval.RouterResult;
import dev.haps.provider.anthropic.AnthropicProviderFactory;
import dev.haps.provider.openai.OpenAiProviderFactory;
import dev.haps.runtime.HapsRouter;
import dev.haps.spi.ProviderConfig;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24.4: reasoning parameters flow through data, training, the runtime and the client
 * unchanged. A synthetic outcome log has two candidate models, o3-mini at
 * {@code reasoning_effort} low/high (a categorical) and claude-sonnet-4-5 at
 * {@code thinking_budget} 0/2048 (an int); each of four tasks has one best configuration. The
 * {@link Trainer} trains on it, {@link HapsRouter} loads the bundle and decides each test query's
 * configuration, {@link Evaluation} sweeps it against fixed configurations, and
 * {@link RoutingClient} sends the generated effort and budget on the wire of
 * the OpenAI and Anthropic providers (loopback servers) and writes them to the feedback log.
 */
class ReasoningParametersEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "o3-mini";
  private static final String B = "claude-sonnet-4-5";

  /** Each task's words, and the one configuration that answers it best for its cost. */
  private static final Map<String, String> TASKS = new LinkedHashMap<>();
  private static final Map<String, String> BEST = new LinkedHashMap<>();

  static {
    TASKS.put("calculus", "compute the definite integral of the polynomial over the interval");
    TASKS.put("chat", "hello there friend how was your weekend");
    TASKS.put("poem", "write a short rhyming poem about the autumn sea");
    TASKS.put("proof", "prove rigorously that the lemma on prime gaps holds");
    // Calculus needs high effort; chat anything (the cheapest wins); poems need Claude, no
    // thinking; proofs need Claude with thinking.
    BEST.put("calculus", A + " {reasoning_effort=high}");
    BEST.put("chat", A + " {reasoning_effort=low}");
    BEST.put("poem", B + " {thinking_budget=0}");
    BEST.put("proof", B + " {thinking_budget=2048}");
  }

  @TempDir static Path dir;
  static Path bundle;
  static HashingEncoder encoder;

  static CandidateSet candidates() {
    return CandidateSet.of("reasoning-synthetic", List.of(
        new CandidateModel(A, 1.1, 4.4, ParameterSpace.of(
            CategoricalSpec.of("reasoning_effort", "low", "low", "high")),
            Map.of("reasoning_effort", List.of("low", "high"))),
        new CandidateModel(B, 3.0, 15.0, ParameterSpace.of(
            IntSpec.of("thinking_budget", 0, 2048, 0)),
            Map.of("thinking_budget", List.of(0L, 2048L)))));
  }

  /** Score and cost of each configuration on each task. */
  static List<Outcome> outcomes(String task) {
    boolean chat = task.equals("chat");
    double aLow = chat ? 1 : 0;
    double aHigh = chat || task.equals("calculus") ? 1 : 0;
    double b0 = chat || task.equals("poem") ? 1 : 0;
    double b2048 = chat || task.equals("poem") || task.equals("proof") ? 1 : 0;
    return List.of(
        new Outcome(A, ParameterValues.of(Map.of("reasoning_effort", "low")), aLow, 0.001, 60,
            200),
        new Outcome(A, ParameterValues.of(Map.of("reasoning_effort", "high")), aHigh, 0.004, 60,
            900),
        new Outcome(B, ParameterValues.of(Map.of("thinking_budget", 0L)), b0, 0.003, 60, 180),
        new Outcome(B, ParameterValues.of(Map.of("thinking_budget", 2048L)), b2048, 0.012, 60,
            780));
  }

  static OutcomeLog log() {
    List<QueryRecord> records = new ArrayList<>();
    for (Map.Entry<String, String> t : TASKS.entrySet()) {
      for (int i = 0; i < 40; i++) {
        Split split = i < 28 ? Split.TRAIN : i < 36 ? Split.VALID : Split.TEST;
        records.add(QueryRecord.of(t.getKey() + "-" + i, t.getKey(), split,
            t.getValue() + " case " + i, outcomes(t.getKey())));
      }
    }
    return OutcomeLog.of(candidates(), records);
  }

  @BeforeAll
  static void train() {
    encoder = new HashingEncoder();
    bundle = dir.resolve("bundle");
    Trainer.builder().log(log()).encoder(encoder).cacheDir(dir.resolve("cache"))
        .output(bundle)
        .options(TrainOptions.builder().seed(42).ensemble(1).hiddenSizes(32).epochs(400)
            .warmupOnly(true).linearPath(false).weightDecay(1e-4).build())
        .createdAt(Instant.parse("2026-01-01T00:00:00Z")).build().train();
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  private static String describe(RouteDecision d) {
    return d.model() + " " + d.parameters();
  }

  @Test
  void trainedBundle_routesEachTaskToItsModelAndReasoningParameters() throws Exception {
    JsonNode manifest = JSON.readTree(bundle.resolve("manifest.json").toFile());
    assertThat(manifest.path("candidates").get(0).path("provider").asText()).isEqualTo("openai");
    assertThat(manifest.path("candidates").get(1).path("provider").asText())
        .isEqualTo("anthropic");
    JsonNode effort = manifest.path("candidates").get(0).path("parameters").get(0);
    assertThat(effort.path("type").asText()).isEqualTo("categorical");
    assertThat(effort.path("choices").toString()).isEqualTo("[\"low\",\"high\"]");
    JsonNode budget = manifest.path("candidates").get(1).path("parameters").get(0);
    assertThat(budget.path("type").asText()).isEqualTo("int");
    assertThat(budget.path("max").asLong()).isEqualTo(2048);
    try (HapsRouter router = HapsRouter.builder().bundle(bundle).encoder(encoder).build()) {
      // At cost weights where both score and cost count, each task gets its configuration; at
      // 1 (cost first) everything goes to the cheapest, o3-mini at low effort.
      for (QueryRecord q : log().records(Split.TEST)) {
        for (double w : new double[] {0.3, 0.6}) {
          RouteDecision d = router.route(RouteRequest.of(q.query(), w));
          assertThat(describe(d)).as(q.id() + " at cost weight " + w)
              .isEqualTo(BEST.get(q.task()));
        }
        assertThat(describe(router.route(RouteRequest.of(q.query(), 1.0))))
            .isEqualTo(A + " {reasoning_effort=low}");
      }
    }
  }

  @Test
  void evaluation_sweepsTheBundleOverTheReasoningConfigurations() {
    EvalReport report = Evaluation.builder().data(log()).bundle(bundle).encoder(encoder)
        .embeddingCache(dir.resolve("cache")).baselines("best-fixed", "oracle").costWeights(5)
        .build().run();
    RouterResult haps = report.router(Evaluation.MAIN_BUNDLE).orElseThrow();
    RouterResult fixed = report.router("best-fixed").orElseThrow();
    // Each task has one best configuration and the bundle finds it: it closes the whole gap
    // between the best fixed (model, effort or budget) configuration and the oracle (measured
    // 1.0; AIQ 0.912 against 0.5).
    assertThat(haps.metrics().gapClosed()).isGreaterThan(0.99);
    assertThat(haps.metrics().aiq()).isGreaterThan(fixed.metrics().aiq());
    assertThat(haps.sharePerModel()).containsOnlyKeys(A, B);
  }

  @Test
  void routingClient_sendsTheGeneratedEffortAndBudgetOnTheWireAndLogsThem() throws Exception {
    try (LoopbackServer server = LoopbackServer.start()) {
      server.otherwise(r -> r.path().endsWith("/messages")
          ? Reply.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
              + "\"model\":\"" + B + "\",\"content\":[{\"type\":\"thinking\",\"thinking\":"
              + "\"Let p be prime.\",\"signature\":\"sig\"},{\"type\":\"text\",\"text\":"
              + "\"Proved.\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":60,"
              + "\"output_tokens\":780}}")
          : Reply.json(200, "{\"id\":\"c1\",\"model\":\"" + A + "\",\"choices\":[{\"index\":0,"
              + "\"message\":{\"role\":\"assistant\",\"content\":\"42\"},\"finish_reason\":"
              + "\"stop\"}],\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":900,"
              + "\"completion_tokens_details\":{\"reasoning_tokens\":850}}}"));
      Path feedback = dir.resolve("feedback").resolve("outcomes.jsonl");
      try (HapsRouter router = HapsRouter.builder().bundle(bundle).encoder(encoder).build();
          RoutingClient client = RoutingClient.builder().router(router)
              .provider("openai", new OpenAiProviderFactory().create(ProviderConfig.of("openai",
                  Map.of("baseUrl", server.url("/v1"),
                      "model.o3-mini.reasoningEffort", "[\"low\", \"medium\", \"high\"]",
                      "price.o3-mini.input", "1.1", "price.o3-mini.output", "4.4"))))
              .provider("anthropic", new AnthropicProviderFactory().create(ProviderConfig.of(
                  "anthropic", Map.of("baseUrl", server.url(""), "apiKey", "sk-ant-test",
                      "maxTokens", "8192"))))
              .candidate(A, "openai").candidate(B, "anthropic")
              .feedbackSink(feedback).build()) {

        CallResult calculus = client.call(RouteRequest.of(TASKS.get("calculus") + " case 39",
            0.3));
        assertThat(calculus.candidate()).isEqualTo(A);
        assertThat(calculus.parameters().getString("reasoning_effort")).isEqualTo("high");
        JsonNode openAiBody = server.lastRequest().json();
        assertThat(server.lastRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(openAiBody.path("model").asText()).isEqualTo(A);
        assertThat(openAiBody.path("reasoning_effort").asText()).isEqualTo("high");
        // By hand: 60 × $1.10/M + 900 × $4.40/M (850 of them reasoning) = $0.000066 + $0.00396
        // = $0.004026.
        assertThat(calculus.cost()).hasValueCloseTo(0.004026,
            org.assertj.core.data.Offset.offset(1e-12));
        client.feedback(calculus.callId(), 1.0);

        CallResult proof = client.call(RouteRequest.of(TASKS.get("proof") + " case 39", 0.3));
        assertThat(proof.candidate()).isEqualTo(B);
        assertThat(proof.parameters().getLong("thinking_budget")).isEqualTo(2048L);
        JsonNode anthropicBody = server.lastRequest().json();
        assertThat(server.lastRequest().path()).isEqualTo("/v1/messages");
        assertThat(anthropicBody.path("thinking").toString())
            .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":2048}");
        assertThat(anthropicBody.path("max_tokens").asLong()).isEqualTo(8192);
        assertThat(proof.text()).isEqualTo("Proved.");
        client.feedback(proof.callId(), 1.0);
      }

      // Collect: the feedback log records the generated reasoning parameters for retraining.
      List<String> lines = Files.readAllLines(feedback);
      assertThat(lines).hasSize(2);
      assertThat(JSON.readTree(lines.get(0)).path("outcomes").get(0).path("params").toString())
          .isEqualTo("{\"reasoning_effort\":\"high\"}");
      assertThat(JSON.readTree(lines.get(1)).path("outcomes").get(0).path("params").toString())
          .isEqualTo("{\"thinking_budget\":2048}");
    }
  }
}
