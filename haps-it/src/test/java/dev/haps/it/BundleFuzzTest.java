package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.runtime.SessionProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundle fuzzing (issue 8, item 1): seeded mutants of a valid bundle (ONNX and manifest byte
 * flips, truncation, JSON of the wrong shape and types, huge numbers, absurd dimensions,
 * non-finite weights, unsafe and duplicated zip entries, zip bombs, broken folders) loaded from a
 * folder, a zip, the class path or bytes. Each loads and routes inside its declared spaces, or
 * fails with a BundleException and a message; within 5 s; writing nothing anywhere; leaking no
 * session and no heap.
 *
 * <p>The default run does {@value #FAST_CASES} mutants; {@code -Pstress} runs {@value
 * #LONG_CASES}, zip bombs of 300 MiB included.
 */
class BundleFuzzTest {

  static final int FAST_CASES = 1_000;
  static final int LONG_CASES = 5_000;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void load_thousandMutatedBundles_eachLoadsInsideItsSpacesOrFailsWithBundleException()
      throws Exception {
    fuzz("bundle-fuzz-fast", 20260131L, FAST_CASES, false);
  }

  @Test
  @Tag("stress")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void load_manyMutatedBundlesWithBombs_eachLoadsInsideItsSpacesOrFailsWithBundleException()
      throws Exception {
    fuzz("bundle-fuzz-long", 7L, LONG_CASES, true);
  }

  private void fuzz(String name, long seed, int cases, boolean bombs) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("fuzz"));
    Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
    Set<String> tmpBefore = names(tmpdir);
    Set<String> parentBefore = names(tmp);
    int sessionsBefore = SessionProbe.openSessions();
    long heapBefore = ProcessProbe.heapUsedAfterGcKib();
    long rssBefore = ProcessProbe.rssKib();
    long t0 = System.nanoTime();

    BundleFuzzer fuzzer = new BundleFuzzer(seed, root, bombs);
    fuzzer.run(cases);

    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    long heapAfter = ProcessProbe.heapUsedAfterGcKib();
    long rssAfter = ProcessProbe.rssKib();
    int sessionsAfter = SessionProbe.openSessions();
    Set<String> tmpNew = new HashSet<>(names(tmpdir));
    tmpNew.removeAll(tmpBefore);
    Set<String> suspicious = tmpNew.stream().filter(n -> n.contains(fuzzer.escapeTag())
        || n.contains("manifest") || n.contains("router.onnx") || n.contains("evil"))
        .collect(Collectors.toSet());
    Set<String> parentAfter = names(tmp);

    Report report = new Report(name)
        .put("seed", seed)
        .put("mutants", fuzzer.loaded + fuzzer.rejected + fuzzer.failures.size())
        .put("loaded", fuzzer.loaded)
        .put("rejected", fuzzer.rejected)
        .put("decisionsChecked", fuzzer.routed)
        .put("failures", fuzzer.failures.size())
        .put("slowestCaseMs", TimeUnit.NANOSECONDS.toMillis(fuzzer.maxCaseNanos))
        .put("slowestCase", fuzzer.slowestCase)
        .put("seconds", seconds)
        .put("heapAfterGcBefore", ProcessProbe.mib(heapBefore))
        .put("heapAfterGcAfter", ProcessProbe.mib(heapAfter))
        .put("rssBefore", ProcessProbe.mib(rssBefore))
        .put("rssAfter", ProcessProbe.mib(rssAfter))
        .put("openSessionsBeforeAfter", sessionsBefore + " -> " + sessionsAfter);
    for (Map.Entry<String, int[]> e : fuzzer.byKind.entrySet()) {
      report.put("kind." + e.getKey(), "loaded " + e.getValue()[0] + ", rejected "
          + e.getValue()[1] + ", failed " + e.getValue()[2]);
    }
    fuzzer.sampleMessages.forEach((k, v) -> report.put("message." + k, v));
    report.write();

    assertThat(fuzzer.failures).as("mutants that broke the contract").isEmpty();
    assertThat(fuzzer.loaded + fuzzer.rejected).isEqualTo(cases);
    assertThat(fuzzer.loaded).as("harmless mutants that loaded").isPositive();
    assertThat(fuzzer.rejected).as("harmful mutants that were refused").isPositive();
    assertThat(sessionsAfter).as("native sessions left open").isEqualTo(sessionsBefore);
    assertThat(suspicious).as("files that appeared in the temp dir").isEmpty();
    assertThat(parentAfter).as("the fuzz root's parent").isEqualTo(parentBefore);
    assertThat(heapAfter - heapBefore).as("heap growth after GC, KiB").isLessThan(64 * 1024);
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
