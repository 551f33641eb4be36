package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.data.FeedbackLog;
import dev.haps.runtime.RouterBundle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during the learning loop (issue 20): a child JVM ({@link LoopChild}) logs calls and
 * scores, retrains and promotes in a loop on one work folder, and is killed while it retrains or
 * while it promotes, round after round. After every kill: every call and score line the child
 * announced is in the feedback log (the join finds each call with its score), and {@code
 * serving.json} names a complete bundle that loads.
 */
class LoopCrashTest {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void sigkillDuringRetrainingOrPromotion_losesNoFeedbackLine_andKeepsTheServingBundle()
      throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Random rnd = new Random(20);
    Set<String> calls = new HashSet<>();
    Set<String> scores = new HashSet<>();
    int killedTraining = 0;
    int killedPromoting = 0;
    for (int round = 0; round < 4; round++) {
      String phase = round % 2 == 0 ? "training " : "promoting ";
      Path err = tmp.resolve("child-" + round + ".err");
      Process p = new ProcessBuilder(javaBinary(), "-Xmx512m",
          "-Dorg.slf4j.simpleLogger.logFile=System.err",
          "-Dhaps.shared.dir=" + System.getProperty("haps.shared.dir", "../../shared"),
          "-cp", System.getProperty("java.class.path"),
          LoopChild.class.getName(), work.toString(), Integer.toString(round), cache.toString())
          .redirectError(err.toFile())
          .start();
      AtomicReference<String> seen = new AtomicReference<>("");
      List<String> lines = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            synchronized (lines) {
              lines.add(l);
            }
            if (l.startsWith(phase)) {
              seen.set(l);
            }
          }
        } catch (IOException e) {
          // the child died: the pipe closes
        }
      }, "loop-child-stdout");
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (seen.get().isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(5);
      }
      assertThat(seen.get()).as("round " + round + ": the child reached '" + phase
          + "'; stderr: " + Files.readString(err)).isNotEmpty();
      // Kill it inside the phase: right away, or a little later.
      Thread.sleep(rnd.nextInt(phase.startsWith("training") ? 400 : 20));
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      if (phase.startsWith("training")) {
        killedTraining++;
      } else {
        killedPromoting++;
      }
      synchronized (lines) {
        for (String l : lines) {
          if (l.startsWith("call ")) {
            calls.add(l.substring(5));
          } else if (l.startsWith("score ")) {
            scores.add(l.substring(6));
          }
        }
      }
      // No announced line is lost: every announced call joins, with its score when announced.
      FeedbackLog.Joined j = FeedbackLog.load(work.resolve("feedback"),
          FeedbackLog.JoinPolicy.defaults(), Instant.parse("2030-01-01T00:00:00Z"));
      Set<String> joined = new HashSet<>();
      j.log().records().forEach(r -> joined.add(r.id()));
      assertThat(joined).as("round " + round).containsAll(scores);
      assertThat(j.calls()).as("round " + round).isGreaterThanOrEqualTo(calls.size());
      // The serving bundle, if any, is complete.
      Path servingJson = work.resolve("serving/serving.json");
      if (Files.exists(servingJson)) {
        String rel = new ObjectMapper().readTree(servingJson.toFile()).path("bundle").asText();
        RouterBundle b = RouterBundle.load(work.resolve("serving").resolve(rel));
        assertThat(b.routerSha256()).hasSize(64);
      }
    }
    assertThat(killedTraining).isEqualTo(2);
    assertThat(killedPromoting).isEqualTo(2);
    assertThat(calls).hasSizeGreaterThanOrEqualTo(4 * 40 - 4);
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
