package dev.haps.cli;

import dev.haps.data.OutcomeLog;
import dev.haps.eval.Recompute;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code haps recompute}: checks a report written by {@code haps eval} against its decisions. */
@Command(
    name = "recompute",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Check a report: recompute every number from its decisions.",
    description = {
      "Re-derive every point, AIQ, gap closed and per-task figure of a report written by 'haps"
          + " eval' from its decisions file and the outcome log alone (each decision is looked up"
          + " by query id, model and exact parameters; the fixed configurations and the oracle"
          + " are rebuilt from the log), then the bootstrap intervals from the same decisions."
          + " Prints OK, or each number that disagrees with report.json and exits with 1.",
      ""},
    footerHeading = "%nExample:%n",
    footer = {
      "  haps recompute --report docs/reports/concise-cot \\",
      "                 --data ../shared/data/concise-cot"})
final class RecomputeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--report",
      required = true,
      paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Report folder written by 'haps eval': report.json and decisions.jsonl (or"
          + " decisions.jsonl.gz).")
  Path report;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Benchmark folder the report was computed from (candidates.json and"
          + " outcomes.jsonl).")
  Path data;

  /** Created by picocli. */
  RecomputeCommand() {}

  @Override
  public Integer call() {
    if (!Files.isRegularFile(report.resolve("report.json"))) {
      throw new ParameterException(spec.commandLine(), "--report " + report + " holds no"
          + " report.json; give a folder written by 'haps eval --report'");
    }
    if (!Files.isRegularFile(report.resolve("decisions.jsonl"))
        && !Files.isRegularFile(report.resolve("decisions.jsonl.gz"))) {
      throw new ParameterException(spec.commandLine(), "--report " + report + " holds no"
          + " decisions.jsonl or decisions.jsonl.gz; give a folder written by 'haps eval"
          + " --report'");
    }
    List<String> problems = Recompute.check(report, OutcomeLog.load(data));
    PrintWriter out = spec.commandLine().getOut();
    if (problems.isEmpty()) {
      out.println("OK: every number in " + report.resolve("report.json") + " recomputes from"
          + " the decisions and the outcome log");
      out.flush();
      return 0;
    }
    problems.forEach(out::println);
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + problems.size()
        + (problems.size() == 1 ? " number in " : " numbers in ") + report.resolve("report.json")
        + (problems.size() == 1 ? " does" : " do") + " not recompute (listed on stdout); check"
        + " that --data is the log the report was computed from, or rerun 'haps eval'");
    err.flush();
    return Failures.FAILED;
  }
}
