package dev.haps.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.spi.JudgeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorTest {

  @TempDir Path dir;

  private final QuizBackend quiz = QuizBackend.start();

  @AfterEach
  void stop() {
    quiz.server.close();
  }

  private Collector.Builder collector(String judge, String extra, int queries, Path out) {
    return Collector.builder()
        .config(QuizBackend.write(dir.resolve("collect-" + out.getFileName() + ".json"),
            quiz.config(judge, extra)))
        .queries(QuizBackend.writeQueries(dir.resolve("queries.jsonl"), queries, 7))
        .output(out)
        .fsync(false);
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void run_fourConfigurations_writesAValidLogWithScoresCostsTokensAndSummary() throws IOException {
    Path out = dir.resolve("quiz");
    CollectSummary s;
    try (Collector c = collector("{\"type\": \"exact\"}", "", 12, out).concurrency(3).build()) {
      CostEstimate e = c.estimate();
      assertThat(e.pairsPlanned()).isEqualTo(48);
      assertThat(e.calls()).isEqualTo(48);
      assertThat(e.estimatedUsd()).isPositive();
      assertThat(e.unpriced()).isEmpty();
      s = c.run();
    }
    assertThat(quiz.modelRequests()).isEqualTo(48);
    OutcomeLog log = OutcomeLog.load(out);
    assertThat(log.benchmark()).isEqualTo("quiz");
    assertThat(log.records()).hasSize(12);
    assertThat(log.outcomeCount()).isEqualTo(48);
    assertThat(log.candidates().ids()).containsExactly("strong", "weak");
    assertThat(log.observedValues("strong", "temperature")).containsExactly(0.0, 0.7);
    assertThat(log.observedValues("weak", "prompt_style")).containsExactly("baseline", "concise");
    // Records in input order, outcomes in plan order.
    QueryRecord q0 = log.records().get(0);
    assertThat(q0.id()).isEqualTo("q0");
    assertThat(q0.task()).isEqualTo("even");
    assertThat(q0.answer()).isPresent();
    assertThat(q0.outcomes()).extracting(Outcome::model)
        .containsExactly("strong", "strong", "weak", "weak");
    assertThat(q0.outcomes().get(1).params())
        .isEqualTo(ParameterValues.builder().put("temperature", 0.7).build());
    for (QueryRecord r : log.records()) {
      for (Outcome o : r.outcomes()) {
        assertThat(o.score()).isIn(0.0, 1.0);
        double in = o.model().equals("strong") ? 3 : 0.5;
        double outPrice = o.model().equals("strong") ? 15 : 1.5;
        assertThat(o.costUsd()).isCloseTo((o.inputTokens() * in + o.outputTokens() * outPrice)
            / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(o.outputTokens()).isEqualTo(o.model().equals("strong") ? 40 : 12);
      }
    }
    // Scores vary between configurations: the judge sees real differences.
    Set<Double> means = new HashSet<>();
    s.configurations().forEach(cs -> means.add(cs.meanScore()));
    assertThat(means.size()).isGreaterThan(1);
    assertThat(s.graded()).isEqualTo(48);
    assertThat(s.problems()).isEmpty();
    assertThat(s.complete()).isTrue();
    assertThat(s.callsThisRun()).isEqualTo(48);
    assertThat(s.bestSingle()).isPresent();
    assertThat(s.oracleMeanScore()).isGreaterThanOrEqualTo(s.bestSingle().get().meanScore());
    assertThat(s.splits().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    // Splits come from a hash of the id: the same on every run, whatever the order.
    Splits hash = new Splits(0.6, 0.2);
    for (QueryRecord r : log.records()) {
      assertThat(r.split()).isEqualTo(hash.of(r.id()));
    }
    JsonNode summary = QuizBackend.JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.path("n_queries").asInt()).isEqualTo(12);
    assertThat(summary.path("n_configs").asInt()).isEqualTo(4);
    assertThat(summary.path("complete").asBoolean()).isTrue();
    assertThat(summary.path("stats").path("all").path("per_config")).hasSize(4);
    assertThat(summary.path("stats").path("all").path("best_single").path("model").asText())
        .isEqualTo(s.bestSingle().get().configuration().model());
    assertThat(summary.path("stats").path("all").path("oracle").path("mean_score").asDouble())
        .isEqualTo(s.oracleMeanScore());
    assertThat(summary.path("cost_usd").path("total").asDouble()).isEqualTo(s.spentUsd());
    assertThat(summary.path("tasks").path("even").size()).isEqualTo(3);
  }

  @Test
  void rerun_skipsEveryFinishedPairAndRewritesTheSameBytes() {
    Path out = dir.resolve("quiz");
    try (Collector c = collector("\"exact\"", "", 8, out).build()) {
      c.run();
    }
    byte[] outcomes = read(out.resolve("outcomes.jsonl"));
    byte[] candidates = read(out.resolve("candidates.json"));
    byte[] summary = read(out.resolve("summary.json"));
    int requests = quiz.server.requestCount();
    CollectSummary again;
    try (Collector c = collector("\"exact\"", "", 8, out).build()) {
      assertThat(c.estimate().calls()).isZero();
      again = c.run();
    }
    assertThat(quiz.server.requestCount()).isEqualTo(requests);
    assertThat(again.callsThisRun()).isZero();
    assertThat(read(out.resolve("outcomes.jsonl"))).isEqualTo(outcomes);
    assertThat(read(out.resolve("candidates.json"))).isEqualTo(candidates);
    assertThat(read(out.resolve("summary.json"))).isEqualTo(summary);
  }

  @Test
  void stopMidRunThenRerun_givesTheSameLogAsAnUninterruptedRun() {
    Path straight = dir.resolve("straight");
    try (Collector c = collector("\"exact\"", "", 10, straight).concurrency(2).build()) {
      c.run();
    }
    Path resumed = dir.resolve("resumed");
    CollectSummary first;
    AtomicInteger seen = new AtomicInteger();
    Collector[] self = new Collector[1];
    try (Collector c = collector("\"exact\"", "", 10, resumed).concurrency(2)
        .listener(p -> {
          if (seen.incrementAndGet() == 13) {
            self[0].stop();
          }
        }).build()) {
      self[0] = c;
      first = c.run();
    }
    assertThat(first.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("stopped"));
    assertThat(first.notRun()).isPositive();
    assertThat(first.complete()).isFalse();
    CollectSummary second;
    try (Collector c = collector("\"exact\"", "", 10, resumed).concurrency(2).build()) {
      second = c.run();
    }
    assertThat(second.callsThisRun()).isEqualTo(40 - first.graded());
    assertThat(second.complete()).isTrue();
    for (String f : List.of("outcomes.jsonl", "candidates.json", "summary.json")) {
      assertThat(read(resumed.resolve(f))).as(f).isEqualTo(read(straight.resolve(f)));
    }
    assertThat(Journal.read(resumed.resolve(Journal.FILE)).rows()).hasSize(40);
  }

  @Test
  void failures_500AndMalformedJsonAreReportedPerRowAndRetriedOnRerun() {
    List<String[]> qs = QuizBackend.questions(6, 7);
    quiz.http500.add("strong-1|" + qs.get(1)[1]);
    quiz.garbage.add("weak-1|" + qs.get(2)[1]);
    Path out = dir.resolve("quiz");
    CollectSummary s;
    // A breaker that stays closed: each failing pair shows its own error (an open circuit
    // would fail the pairs after it fast, with CIRCUIT_OPEN).
    String closedBreaker = ", \"circuitBreaker\": {\"failureThreshold\": 1000}";
    try (Collector c = collector("\"exact\"", closedBreaker, 6, out).build()) {
      s = c.run();
    }
    // strong on q1 fails for both temperatures, weak on q2 for both prompt styles.
    assertThat(s.failed()).isEqualTo(4);
    assertThat(s.graded()).isEqualTo(20);
    assertThat(s.complete()).isFalse();
    assertThat(s.problems()).hasSize(4);
    RowProblem p500 = s.problems().get(0);
    assertThat(p500.queryId()).isEqualTo("q1");
    assertThat(p500.configuration()).isEqualTo("strong temperature=0.0");
    assertThat(p500.status()).isEqualTo(RowStatus.CALL_FAILED);
    assertThat(p500.reason()).startsWith("SERVER_ERROR (HTTP 500) after 3 attempts:")
        .contains("internal error");
    RowProblem bad = s.problems().get(2);
    assertThat(bad.queryId()).isEqualTo("q2");
    assertThat(bad.reason()).startsWith("MALFORMED_RESPONSE after 3 attempts");
    OutcomeLog log = OutcomeLog.load(out);
    assertThat(log.record("q1").orElseThrow().outcomesFor("strong")).isEmpty();
    assertThat(log.record("q1").orElseThrow().outcomesFor("weak")).hasSize(2);
    JsonNode summary = readJson(out.resolve("summary.json"));
    assertThat(summary.path("problems")).hasSize(4);
    assertThat(summary.path("problems").get(0).path("status").asText()).isEqualTo("call_failed");
    assertThat(summary.path("pairs").path("failed").asInt()).isEqualTo(4);

    quiz.http500.clear();
    quiz.garbage.clear();
    int before = quiz.modelRequests();
    CollectSummary again;
    try (Collector c = collector("\"exact\"", closedBreaker, 6, out).build()) {
      again = c.run();
    }
    assertThat(quiz.modelRequests() - before).isEqualTo(4);
    assertThat(again.complete()).isTrue();
    assertThat(again.problems()).isEmpty();
    assertThat(OutcomeLog.load(out).outcomeCount()).isEqualTo(24);
  }

  @Test
  void llmJudge_gradesWithItsOwnRecordedCostAndReportsWhatItCannotGrade() {
    List<String[]> qs = QuizBackend.questions(5, 7);
    quiz.judgeMumbles.add(qs.get(3)[1]);
    Path out = dir.resolve("quiz");
    CollectSummary s;
    String judge = "{\"type\": \"llm\", \"provider\": \"local\", \"model\": \"judge-1\"}";
    try (Collector c = collector(judge, "", 5, out).build()) {
      s = c.run();
    }
    assertThat(quiz.judgeRequests()).isEqualTo(20);
    assertThat(s.judge()).isEqualTo("llm{model=judge-1, provider=local}");
    assertThat(s.judgeCostUsd()).isPositive();
    assertThat(s.graded()).isEqualTo(16);
    assertThat(s.ungraded()).isEqualTo(4);
    assertThat(s.problems()).allSatisfy(p -> {
      assertThat(p.queryId()).isEqualTo("q3");
      assertThat(p.status()).isEqualTo(RowStatus.UNGRADED);
      assertThat(p.reason()).startsWith("the judge's reply has no 'Grade: N' line");
    });
    OutcomeLog log = OutcomeLog.load(out);
    for (QueryRecord r : log.records()) {
      for (Outcome o : r.outcomes()) {
        assertThat(o.score()).isIn(1.0, 0.3);
      }
    }
    // The judge's cost is apart from the answers': answers' costs are the models' alone.
    double answers = 0;
    for (QueryRecord r : log.records()) {
      for (Outcome o : r.outcomes()) {
        answers += o.costUsd();
      }
    }
    List<JournalRow> rows = Journal.read(out.resolve(Journal.FILE)).rows();
    double answersAll = rows.stream().mapToDouble(JournalRow::costUsd).sum();
    assertThat(s.answersCostUsd()).isCloseTo(answersAll, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(answers).isLessThan(answersAll);
    assertThat(rows).allSatisfy(r -> assertThat(r.judgeCostUsd()).isPositive());
    // An ungraded answer is done: a rerun neither calls the model nor the judge again.
    int requests = quiz.server.requestCount();
    try (Collector c = collector(judge, "", 5, out).build()) {
      assertThat(c.run().ungraded()).isEqualTo(4);
    }
    assertThat(quiz.server.requestCount()).isEqualTo(requests);
  }

  @Test
  void judgeDown_rowsAreJudgeFailedAndARerunGradesTheKeptAnswersWithoutCallingTheModel() {
    quiz.judgeDown = true;
    Path out = dir.resolve("quiz");
    String judge = "{\"type\": \"llm\", \"provider\": \"local\", \"model\": \"judge-1\"}";
    String fastBreaker = ", \"circuitBreaker\": {\"failureThreshold\": 1000, \"openFor\": 1000}";
    CollectSummary s;
    try (Collector c = collector(judge, fastBreaker, 3, out).build()) {
      s = c.run();
    }
    assertThat(s.failed()).isEqualTo(12);
    assertThat(s.problems()).allSatisfy(p -> {
      assertThat(p.status()).isEqualTo(RowStatus.JUDGE_FAILED);
      // Retries until the client's retry budget is spent, then one attempt each.
      assertThat(p.reason()).matches("judge llm\\{model=judge-1, provider=local\\} failed:"
          + " SERVER_ERROR \\(HTTP 503\\) after [123] attempts?: .*judge overloaded.*");
    });
    assertThat(quiz.modelRequests()).isEqualTo(12);
    quiz.judgeDown = false;
    CollectSummary again;
    try (Collector c = collector(judge, fastBreaker, 3, out).build()) {
      assertThat(c.estimate().calls()).isZero();
      again = c.run();
    }
    assertThat(quiz.modelRequests()).isEqualTo(12);
    assertThat(again.graded()).isEqualTo(12);
    assertThat(again.callsThisRun()).isZero();
  }

  @Test
  void budget_isNeverExceededByMoreThanTheCallsInFlight() {
    // Each strong call costs 3 * prompt + 15 * 40 per million; a budget for about 10 calls.
    Path out = dir.resolve("quiz");
    String strongOnly = quiz.config("\"exact\"", "").replace(
        ",\n   \"weak\": {\"provider\": \"local\", \"model\": \"weak-1\", \"parameters\":"
            + " {\"prompt_style\": [\"baseline\", \"concise\"]}}", "");
    Path cfg = QuizBackend.write(dir.resolve("strong.json"), strongOnly);
    double perCall = (3.0 * 9 + 15.0 * 40) / 1e6; // prompts are about 9 tokens
    double budget = 10 * perCall;
    for (int concurrency : new int[] {1, 4}) {
      Path o = dir.resolve("budget-" + concurrency);
      CollectSummary s;
      try (Collector c = Collector.builder().config(cfg)
          .queries(QuizBackend.writeQueries(dir.resolve("q.jsonl"), 40, 7))
          .output(o).fsync(false).budgetUsd(budget).concurrency(concurrency).build()) {
        s = c.run();
      }
      double maxCall = 0;
      for (JournalRow r : Journal.read(o.resolve(Journal.FILE)).rows()) {
        maxCall = Math.max(maxCall, r.costUsd());
      }
      assertThat(s.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("budget"));
      assertThat(s.spentUsd()).as("concurrency " + concurrency).isGreaterThanOrEqualTo(budget)
          .isLessThanOrEqualTo(budget + concurrency * maxCall);
      assertThat(s.notRun()).isPositive();
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void sample_runsTheSameSeededSubsetPerQueryOnEveryRun() {
    Path out = dir.resolve("quiz");
    try (Collector c = collector("\"exact\"", "", 10, out).sample(2).seed(5).build()) {
      CollectSummary s = c.run();
      assertThat(s.pairsPlanned()).isEqualTo(20);
    }
    OutcomeLog log = OutcomeLog.load(out);
    assertThat(log.records()).allSatisfy(r -> assertThat(r.outcomes()).hasSize(2));
    Set<String> drawn = new HashSet<>();
    log.records().forEach(r -> r.outcomes().forEach(o -> drawn.add(o.model() + o.params())));
    assertThat(drawn.size()).isGreaterThan(2);
    try (Collector c = collector("\"exact\"", "", 10, out).sample(2).seed(5).build()) {
      assertThat(c.estimate().calls()).isZero();
    }
  }

  @Test
  void anotherJudgeOnAFolderGradedByOne_fails() {
    Path out = dir.resolve("quiz");
    try (Collector c = collector("\"exact\"", "", 2, out).build()) {
      c.run();
    }
    try (Collector c = collector("\"exact\"", "", 2, out).judge(JudgeConfig.of("f1")).build()) {
      assertThatThrownBy(c::run).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("holds answers graded by another judge {exact=8} than this"
              + " run's 'f1'");
    }
  }

  @Test
  void twoCollectorsOnOneFolder_theSecondFailsAtOnce() throws Exception {
    Path out = dir.resolve("quiz");
    Files.createDirectories(out);
    try (Journal held = Journal.open(out.resolve(Journal.FILE), false);
        Collector c = collector("\"exact\"", "", 2, out).build()) {
      assertThatThrownBy(c::run).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("another collector is writing");
    }
  }

  @Test
  void build_configurationProblemsNameTheKeyAndTheValue() {
    String base = quiz.config("\"exact\"", "");
    Path q = QuizBackend.writeQueries(dir.resolve("q.jsonl"), 2, 7);
    Path out = dir.resolve("x");
    List<String[]> cases = new ArrayList<>(List.of(
        new String[] {base.replace("\"temperature\": [0, 0.7]", "\"temperature\": [0, 3]"),
            "\"candidates.strong.parameters.temperature\""},
        new String[] {base.replace("\"temperature\": [0, 0.7]", "\"top_q\": [1]"),
            "is declared neither by provider 'local' for model 'strong-1'"},
        new String[] {base.replace("\"provider\": \"local\", \"model\": \"weak-1\"",
            "\"provider\": \"remote\", \"model\": \"weak-1\""),
            "\"candidates.weak.provider\" = 'remote' is not a provider instance"},
        new String[] {base.replace("\"judge\": \"exact\"", "\"judge\": \"nope\""),
            "no judge of type 'nope' is installed"},
        new String[] {base.replace("\"retry\"", "\"retries\""),
            "\"retries\" is not a known key"}));
    for (String[] c : cases) {
      Path cfg = QuizBackend.write(dir.resolve("bad.json"), c[0]);
      assertThatThrownBy(() -> Collector.builder().config(cfg).queries(q).output(out).build())
          .as(c[1]).isInstanceOf(ConfigurationException.class).hasMessageContaining(c[1]);
    }
    Path unpriced = QuizBackend.write(dir.resolve("unpriced.json"),
        base.replace("\"weak-1\": {\"input\": 0.5, \"output\": 1.5}, ", ""));
    assertThatThrownBy(() -> Collector.builder().config(unpriced).queries(q).output(out)
        .budgetUsd(1).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a budget needs a price for every model called, but these have"
            + " none: [weak (provider 'local', model 'weak-1')]");
    assertThat(out).doesNotExist();
  }

  @Test
  void tornJournalLine_isSkippedAndItsPairCollectedAgain() throws IOException {
    Path out = dir.resolve("quiz");
    try (Collector c = collector("\"exact\"", "", 3, out).build()) {
      c.run();
    }
    Path journal = out.resolve(Journal.FILE);
    List<String> lines = Files.readAllLines(journal);
    String last = lines.get(lines.size() - 1);
    // A crash inside the last append: the line stops half-way, no newline.
    lines.set(lines.size() - 1, last.substring(0, last.length() / 2));
    Files.writeString(journal, String.join("\n", lines));
    byte[] before = read(out.resolve("outcomes.jsonl"));
    int requests = quiz.modelRequests();
    CollectSummary s;
    try (Collector c = collector("\"exact\"", "", 3, out).build()) {
      s = c.run();
    }
    assertThat(s.tornJournalLines()).isEqualTo(1);
    assertThat(quiz.modelRequests() - requests).isEqualTo(1);
    assertThat(read(out.resolve("outcomes.jsonl"))).isEqualTo(before);
    assertThat(Journal.read(journal).tornLines()).isEqualTo(1);
    assertThat(Journal.read(journal).rows()).hasSize(12);
  }

  @Test
  void queriesFileChangesText_staleRowsAreNotUsed() {
    Path out = dir.resolve("quiz");
    Path cfg = QuizBackend.write(dir.resolve("c.json"), quiz.config("\"exact\"", ""));
    Path q = QuizBackend.write(dir.resolve("q.txt"), "What is 1 + 2?\nWhat is 3 + 4?\n");
    try (Collector c = Collector.builder().config(cfg).queries(q).output(out).fsync(false)
        .build()) {
      CollectSummary s = c.run();
      assertThat(s.ungraded()).isEqualTo(8); // plain text has no answers: exact cannot grade
      assertThat(s.problems().get(0).reason()).contains("has no reference answer");
      assertThat(s.queriesInLog()).isZero();
    }
    assertThat(out.resolve("outcomes.jsonl")).isEmptyFile();
  }

  private static JsonNode readJson(Path p) {
    try {
      return QuizBackend.JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
