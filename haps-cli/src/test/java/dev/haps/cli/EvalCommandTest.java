package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haps eval} and {@code haps recompute} end to end: the default bundle against three
 * baselines on the test split of the concise-cot log that the replay provider bundles.
 */
class EvalCommandTest {

  @TempDir static Path tmp;
  static Path data;
  static Path report;
  static CliRun eval;

  @BeforeAll
  static void evaluate() throws IOException {
    data = Files.createDirectories(tmp.resolve("concise-cot"));
    for (String f : List.of("candidates.json", "outcomes.jsonl")) {
      try (InputStream in = EvalCommandTest.class.getClassLoader()
          .getResourceAsStream("dev/haps/provider/replay/concise-cot/" + f)) {
        Files.copy(in, data.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    report = tmp.resolve("report");
    eval = CliRun.of("eval", "--data", data.toString(), "--bundle", TestBundle.get().toString(),
        "--report", report.toString(), "--baselines", "best-fixed,cheapest,oracle",
        "--gzip-decisions", "--cache-dir", tmp.resolve("cache").toString(), "--quiet");
  }

  @Test
  void eval_printsTheRankedTableAndTheBundleAgainstEachBaselineButTheOracle() {
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.err()).isEmpty();
    List<String> lines = eval.out().lines().toList();
    assertThat(lines.get(0)).startsWith("concise-cot / test: 4 routers, cost range [")
        .contains(" USD, best single ");
    assertThat(lines.get(1)).matches("#  router +AIQ  gap closed  +95% interval  score@best-cost"
        + "  cost to match best  kind");
    assertThat(lines.get(2)).matches("-+");
    assertThat(lines.get(3)).matches("1  oracle +1?0?\\.\\d{4} +\\+1\\.000 +\\[\\+1\\.00,"
        + " \\+1\\.00\\] .* reference");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("(fixed-config hull)")
        .endsWith("reference"));
    assertThat(eval.out()).contains("haps vs best-fixed: gap closed difference [",
        "haps vs cheapest: ", "of 1000 resamples").doesNotContain("haps vs oracle");
    assertThat(lines.get(lines.size() - 1)).startsWith("4 routers on concise-cot/test in ")
        .endsWith("; report in " + report);
  }

  @Test
  void gzipDecisions_writesTheCompressedDecisionsBesideTheReport() {
    assertThat(report.resolve("decisions.jsonl.gz")).isRegularFile();
    assertThat(report.resolve("decisions.jsonl")).doesNotExist();
    assertThat(report.resolve("report.json")).isRegularFile();
    assertThat(report.resolve("report.html")).isRegularFile();
  }

  @Test
  void eval_withoutBundle_runsOnlyTheBaselines() {
    CliRun run = CliRun.of("eval", "--data", data.toString(), "--report",
        tmp.resolve("baselines-only").toString(), "--baselines", "cheapest,oracle", "--quiet");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("concise-cot / test: 2 routers").doesNotContain(" vs ");
    assertThat(tmp.resolve("baselines-only").resolve("decisions.jsonl")).isRegularFile();
  }

  @Test
  void recompute_ofTheReport_printsOk() {
    CliRun run = CliRun.of("recompute", "--report", report.toString(), "--data",
        data.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("OK: every number in " + report.resolve("report.json")
        + " recomputes from the decisions and the outcome log" + System.lineSeparator());
  }

  @Test
  void recompute_ofAnAlteredReport_listsTheDisagreementAndFails() throws IOException {
    Path copy = Files.createDirectories(tmp.resolve("altered"));
    Files.copy(report.resolve("decisions.jsonl.gz"), copy.resolve("decisions.jsonl.gz"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = (ObjectNode) json.readTree(report.resolve("report.json").toFile());
    ((ObjectNode) tree.path("routers").path(0)).put("aiq", 0.123);
    json.writeValue(copy.resolve("report.json").toFile(), tree);

    CliRun run = CliRun.of("recompute", "--report", copy.toString(), "--data", data.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains(" aiq: report says 0.123, recomputed ");
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps recompute: 1 number in " + copy.resolve("report.json")
            + " does not recompute");
  }

  @Test
  void recompute_ofAFolderWithoutAReport_isUsageError() {
    CliRun run = CliRun.of("recompute", "--report", data.toString(), "--data", data.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps recompute: --report " + data + " holds no report.json");
  }
}
