package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.params.ParameterValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the feedback crash loop (haps-runtime reliability tests): an append killed right
 * after a comma leaves {@code {"id":"q",}, which the JSON parser reports as a plain parse error
 * rather than an end of input. It is still a torn line: the next writer moves it out of the log,
 * never a reason to refuse the whole log.
 */
class TornLineAfterCommaTest {

  @TempDir Path tmp;

  private static QueryRecord record(String id) {
    return QueryRecord.of(id, "feedback", Split.TRAIN, "query " + id, List.of(
        new Outcome("big", ParameterValues.empty(), 1.0, 0.001, 3, 4)));
  }

  @Test
  void read_tornAfterCommaThenRepairedByTheWriter_movesItOutAndKeepsTheRest() throws Exception {
    Path file = tmp.resolve("outcomes.jsonl");
    try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
      w.append(record("a"));
    }
    for (String torn : new String[] {"{\"id\":\"b\",", "{\"id\":\"b\",\"outcomes\":[1,",
        "{\"id\":\"b\",\"outcomes\":[{\"model\":\"big\","}) {
      Files.write(file, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
      try (OutcomeLogWriter w = OutcomeLogWriter.open(file)) {
        assertThat(w.repairedTornTail()).as(torn).isTrue();
        w.append(record("c"));
      }
    }
    try (OutcomeLogReader r = OutcomeLogReader.open(file)) {
      int n = 0;
      for (Optional<QueryRecord> q = r.next(); q.isPresent(); q = r.next()) {
        n++;
      }
      assertThat(n).isEqualTo(4);
      assertThat(r.tornLinesSkipped()).isZero();
    }
    assertThat(Files.readAllLines(tmp.resolve("outcomes.jsonl.torn"))).containsExactly(
        "{\"id\":\"b\",", "{\"id\":\"b\",\"outcomes\":[1,",
        "{\"id\":\"b\",\"outcomes\":[{\"model\":\"big\",");
  }
}
