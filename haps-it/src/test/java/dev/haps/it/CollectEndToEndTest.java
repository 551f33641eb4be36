package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.collect.CollectSummary;
import dev.haps.collect.Collector;
import dev.haps.collect.RowProblem;
import dev.haps.collect.RowStatus;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.eval.EvalReport;
import dev.haps.eval.Evaluation;
import dev.haps.eval.RouterResult;
import dev.haps.spi.JudgeConfig;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Recorded;
import dev.haps.testing.LoopbackServer.Reply;
import dev.haps.train.TrainResult;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 end to end: {@code haps collect}'s {@link Collector} against an OpenAI-compatible
 * HTTP server on loopback ({@link LoopbackServer}, deterministic answers per model, parameters
 * and query) collects 50 queries x 4 configurations, judged by exact match and, in a second
 * folder, by an LLM judge (another model on the same server); the logs pass the outcome-log
 * validator, {@link Trainer} trains a bundle on the exact-match log and {@link Evaluation}
 * evaluates it against the baselines. A backend that answers 500 or malformed JSON, and a judge
 * that cannot grade, show up as per-row problems in the summary.
 */
class CollectEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void collect_trainAndEvaluate_onAnOpenAiCompatibleLoopbackServer() throws Exception {
    try (LoopbackServer server = LoopbackServer.start();
        HashingEncoder encoder = new HashingEncoder()) {
      Set<String> failing = Set.of("strong-1|" + question(3), "weak-1|" + question(4));
      server.route("/v1/chat/completions", r -> answer(r, failing));
      Path queries = queries(dir.resolve("queries.jsonl"));
      Path config = Files.writeString(dir.resolve("collect.json"), config(server));

      // 1. Exact match, no faults: the full 50 x 4 log.
      Path exact = dir.resolve("exact");
      CollectSummary s;
      try (Collector c = Collector.builder().config(config).queries(queries).output(exact)
          .concurrency(4).fsync(false).build()) {
        s = c.run();
      }
      assertThat(s.graded()).as(s.problems().toString()).isEqualTo(200);
      OutcomeLog log = OutcomeLog.load(exact);
      assertThat(log.records()).hasSize(50);
      assertThat(log.outcomeCount()).isEqualTo(200);
      for (Split sp : Split.values()) {
        assertThat(log.records(sp)).as(sp.wireName()).isNotEmpty();
      }
      assertThat(s.bestSingle().orElseThrow().meanScore()).isLessThan(s.oracleMeanScore());

      // 2. The LLM judge (model judge-1 on the same server), with a backend that answers 500
      //    for one pair and malformed JSON for another.
      Path llm = dir.resolve("llm");
      CollectSummary j;
      try (Collector c = Collector.builder().config(config).queries(queries).output(llm)
          .judge(JudgeConfig.of("llm", Map.of("provider", "local", "model", "judge-1")))
          .concurrency(4).fsync(false).build()) {
        server.route("/v1/chat/completions", r -> answer(r, failing, true));
        j = c.run();
      }
      assertThat(j.failed()).isEqualTo(4);
      assertThat(j.problems()).extracting(RowProblem::status)
          .containsOnly(RowStatus.CALL_FAILED, RowStatus.UNGRADED);
      assertThat(j.problems().stream().map(RowProblem::reason).toList())
          .anySatisfy(r -> assertThat(r).startsWith("SERVER_ERROR (HTTP 500) after 3 attempts"))
          .anySatisfy(r -> assertThat(r).startsWith("MALFORMED_RESPONSE after 3 attempts"))
          .anySatisfy(r -> assertThat(r).startsWith("the judge's reply has no 'Grade: N'"));
      assertThat(j.judgeCostUsd()).isPositive();
      JsonNode summary = JSON.readTree(llm.resolve("summary.json").toFile());
      assertThat(summary.path("problems").size()).isEqualTo(j.problems().size());
      OutcomeLog judged = OutcomeLog.load(llm);
      assertThat(judged.outcomeCount()).isEqualTo(j.graded());
      for (QueryRecord r : judged.records()) {
        for (Outcome o : r.outcomes()) {
          assertThat(o.score()).isIn(1.0, 0.3);
        }
      }

      // 3. Train on the exact-match log and evaluate the bundle against the baselines.
      Path bundle = dir.resolve("bundle");
      TrainResult t = Trainer.builder().log(log).encoder(encoder).cacheDir(dir.resolve("cache"))
          .output(bundle)
          .options(TrainOptions.builder().seed(42).ensemble(1).hiddenSizes(32).epochs(60)
              .warmupOnly(true).linearPath(false).weightDecay(1e-4).build())
          .createdAt(Instant.parse("2026-01-01T00:00:00Z")).build().train();
      assertThat(t.configurations()).hasSize(4);
      JsonNode manifest = JSON.readTree(bundle.resolve("manifest.json").toFile());
      assertThat(manifest.path("candidates")).hasSize(2);
      EvalReport report = Evaluation.builder().data(log).bundle(bundle).encoder(encoder)
          .embeddingCache(dir.resolve("cache")).baselines("best-fixed", "oracle", "random")
          .costWeights(5).report(dir.resolve("report")).build().run();
      RouterResult haps = report.router(Evaluation.MAIN_BUNDLE).orElseThrow();
      RouterResult oracle = report.router("oracle").orElseThrow();
      assertThat(haps.metrics().aiq()).isFinite().isLessThanOrEqualTo(oracle.metrics().aiq());
      assertThat(dir.resolve("report").resolve("report.json")).exists();
      System.out.printf("collect end to end: exact log best single %.3f, oracle %.3f;"
          + " bundle AIQ %.4f (oracle %.4f), gap closed %.3f; LLM-judged log %d graded,"
          + " %d problems, judge cost $%.6f%n", s.bestSingle().get().meanScore(),
          s.oracleMeanScore(), haps.metrics().aiq(), oracle.metrics().aiq(),
          haps.metrics().gapClosed(), j.graded(), j.problems().size(), j.judgeCostUsd());
    }
  }

  private static String question(int i) {
    return questions().get(i)[1];
  }

  private static List<String[]> questions() {
    Random r = new Random(2101);
    List<String[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int a = r.nextInt(900) + 10;
      int b = r.nextInt(900) + 10;
      out.add(new String[] {"q" + i, "What is " + a + " + " + b + "?", Integer.toString(a + b)});
    }
    return out;
  }

  private static Path queries(Path file) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String[] q : questions()) {
      ObjectNode o = JSON.createObjectNode().put("id", q[0]).put("query", q[1])
          .put("answer", q[2]);
      sb.append(o).append('\n');
    }
    return Files.writeString(file, sb.toString());
  }

  private static String config(LoopbackServer server) {
    return "{\"benchmark\": \"quiz\",\n"
        + " \"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\": \"" + server.url("/v1")
        + "\", \"price\": {\"strong-1\": {\"input\": 3, \"output\": 15}, \"weak-1\": {\"input\":"
        + " 0.5, \"output\": 1.5}, \"judge-1\": {\"input\": 1, \"output\": 2}}}},\n"
        + " \"candidates\": {\n"
        + "   \"strong\": {\"provider\": \"local\", \"model\": \"strong-1\", \"parameters\":"
        + " {\"temperature\": [0, 0.7]}},\n"
        + "   \"weak\": {\"provider\": \"local\", \"model\": \"weak-1\", \"parameters\":"
        + " {\"prompt_style\": [\"baseline\", \"concise\"]}}},\n"
        + " \"retry\": {\"maxRetries\": 2, \"initialBackoff\": 1, \"maxBackoff\": 5},\n"
        + " \"circuitBreaker\": {\"failureThreshold\": 1000},\n"
        + " \"judge\": \"exact\"}\n";
  }

  private static Reply answer(Recorded r, Set<String> failing) {
    return answer(r, failing, false);
  }

  /**
   * The backend: models right on a share of questions that depends on the model, temperature
   * and system prompt (a fixed hash); judge-1 grades 10 for an answer equal to the reference
   * and 3 otherwise, and cannot grade question 7.
   */
  private static Reply answer(Recorded r, Set<String> failing, boolean faults) {
    JsonNode body = r.json();
    String model = body.path("model").asText();
    String system = "";
    String user = "";
    for (JsonNode m : body.path("messages")) {
      if (m.path("role").asText().equals("system")) {
        system = m.path("content").asText();
      } else {
        user = m.path("content").asText();
      }
    }
    String text;
    if (model.equals("judge-1")) {
      int ref = user.indexOf("Reference answer:\n");
      int resp = user.indexOf("\n\nResponse:\n");
      String reference = user.substring(ref + 18, resp).strip();
      String response = user.substring(resp + 12).strip();
      text = user.contains(question(7)) ? "It looks plausible."
          : response.equals(reference) ? "Grade: 10" : "Grade: 3";
    } else {
      if (faults && failing.contains(model + "|" + user)) {
        return model.startsWith("strong")
            ? Reply.json(500, "{\"error\":{\"message\":\"internal error\"}}")
            : Reply.json(200, "{\"choices\": [");
      }
      double temperature = body.path("temperature").asDouble(1.0);
      int accuracy = (model.startsWith("strong") ? 80 : 45) + (system.contains("concise") ? 20
          : 0) - (temperature > 0.5 ? 15 : 0);
      int h = Math.floorMod((model + "|" + temperature + "|" + system + "|" + user).hashCode(),
          100);
      String[] ab = user.replace("What is ", "").replace("?", "").split(" \\+ ");
      long sum = Long.parseLong(ab[0]) + Long.parseLong(ab[1]);
      text = h < accuracy ? Long.toString(sum) : Long.toString(sum + 1 + h % 7);
    }
    int prompt = (system.length() + user.length()) / 4 + 5;
    int completion = model.startsWith("strong") ? 40 : 12;
    ObjectNode o = JSON.createObjectNode().put("id", "c").put("model", model);
    ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", "stop");
    o.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion);
    return Reply.json(200, o.toString());
  }
}
