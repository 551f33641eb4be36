package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage: exit code 2, exactly one line on stderr naming the problem, nothing on stdout. */
class UsageErrorTest {

  @TempDir Path tmp;

  private static void assertUsageError(CliRun run, String expectedLine) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly(expectedLine);
  }

  @Test
  void noCommand_listsTheCommands() {
    assertUsageError(CliRun.of(), "haps: no command given; choose one of demo, route, ask,"
        + " train, eval, recompute, collect, serve, doctor, promote, simulate (start with 'haps"
        + " demo') (see 'haps --help')");
  }

  @Test
  void eval_withNeitherDataNorLog_saysWhichToGive() {
    CliRun run = CliRun.of("eval", "--report", "out");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give exactly one of --data (a benchmark) and --log");
  }

  @Test
  void simulate_withoutCalls_isUsageError() {
    CliRun run = CliRun.of("simulate", "--data", ".");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--calls C (at least 1) and --out DIR are required");
  }

  @Test
  void simulate_badExploration_namesTheAllowedForms() {
    CliRun run = CliRun.of("simulate", "--data", ".", "--calls", "10", "--out", "x",
        "--exploration", "greedy:0.1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("none, epsilon:E, epsilon:E:MARGIN, softmax:T:FLOOR");
  }

  @Test
  void unknownCommand_isUsageError() {
    CliRun run = CliRun.of("rout", "q");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("haps: Unmatched arguments from index 0: 'rout', 'q'")
        .contains("did you mean route or promote or recompute?");
  }

  // Issue 16.15: --help after an unknown command must not hide that it does not exist.
  @Test
  void unknownCommandWithHelp_isUsageErrorNotTheTopLevelHelp() {
    CliRun run = CliRun.of("simulate", "--help");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("haps: Unmatched argument").contains("'simulate'");
  }

  @Test
  void route_unknownOption_suggestsTheRightOne() {
    CliRun run = CliRun.of("route", "--jsn", "a question");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("haps route: Unknown option: '--jsn'")
        .contains("did you mean --json?").contains("(see 'haps route --help')");
  }

  @Test
  void route_costWeightAboveOne_isUsageError() {
    assertUsageError(CliRun.of("route", "--cost-weight", "1.5", "q"),
        "haps route: Invalid value for option '--cost-weight': cost weight 1.5 is outside"
            + " [0, 1]; use 0 for best quality, 1 for lowest cost, or a value in between"
            + " (see 'haps route --help')");
  }

  @Test
  void route_costWeightNegative_isUsageError() {
    CliRun run = CliRun.of("route", "--cost-weight=-0.1", "q");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .contains("cost weight -0.1 is outside [0, 1]");
  }

  @Test
  void route_costWeightNotANumber_isUsageError() {
    assertUsageError(CliRun.of("route", "--cost-weight", "cheap", "q"),
        "haps route: Invalid value for option '--cost-weight': 'cheap' is not a number; give a"
            + " cost weight from 0 (best quality) to 1 (lowest cost), e.g. 0.5 (see 'haps route"
            + " --help')");
  }

  @Test
  void route_noQuery_isUsageError() {
    assertUsageError(CliRun.of("route"), "haps route: Missing required parameter: 'QUERY' (see"
        + " 'haps route --help')");
  }

  @Test
  void route_blankQuery_isUsageErrorBeforeAnyBundleLoads() {
    CliRun run = CliRun.of("route", "--bundle", tmp.toString(), "   ");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps route: route request has an empty query");
  }

  @Test
  void route_missingBundle_isUsageError() {
    Path missing = tmp.resolve("no-such-bundle");
    assertUsageError(CliRun.of("route", "--bundle", missing.toString(), "q"),
        "haps route: Invalid value for option '--bundle': bundle " + missing
            + " does not exist; give a bundle directory or .zip (manifest.json + router.onnx),"
            + " or omit --bundle for the default bundle (see 'haps route --help')");
  }

  @Test
  void ask_missingConfigFile_isUsageError() {
    Path missing = tmp.resolve("haps.json");
    assertUsageError(CliRun.of("ask", "--config", missing.toString(), "q"),
        "haps ask: Invalid value for option '--config': file " + missing
            + " does not exist; check the path (see 'haps ask --help')");
  }

  @Test
  void ask_configIsADirectory_isUsageError() {
    CliRun run = CliRun.of("ask", "--config", tmp.toString(), "q");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .contains(tmp + " is not a file; give the path of a file");
  }

  @Test
  void ask_twoQueries_isUsageError() {
    CliRun run = CliRun.of("ask", "one", "two");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps ask: Unmatched argument at index 2: 'two'");
  }

  @Test
  void train_missingRequiredOptions_isUsageError() {
    assertUsageError(CliRun.of("train"), "haps train: Missing required options: '--data=DIR',"
        + " '--out=BUNDLE' (see 'haps train --help')");
  }

  @Test
  void train_dataNotADirectory_isUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("x.txt"), "x");
    CliRun run = CliRun.of("train", "--data", file.toString(), "--out", tmp.resolve("b")
        .toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .contains(file + " is not a directory; give a directory");
  }

  @Test
  void train_seedNotANumber_isUsageError() {
    CliRun run = CliRun.of("train", "--data", tmp.toString(), "--out", "b", "--seed", "x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps train: Invalid value for option '--seed': 'x' is not a long");
  }

  @Test
  void eval_unknownSplit_isUsageError() {
    CliRun run = CliRun.of("eval", "--data", tmp.toString(), "--bundle", tmp.toString(),
        "--report", tmp.resolve("r").toString(), "--split", "dev");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .contains("split 'dev' is not one of test, valid, train");
  }

  // Issue 16.12: a report path that is a file says so, before any work.
  @Test
  void eval_reportIsAFile_isUsageErrorSayingSo() throws Exception {
    Path file = Files.writeString(tmp.resolve("passwd"), "root:x:0:0");
    assertUsageError(CliRun.of("eval", "--data", tmp.toString(), "--bundle", tmp.toString(),
        "--report", file.toString()), "haps eval: Invalid value for option '--report': " + file
        + " is a file, not a folder; give a folder (it is created if missing) (see 'haps eval"
        + " --help')");
  }

  @Test
  void eval_baselineNameForBundle_isUsageError() {
    CliRun run = CliRun.of("eval", "--data", tmp.toString(), "--bundle", "oracle=" + tmp,
        "--report", tmp.resolve("r").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps eval: --bundle oracle=" + tmp + ": bundle name 'oracle' is a"
            + " baseline's name");
  }

  @Test
  void eval_unknownBaseline_isUsageErrorListingTheKnownOnes() {
    CliRun run = CliRun.of("eval", "--data", tmp.toString(), "--bundle", tmp.toString(),
        "--report", tmp.resolve("r").toString(), "--baselines", "knn,lasso");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps eval: --baselines: unknown baseline 'lasso'; known: [best-fixed, knn,");
  }

  @Test
  void demo_costWeightsOutOfRange_isUsageError() {
    CliRun run = CliRun.of("demo", "--cost-weights", "0,2");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .contains("cost weight 2 is outside [0, 1]");
  }

  @Test
  void demo_limitZero_isUsageError() {
    CliRun run = CliRun.of("demo", "--limit", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps demo: --limit must be at least 1, got 0");
  }
}
