package dev.haps.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import dev.haps.testing.SharedData;

/** Small logs written by hand, and access to the shared benchmarks. */
final class Fixtures {
  private Fixtures() {}

  static final String CANDIDATES = "{\"benchmark\":\"toy\",\"source\":{\"repo\":\"a/b\","
      + "\"license\":\"MIT\"},\"models\":["
      + "{\"id\":\"small\",\"price_per_mtok\":{\"input\":1.0,\"output\":2.0},\"parameters\":["
      + "{\"name\":\"temperature\",\"type\":\"float\",\"min\":0.0,\"max\":2.0,\"default\":1.0,"
      + "\"observed\":[0.0,0.5,1.0]},"
      + "{\"name\":\"max_tokens\",\"type\":\"int\",\"min\":1,\"max\":4096,\"default\":256},"
      + "{\"name\":\"style\",\"type\":\"categorical\",\"choices\":[\"short\",\"long\"],"
      + "\"default\":\"short\"}]},"
      + "{\"id\":\"big\",\"price_per_mtok\":null,\"parameters\":[]}]}";

  static String line(String id, String split, String outcomes) {
    return "{\"id\":\"" + id + "\",\"task\":\"t\",\"split\":\"" + split
        + "\",\"query\":\"question " + id + "\",\"answer\":\"A\",\"outcomes\":[" + outcomes
        + "]}";
  }

  static String small(String params, double score) {
    return "{\"model\":\"small\",\"params\":{" + params + "},\"score\":" + score
        + ",\"cost_usd\":0.001,\"input_tokens\":10,\"output_tokens\":5}";
  }

  static String big(double score) {
    return "{\"model\":\"big\",\"params\":{},\"score\":" + score
        + ",\"cost_usd\":null,\"input_tokens\":null,\"output_tokens\":null}";
  }

  static String goodLine(String id) {
    return line(id, "train", small("\"temperature\":0.5", 1.0) + "," + big(0.0));
  }

  /** Writes a log directory with the toy candidates and the given outcome lines. */
  static Path log(Path dir, String... lines) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("candidates.json"), CANDIDATES);
    Files.writeString(dir.resolve("outcomes.jsonl"), String.join("\n", lines) + "\n");
    return dir;
  }

  static CandidateSet toyCandidates() {
    return CandidateSet.read("toy.json",
        new java.io.ByteArrayInputStream(CANDIDATES.getBytes(StandardCharsets.UTF_8)));
  }

  static Path benchmark(String name) {
    Optional<Path> p = SharedData.benchmark(name);
    assumeTrue(p.isPresent(), "shared data folder with " + name + " not found");
    return p.get();
  }

  /** Runs an action and returns what it wrote to System.err (where slf4j-simple logs). */
  static String captureStderr(ThrowingRunnable action) throws Exception {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
