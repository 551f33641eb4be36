package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackLogTest {

  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  private static CandidateSet candidates() {
    return CandidateSet.of("prod", List.of(
        CandidateModel.of("big", 1, 2, ParameterSpace.of(
            CategoricalSpec.of("prompt_style", "baseline", "baseline", "concise"))),
        CandidateModel.of("small", 0.1, 0.2, ParameterSpace.empty())));
  }

  private static QueryRecord call(String id, String model, ParameterValues p, double prop,
      Instant at) {
    LoggedAction a = new LoggedAction(prop, "sha-1", 0.4, at, Optional.empty(), false);
    return QueryRecord.of(id, "prod", Split.TRAIN, "question " + id,
        List.of(new Outcome(model, p, 0, 0.002, 10, 5, Optional.of(a))));
  }

  @Test
  void join_scoresWithinTheWindow_defaultsTheRest_leavesPendingCallsOut() {
    Path log = dir.resolve("fb");
    try (FeedbackLogWriter w = FeedbackLogWriter.open(log, candidates(), true)) {
      w.appendCall(call("c1", "big", ParameterValues.builder().put("prompt_style", "concise")
          .build(), 0.9, T));
      w.appendCall(call("c2", "small", ParameterValues.empty(), 0.1, T));
      w.appendCall(call("c3", "small", ParameterValues.empty(), 0.1, T.plusSeconds(3600)));
      w.appendCall(call("c4", "big", ParameterValues.empty(), 0.5, T));
      w.appendScore("c1", 1.0, T.plusSeconds(60));
      w.appendScore("c1", 0.0, T.plusSeconds(70));          // repeated: ignored
      w.appendScore("c4", 1.0, T.plusSeconds(7200));        // after the window: ignored
      w.appendScore("nobody", 1.0, T.plusSeconds(10));      // no such call: ignored
    }
    FeedbackLog.Joined j = FeedbackLog.load(log,
        new FeedbackLog.JoinPolicy(Duration.ofMinutes(30), 0.25), T.plusSeconds(1900));
    assertThat(j.calls()).isEqualTo(4);
    assertThat(j.scored()).isEqualTo(1);
    assertThat(j.defaulted()).isEqualTo(2);   // c2 and c4, past their windows
    assertThat(j.pending()).isEqualTo(1);     // c3 is inside its window
    assertThat(j.lateOrRepeated()).isEqualTo(3);
    Outcome c1 = j.log().record("c1").orElseThrow().outcomes().get(0);
    assertThat(c1.score()).isEqualTo(1.0);
    assertThat(c1.params().get("prompt_style")).contains("concise");
    assertThat(c1.logged().orElseThrow().propensity()).isEqualTo(0.9);
    assertThat(c1.logged().orElseThrow().scoredAt()).contains(T.plusSeconds(60));
    Outcome c2 = j.log().record("c2").orElseThrow().outcomes().get(0);
    assertThat(c2.score()).isEqualTo(0.25);
    assertThat(c2.logged().orElseThrow().defaulted()).isTrue();
    assertThat(j.log().record("c3")).isEmpty();

    FeedbackLog.Joined dropped = FeedbackLog.load(log,
        new FeedbackLog.JoinPolicy(Duration.ofMinutes(30), Double.NaN), T.plusSeconds(1900));
    assertThat(dropped.dropped()).isEqualTo(2);
    assertThat(dropped.log().records()).hasSize(1);
  }

  @Test
  void aTornLastLine_isSkipped_andOutcomeLogLoadJoinsTheFolder() throws Exception {
    Path log = dir.resolve("torn");
    try (FeedbackLogWriter w = FeedbackLogWriter.open(log, candidates(), false)) {
      w.appendCall(call("c1", "small", ParameterValues.empty(), 0.5, T));
      w.appendScore("c1", 0.0, T.plusSeconds(1));
    }
    Files.write(log.resolve(FeedbackLog.CALLS_FILE),
        "{\"id\":\"c2\",\"task\":\"prod\",\"spl".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    FeedbackLog.Joined j = FeedbackLog.load(log, FeedbackLog.JoinPolicy.defaults(),
        T.plusSeconds(10));
    assertThat(j.calls()).isEqualTo(1);
    assertThat(j.log().records()).hasSize(1);
    // A writer reopening the file closes the torn line, and later calls are read.
    try (FeedbackLogWriter w = FeedbackLogWriter.open(log, candidates(), false)) {
      w.appendCall(call("c3", "small", ParameterValues.empty(), 0.5, T));
      w.appendScore("c3", 1.0, T.plusSeconds(1));
    }
    OutcomeLog all = OutcomeLog.load(log);
    assertThat(all.records()).extracting(QueryRecord::id).containsExactly("c1", "c3");
  }

  @Test
  void loggedOutcomes_roundTripThroughOutcomesJsonl_andOldReadersIgnoreTheField()
      throws Exception {
    Path file = dir.resolve("outcomes.jsonl");
    LoggedAction a = new LoggedAction(0.25, "sha-2", 0.7, T, Optional.of(T.plusSeconds(5)),
        true);
    try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
      w.append(QueryRecord.of("q1", "prod", Split.VALID, "text", List.of(
          new Outcome("small", ParameterValues.empty(), 1, 0.001, 3, 4, Optional.of(a)))));
      w.append(QueryRecord.of("q2", "prod", Split.TRAIN, "text", List.of(
          Outcome.of("small", ParameterValues.empty(), 0, 0.001))));
    }
    String line = Files.readAllLines(file).get(0);
    assertThat(line).contains("\"logged\":{\"propensity\":0.25,\"policy\":\"sha-2\","
        + "\"cost_weight\":0.7,\"called_at\":\"2026-03-01T10:00:00Z\","
        + "\"scored_at\":\"2026-03-01T10:00:05Z\",\"fell_back\":true}");
    List<QueryRecord> back = OutcomeLogReader.readAll(file, candidates());
    assertThat(back.get(0).outcomes().get(0).logged()).contains(a);
    assertThat(back.get(1).outcomes().get(0).logged()).isEmpty();
  }

  @Test
  void aCallWithoutItsLoggedAction_isRefused() {
    try (FeedbackLogWriter w = FeedbackLogWriter.open(dir.resolve("x"), candidates(), false)) {
      assertThatThrownBy(() -> w.appendCall(QueryRecord.of("c", "prod", Split.TRAIN, "q",
          List.of(Outcome.of("small", ParameterValues.empty(), 1, 0)))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exactly one outcome with its logged action");
      assertThatThrownBy(() -> w.appendScore("c", 2, T))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 1]");
    }
  }
}
