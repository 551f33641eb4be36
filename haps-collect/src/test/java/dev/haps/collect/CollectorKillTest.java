package dev.haps.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.data.OutcomeLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's resumability check with a real crash: a collector in a child JVM
 * ({@link CollectChild}) is killed with SIGKILL part-way through 50 queries x 4 configurations,
 * twice, and rerun to the end; the outcome log it leaves is byte for byte the log of an
 * uninterrupted run against the same deterministic backend, with every pair exactly once in the
 * journal, and the kills cost at most the calls in flight.
 */
class CollectorKillTest {

  @TempDir Path dir;

  private final QuizBackend quiz = QuizBackend.start();

  @AfterEach
  void stop() {
    quiz.server.close();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void killedTwiceAndRerun_writesTheSameLogAsAnUninterruptedRun() throws Exception {
    // Slow answers, so that a kill lands while calls are in flight.
    quiz.server.latency(Duration.ofMillis(15));
    Path cfg = QuizBackend.write(dir.resolve("collect.json"), quiz.config("\"exact\"", ""));
    Path queries = QuizBackend.writeQueries(dir.resolve("queries.jsonl"), 50, 21);

    Path straight = dir.resolve("straight");
    try (Collector c = Collector.builder().config(cfg).queries(queries).output(straight)
        .concurrency(4).fsync(false).build()) {
      assertThat(c.run().graded()).isEqualTo(200);
    }
    int straightRequests = quiz.server.requestCount();
    assertThat(straightRequests).isEqualTo(200);
    quiz.server.clearRequests();

    Path resumed = dir.resolve("resumed");
    Path journal = resumed.resolve(Journal.FILE);
    int[] killAt = {40, 120};
    for (int round = 0; round < killAt.length; round++) {
      Process p = child(cfg, queries, resumed, round);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (lines(journal) < killAt[round] && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(p.isAlive()).as("round " + round + " still running at " + lines(journal)
          + " rows; stderr: " + Files.readString(dir.resolve("child-" + round + ".err")))
          .isTrue();
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("child-" + round + ".out"))).doesNotContain("done");
      assertThat(lines(journal)).isLessThan(200);
    }
    Process last = child(cfg, queries, resumed, killAt.length);
    assertThat(last.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("child-" + killAt.length + ".err"));
    assertThat(last.exitValue()).as(err).isZero();
    assertThat(Files.readString(dir.resolve("child-" + killAt.length + ".out")))
        .contains("done 200");

    for (String f : List.of(OutcomeLog.OUTCOMES_FILE, OutcomeLog.CANDIDATES_FILE,
        "summary.json")) {
      assertThat(Files.readAllBytes(resumed.resolve(f))).as(f)
          .isEqualTo(Files.readAllBytes(straight.resolve(f)));
    }
    Journal.Contents j = Journal.read(journal);
    Set<String> pairs = new HashSet<>();
    j.rows().forEach(r -> pairs.add(r.pairKey()));
    assertThat(j.rows()).as("no pair twice").hasSize(200);
    assertThat(pairs).as("no pair missing").hasSize(200);
    // Each kill lost at most the 4 calls in flight (a torn last row counts among them).
    int requests = quiz.server.requestCount();
    System.out.printf("collect kill test: killed at %d and %d journal rows; %d torn rows"
        + " skipped; %d model requests for 200 pairs (uninterrupted: %d)%n", killAt[0],
        killAt[1], j.tornLines(), requests, straightRequests);
    assertThat(requests).isBetween(200, 200 + 4 * killAt.length);
    OutcomeLog.load(resumed);
  }

  private Process child(Path cfg, Path queries, Path out, int round) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), CollectChild.class.getName(),
        cfg.toString(), queries.toString(), out.toString())
        .redirectOutput(dir.resolve("child-" + round + ".out").toFile())
        .redirectError(dir.resolve("child-" + round + ".err").toFile())
        .start();
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] b = Files.readAllBytes(file);
    long n = 0;
    for (byte x : b) {
      if (x == '\n') {
        n++;
      }
    }
    return n;
  }
}
