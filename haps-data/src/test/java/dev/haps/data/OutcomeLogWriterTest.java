package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.params.ParameterValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomeLogWriterTest {

  @TempDir Path tmp;

  private static QueryRecord record(String id, double temperature) {
    return new QueryRecord(id, "task-a", Split.VALID, "What is 2+2?\nSay \"4\" \u00e9\u4e2d",
        Optional.of("4"), List.of(
            new Outcome("small", ParameterValues.of(Map.of("temperature", temperature,
                "style", "long")), 0.5, 0.00012, 10, 20),
            new Outcome("big", ParameterValues.empty(), 1.0, Double.NaN, -1, -1)));
  }

  @Test
  void append_thenLoad_roundTrips() throws Exception {
    Path dir = tmp.resolve("log");
    Fixtures.toyCandidates().write(dir.resolve("candidates.json"));
    List<QueryRecord> written = List.of(record("a", 0.5), record("b", 1.0),
        QueryRecord.of("c", "task-b", Split.TEST, "q",
            List.of(new Outcome("big", ParameterValues.empty(), 0.0, 0.0, 0, 0))));
    try (OutcomeLogWriter w = OutcomeLogWriter.builder(dir.resolve("outcomes.jsonl"))
        .candidates(Fixtures.toyCandidates()).open()) {
      w.append(written.get(0));
      w.appendAll(written.subList(1, 3));
    }

    OutcomeLog log = OutcomeLog.load(dir);
    assertThat(log.records()).isEqualTo(written);
  }

  @Test
  void append_writesTheFormatShape() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
      w.append(record("a", 0.5));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonNode n = Codec.MAPPER.readTree(lines.get(0));
    assertThat(n.properties()).extracting(Map.Entry::getKey)
        .containsExactly("id", "task", "split", "query", "answer", "outcomes");
    assertThat(n.get("split").asText()).isEqualTo("valid");
    JsonNode o = n.get("outcomes").get(0);
    assertThat(o.properties()).extracting(Map.Entry::getKey).containsExactly("model", "params",
        "score", "cost_usd", "input_tokens", "output_tokens");
    assertThat(n.get("outcomes").get(1).get("cost_usd").isNull()).isTrue();
    assertThat(n.get("outcomes").get(1).get("input_tokens").isNull()).isTrue();
  }

  @Test
  void append_recordDisagreeingWithCandidates_writesNothing() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    try (OutcomeLogWriter w = OutcomeLogWriter.builder(file)
        .candidates(Fixtures.toyCandidates()).open()) {
      QueryRecord bad = QueryRecord.of("x", "t", Split.TRAIN, "q", List.of(
          Outcome.of("small", ParameterValues.of(Map.of("temperature", 9.0)), 1, 0)));
      assertThatThrownBy(() -> w.append(bad))
          .isInstanceOf(OutcomeLogException.class)
          .hasMessage(file + ": refusing to append: query 'x': outcomes[0] (model 'small'):"
              + " parameter 'temperature' = 9.0 is invalid: above the maximum 2.0 (as declared"
              + " in candidates.json)");
    }
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void append_afterClose_fails() {
    Path file = tmp.resolve("outcomes.jsonl");
    OutcomeLogWriter w = OutcomeLogWriter.open(file);
    w.close();
    w.close(); // idempotent
    assertThatThrownBy(() -> w.append(record("a", 0.5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("outcome log writer for " + file + " is closed");
  }

  @Test
  void open_tornLastLine_movesItToTheTornFileAndAppendsAfterTheLastCompleteLine()
      throws Exception {
    Path dir = tmp.resolve("log");
    Fixtures.toyCandidates().write(dir.resolve("candidates.json"));
    Path file = dir.resolve("outcomes.jsonl");
    try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
      w.append(record("a", 0.5));
      w.append(record("b", 0.5));
    }
    long complete = Files.size(file);
    // A crash mid-append: part of a record, no newline.
    byte[] full = Codec.writeRecord(record("torn", 0.5));
    byte[] half = java.util.Arrays.copyOf(full, full.length / 2);
    Files.write(file, half, StandardOpenOption.APPEND);

    // A reader before the repair skips the torn last line with one WARN.
    String readLog = Fixtures.captureStderr(() -> {
      try (OutcomeLogReader r = OutcomeLogReader.open(file, Fixtures.toyCandidates())) {
        assertThat(r.stream().map(QueryRecord::id)).containsExactly("a", "b");
        assertThat(r.tornLinesSkipped()).isEqualTo(1);
      }
    });
    assertThat(Fixtures.count(readLog, "WARN")).isEqualTo(1);
    assertThat(readLog).contains(file + " line 3: skipped a torn last line");

    OutcomeLogWriter[] reopened = new OutcomeLogWriter[1];
    String openLog = Fixtures.captureStderr(() -> reopened[0] = OutcomeLogWriter.open(file));
    try (OutcomeLogWriter w = reopened[0]) {
      assertThat(w.repairedTornTail()).isTrue();
      assertThat(Files.size(file)).isEqualTo(complete);
      w.append(record("c", 1.0));
    }
    assertThat(Fixtures.count(openLog, "WARN")).isEqualTo(1);
    assertThat(openLog).contains(file + ": the last line (at byte " + complete + ", ")
        .contains(" is torn").contains("outcomes.jsonl.torn");
    byte[] kept = java.util.Arrays.copyOf(half, half.length + 1);
    kept[half.length] = '\n';
    assertThat(dir.resolve("outcomes.jsonl.torn")).hasBinaryContent(kept);

    // After the repair the log holds complete lines only: nothing to skip, nothing to warn.
    String loadLog = Fixtures.captureStderr(() -> {
      OutcomeLog log = OutcomeLog.load(dir);
      assertThat(log.records()).extracting(QueryRecord::id).containsExactly("a", "b", "c");
      assertThat(log.tornLinesSkipped()).isZero();
    });
    assertThat(loadLog).doesNotContain("WARN");
  }

  @Test
  void open_completeLastLineWithoutNewline_isNotTorn() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    byte[] full = Codec.writeRecord(record("a", 0.5));
    Files.write(file, java.util.Arrays.copyOf(full, full.length - 1)); // drop only the newline
    String log = Fixtures.captureStderr(() -> {
      try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
        assertThat(w.repairedTornTail()).isFalse();
        w.append(record("b", 0.5));
      }
    });
    assertThat(log).doesNotContain("WARN");
    assertThat(OutcomeLogReader.readAll(file, Fixtures.toyCandidates()))
        .extracting(QueryRecord::id).containsExactly("a", "b");
  }

  @Test
  void reader_tornLastLineOnly_skipsWithOneWarning() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    byte[] a = Codec.writeRecord(record("a", 0.5));
    byte[] b = Codec.writeRecord(record("b", 0.5));
    // Cut inside a multi-byte character of the query: the line is torn mid-UTF-8 sequence.
    int cut = new String(b, StandardCharsets.UTF_8).indexOf('\u4e2d');
    cut = new String(b, StandardCharsets.UTF_8).substring(0, cut).getBytes(StandardCharsets.UTF_8)
        .length + 1;
    byte[] all = new byte[a.length + cut];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, cut);
    Files.write(file, all);
    List<QueryRecord> read = new ArrayList<>();
    String log = Fixtures.captureStderr(() -> read.addAll(OutcomeLogReader.readAll(file,
        Fixtures.toyCandidates())));
    assertThat(read).extracting(QueryRecord::id).containsExactly("a");
    assertThat(Fixtures.count(log, "WARN")).isEqualTo(1);
  }

  @Test
  void reader_badLineInTheMiddle_isStillAnError() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    Files.write(file, Codec.writeRecord(record("a", 0.5)));
    Files.writeString(file, "{\"id\":\"b\",]\n", StandardOpenOption.APPEND);
    Files.write(file, Codec.writeRecord(record("c", 0.5)), StandardOpenOption.APPEND);
    try (OutcomeLogReader r = OutcomeLogReader.open(file)) {
      assertThat(r.next()).isPresent();
      assertThatThrownBy(r::next)
          .isInstanceOf(OutcomeLogException.class)
          .hasMessageStartingWith(file + " line 2: not valid JSON: Unexpected character (']'");
    }
  }

  @Test
  void append_fromManyThreads_producesOnlyCompleteLines() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    int threads = 8;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (OutcomeLogWriter w = OutcomeLogWriter.builder(file).fsync(false).open()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // Long queries make each line span many file-system blocks.
            QueryRecord r = record("t" + thread + "-" + i, 0.5);
            w.append(new QueryRecord(r.id(), r.task(), r.split(), r.query().repeat(200),
                r.answer(), r.outcomes()));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(threads * perThread);
    Set<String> ids = new HashSet<>();
    for (String l : lines) {
      ids.add(Codec.MAPPER.readTree(l).get("id").asText());
    }
    assertThat(ids).hasSize(threads * perThread);
    assertThat(OutcomeLogReader.readAll(file, Fixtures.toyCandidates()))
        .hasSize(threads * perThread);
  }
}
