package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.Candidate;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.OutcomeLog;
import dev.haps.data.OutcomeLogReader;
import dev.haps.data.QueryRecord;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.runtime.RouterBundle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the feedback log (issue 8, item 5): a child JVM appends feedback lines in a
 * loop ({@link FeedbackAppender}) and is killed with SIGKILL at a random moment, again and again
 * on the same file. After every kill, every line the child reported as appended is in the file
 * and parses; a torn last line (the kill landed inside a write, or the test tears one on purpose
 * as a crash would) is moved to {@code outcomes.jsonl.torn} by the next writer with exactly one
 * warning, so the log never holds a torn line before a complete one; later appends work; and at
 * the end the reader skips at most the torn last line with one warning and {@link
 * OutcomeLog#load} (what training reads) loads every complete record.
 */
class FeedbackCrashTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RECORD = Pattern.compile("feedback record (\\d+) ");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void append_childKilledFiveTimes_completeLinesSurviveAndTornLinesAreSkipped() throws Exception {
    crash("feedback-crash-fast", 5, 11L);
  }

  @Test
  @Tag("stress")
  @Timeout(value = 90, unit = TimeUnit.MINUTES)
  void append_childKilledHundredTimes_completeLinesSurviveAndTornLinesAreSkipped()
      throws Exception {
    crash("feedback-crash-long", 100, 12L);
  }

  private void crash(String name, int kills, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("feedback"));
    Path file = dir.resolve(OutcomeLog.OUTCOMES_FILE);
    RouterBundle bundle = ReliabilityFixtures.spec().seed(4).bundle(RouterBundle::fromBytes);
    List<CandidateModel> models = new ArrayList<>();
    for (Candidate c : bundle.candidates()) {
      models.add(CandidateModel.of(c.model(), 1.0, 2.0,
          bundle.parameterSpace(c.model()).orElseThrow()));
    }
    CandidateSet.of("feedback", models).write(dir.resolve(OutcomeLog.CANDIDATES_FILE));

    Random rnd = new Random(seed);
    Set<Integer> announced = new HashSet<>();
    Set<Integer> inFile = new HashSet<>();
    long verified = 0; // bytes up to the last checked newline
    int completeLines = 0;
    int naturalTears = 0;
    int injectedTears = 0;
    int afterComma = 0;
    int writerWarnings = 0;
    int expectedWriterWarnings = 0;
    boolean tailTorn = false;
    int clientRounds = 0;
    int next = 0;
    long t0 = System.nanoTime();
    for (int round = 0; round < kills; round++) {
      boolean client = round % 10 == 0 || round == kills - 1;
      clientRounds += client ? 1 : 0;
      Path err = tmp.resolve("child-" + round + ".err");
      Process p = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-Xss512k", "-Dorg.slf4j.simpleLogger.logFile=System.err",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
          "-cp", System.getProperty("java.class.path"),
          FeedbackAppender.class.getName(), file.toString(), Integer.toString(next),
          Long.toString(seed * 1000 + round), client ? "client" : "writer")
          .redirectError(err.toFile())
          .start();
      List<Integer> appended = new ArrayList<>();
      CountDownLatch ready = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (l.equals("ready")) {
              ready.countDown();
            } else if (l.startsWith("appended ")) {
              synchronized (appended) {
                appended.add(Integer.parseInt(l.substring(9)));
              }
            }
          }
        } catch (IOException e) {
          // the child died: the pipe closes
        }
      }, "feedback-child-stdout");
      reader.start();
      boolean started = ready.await(120, TimeUnit.SECONDS);
      assertThat(started).as("child " + round + " started; stderr: "
          + Files.readString(err)).isTrue();
      // Let it append for a random while, then kill it wherever it is.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30 + rnd.nextInt(300));
      while (System.nanoTime() < until) {
        synchronized (appended) {
          if (appended.size() >= 200) {
            break;
          }
        }
        Thread.sleep(2);
      }
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      String stderr = Files.readString(err);
      int warns = TestLog.count(stderr, "is torn");
      writerWarnings += warns;
      expectedWriterWarnings += tailTorn ? 1 : 0;
      assertThat(warns).as("round " + round + ": writer warnings on open (tail torn before: "
          + tailTorn + "); stderr:\n" + stderr).isEqualTo(tailTorn ? 1 : 0);
      assertThat(stderr).as("round " + round + " child errors").doesNotContain("Exception");
      synchronized (appended) {
        announced.addAll(appended);
        if (!appended.isEmpty()) {
          next = appended.get(appended.size() - 1) + 1;
        }
      }
      next += 1_000; // numbers written but not announced must not collide with later ones

      // Check what this round added: complete lines parse; the tail, if any, is torn.
      byte[] added = readFrom(file, verified);
      int lineStart = 0;
      for (int i = 0; i < added.length; i++) {
        if (added[i] == '\n') {
          if (i > lineStart) {
            JsonNode n = parse(added, lineStart, i - lineStart);
            assertThat(n).as("round " + round + ": every line a newline ends parses (the"
                + " writer moves torn tails out of the log)").isNotNull();
            completeLines++;
            Matcher m = RECORD.matcher(n.path("query").asText());
            assertThat(m.find()).as("a complete line names its record").isTrue();
            inFile.add(Integer.parseInt(m.group(1)));
          }
          lineStart = i + 1;
        }
      }
      verified += lineStart;
      tailTorn = lineStart < added.length;
      if (tailTorn) {
        naturalTears++;
        assertThat(parse(added, lineStart, added.length - lineStart))
            .as("an unterminated tail is a torn record").isNull();
      } else if (round < kills - 1) {
        // Tear one on purpose, as a kill inside a write would: a prefix of a real line, every
        // other time cut right after a comma (the parser reports that one differently).
        byte[] line = JSON.writeValueAsBytes(JSON.readTree("{\"id\":\"torn\",\"task\":\"t\","
            + "\"split\":\"train\",\"query\":\"feedback record 999999999 torn\","
            + "\"outcomes\":[{\"model\":\"mixtral-8x7b\",\"params\":{},\"score\":1}]}"));
        int cut = 1 + rnd.nextInt(line.length - 2);
        if (round % 2 == 0) {
          List<Integer> commas = new ArrayList<>();
          for (int i = 0; i < line.length - 1; i++) {
            if (line[i] == ',') {
              commas.add(i + 1);
            }
          }
          cut = commas.get(rnd.nextInt(commas.size()));
          afterComma++;
        }
        Files.write(file, java.util.Arrays.copyOf(line, cut),
            java.nio.file.StandardOpenOption.APPEND);
        injectedTears++;
        tailTorn = true;
      }
      Set<Integer> missing = new HashSet<>(announced);
      missing.removeAll(inFile);
      assertThat(missing).as("round " + round + ": records reported appended but not complete"
          + " in the file").isEmpty();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    // The reader skips at most the torn last line, with one warning; the log loads for training.
    TestLog log = TestLog.mark();
    List<QueryRecord> read = new ArrayList<>();
    int skipped;
    try (OutcomeLogReader r = OutcomeLogReader.open(file)) {
      for (Optional<QueryRecord> q = r.next(); q.isPresent(); q = r.next()) {
        read.add(q.get());
      }
      skipped = r.tornLinesSkipped();
    }
    int totalTorn = tailTorn ? 1 : 0;
    String logged = log.since();
    OutcomeLog loaded = OutcomeLog.load(dir);
    Path tornFile = dir.resolve(OutcomeLog.OUTCOMES_FILE + ".torn");
    List<String> moved = Files.exists(tornFile)
        ? Files.readAllLines(tornFile, StandardCharsets.ISO_8859_1) : List.of();

    new Report(name)
        .put("kills", kills)
        .put("roundsThroughRoutingClient", clientRounds)
        .put("recordsAnnouncedBeforeKills", announced.size())
        .put("completeLines", completeLines)
        .put("tornByKills", naturalTears)
        .put("tornOnPurpose", injectedTears + " (" + afterComma + " cut right after a comma)")
        .put("writerWarnings", writerWarnings)
        .put("tornLinesMovedByWriters", moved.size())
        .put("readerSkippedTorn", skipped)
        .put("recordsLoadedByOutcomeLog", loaded.records().size())
        .put("fileBytes", Files.size(file))
        .put("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds))
        .write();

    assertThat(writerWarnings).isEqualTo(expectedWriterWarnings);
    assertThat(read).hasSize(completeLines);
    assertThat(skipped).as("torn lines skipped by the reader").isEqualTo(totalTorn);
    assertThat(TestLog.count(logged, "skipped a torn last line")).as("reader warnings")
        .isEqualTo(totalTorn);
    assertThat(moved).as("torn tails moved out of the log, one per writer warning")
        .hasSize(writerWarnings)
        .allSatisfy(l -> assertThat(parse(l.getBytes(StandardCharsets.ISO_8859_1), 0,
            l.length())).as(l).isNull());
    assertThat(loaded.records()).hasSize(completeLines);
    assertThat(announced).isNotEmpty();
    assertThat(naturalTears + injectedTears).as("torn lines exercised").isPositive();
    assertThat(afterComma).as("tears right after a comma").isPositive();
  }

  private static JsonNode parse(byte[] b, int off, int len) {
    try {
      JsonNode n = JSON.readTree(b, off, len);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] readFrom(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] b = new byte[(int) (f.length() - offset)];
      f.seek(offset);
      f.readFully(b);
      return b;
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
