package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haps train} on small logs cut from concise-cot (24 train and 12 valid queries, a tiny
 * network): what it does with damaged lines, missing splits, missing costs and an unusable cache
 * folder (issue 16 items 1, 2, 10, 12).
 */
class TrainCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path cache;
  @TempDir Path tmp;

  static List<String> lines = new ArrayList<>();
  static String candidates;

  @BeforeAll
  static void readSubset() throws IOException {
    Path data = SharedData.benchmark("concise-cot").orElseThrow();
    candidates = Files.readString(data.resolve("candidates.json"));
    int train = 0;
    int valid = 0;
    for (String l : Files.readAllLines(data.resolve("outcomes.jsonl"))) {
      String split = JSON.readTree(l).path("split").asText();
      if (split.equals("train") && train < 24) {
        train++;
        lines.add(l);
      } else if (split.equals("valid") && valid < 12) {
        valid++;
        lines.add(l);
      }
    }
  }

  private Path log(String name, List<String> outcomeLines) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("candidates.json"), candidates);
    Files.writeString(dir.resolve("outcomes.jsonl"), String.join("\n", outcomeLines) + "\n");
    return dir;
  }

  private CliRun train(Path data, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out",
        out.toString(), "--quiet", "--hidden", "16", "--epochs", "2", "--rl-steps", "0",
        "--cache-dir", cache.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** What the loggers (slf4j-simple, writing to System.err) print while {@code r} runs. */
  static String stderrOf(Runnable r) {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(saved);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every other line cut to half its length, as in the issue (18 of 36). */
  private static List<String> halfCut() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      out.add(i % 2 == 1 ? l.substring(0, l.length() / 2) : l);
    }
    return out;
  }

  // Issue 16.1
  @Test
  void cutLinesInTheMiddle_failWithFileLineAndTheFlagThatSkipsThem() throws IOException {
    Path data = log("cut", halfCut());
    CliRun run = train(data, tmp.resolve("b"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps train: " + data.resolve("outcomes.jsonl") + " line 2: its JSON stops"
            + " short")
        .endsWith("(or pass --skip-bad-lines to train on the other lines)");
    assertThat(tmp.resolve("b")).doesNotExist();
  }

  // Issue 16.1: behind the flag, skipped and counted; the summary states queries per split.
  @Test
  void skipBadLines_trainsOnTheRestAndTheSummaryCountsEverything() throws IOException {
    Path data = log("cut-skip", halfCut());
    int train = 0;
    int valid = 0;
    for (int i = 0; i < lines.size(); i += 2) {
      boolean t = JSON.readTree(lines.get(i)).path("split").asText().equals("train");
      train += t ? 1 : 0;
      valid += t ? 0 : 1;
    }
    CliRun[] run = new CliRun[1];
    String logged = stderrOf(() -> run[0] = train(data, tmp.resolve("b"), "--skip-bad-lines"));
    assertThat(run[0].exitCode()).as(run[0].err()).isZero();
    assertThat(logged.lines().filter(l -> l.contains("skipped a bad line"))).hasSize(18);
    assertThat(run[0].out())
        .containsPattern("queries +train " + train + ", valid " + valid
            + " used \\(test 0 not read\\)")
        .containsPattern("skipped +18 bad lines \\(--skip-bad-lines; each named in a warning"
            + " above\\)");
  }

  // Issue 16.1: a clean log still states the queries used, and nothing skipped.
  @Test
  void cleanLog_summaryStatesQueriesPerSplitAndCosts() throws IOException {
    CliRun run = train(log("clean", lines), tmp.resolve("b"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("queries +train 24, valid 12 used \\(test 0 not read\\)")
        .containsPattern("costs +288 recorded").doesNotContain("skipped");
  }

  // Issue 16.2: no cost anywhere: a notice, a cost-blind bundle, and no dollar figure in route.
  @Test
  void noCosts_trainsCostBlindAndRoutePrintsNoDollarFigure() throws IOException {
    List<String> stripped = new ArrayList<>();
    for (String l : lines) {
      ObjectNode n = (ObjectNode) JSON.readTree(l);
      for (JsonNode o : n.path("outcomes")) {
        ((ObjectNode) o).putNull("cost_usd").putNull("input_tokens").putNull("output_tokens");
      }
      stripped.add(JSON.writeValueAsString(n));
    }
    Path bundle = tmp.resolve("blind");
    List<String> args = new ArrayList<>(List.of("train", "--data",
        log("no-costs", stripped).toString(), "--out", bundle.toString(), "--hidden", "16",
        "--epochs", "2", "--rl-steps", "0", "--cache-dir", cache.toString()));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("notice: no outcome of concise-cot has a cost")
        .contains("training cost-blind");
    assertThat(run.out()).containsPattern("costs +none in the log: trained cost-blind");

    CliRun route = CliRun.of("route", "--bundle", bundle.toString(), "--cost-weight", "1",
        "What is 17 * 23?");
    assertThat(route.exitCode()).as(route.err()).isZero();
    assertThat(route.out()).contains("model").doesNotContain("$").doesNotContain("expected");
  }

  // Issue 16.10: no valid split: what is missing and what to mark, no class name, no --verbose
  // hint (and none with --verbose either).
  @Test
  void noValidSplit_saysWhatToMarkWithoutAClassName() throws IOException {
    List<String> trainOnly = new ArrayList<>();
    for (String l : lines) {
      trainOnly.add(l.replace("\"split\":\"valid\"", "\"split\":\"train\""));
    }
    Path data = log("train-only", trainOnly);
    for (boolean verbose : new boolean[] {false, true}) {
      CliRun run = verbose ? train(data, tmp.resolve("b"), "--verbose")
          : train(data, tmp.resolve("b"));
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.errLines()[0]).isEqualTo("haps train: outcome log concise-cot has no valid"
          + " query (and 36 train) (36 queries in all, 0 test, which training never reads);"
          + " training needs both splits: mark about one in five queries \"split\": \"valid\""
          + " (checkpoints are chosen on them) (docs/training.md, 'Splits')");
      assertThat(run.err()).doesNotContain("rerun with --verbose");
    }
  }

  // Issue 16.12: an unusable cache folder warns and trains without a cache.
  @Test
  void unusableCacheDir_warnsAndTrains() throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    Path data = log("c", lines);
    CliRun[] run = new CliRun[1];
    String logged = stderrOf(() -> run[0] = CliRun.of("train", "--data", data.toString(),
        "--out", tmp.resolve("b").toString(), "--quiet", "--hidden", "16", "--epochs", "1",
        "--rl-steps", "0", "--cache-dir", notAFolder.toString()));
    assertThat(run[0].exitCode()).as(run[0].err()).isZero();
    assertThat(logged).contains("WARN").contains("cannot use the embedding cache folder "
        + notAFolder).contains("continuing without a cache")
        .doesNotContain("{}").doesNotContain("\tat "); // one line: the reason, no stack trace
    assertThat(tmp.resolve("b").resolve("manifest.json")).isRegularFile();
  }
}
