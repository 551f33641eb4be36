package dev.haps.cli;

import dev.haps.collect.CollectQuery;
import dev.haps.collect.CollectSummary;
import dev.haps.collect.Collector;
import dev.haps.collect.ConfigurationStats;
import dev.haps.collect.CostEstimate;
import dev.haps.collect.QueryFile;
import dev.haps.collect.RowProblem;
import dev.haps.data.Split;
import dev.haps.spi.JudgeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code haps collect}: turn queries into an outcome log for {@code haps train}. */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Turn your queries into an outcome log for haps train.",
    description = {
      "Run every candidate configuration (each model with a set or grid of parameter values) on"
          + " every query through the provider plugins, grade each answer with a judge, and"
          + " write an outcome log (candidates.json, outcomes.jsonl, summary.json) that haps"
          + " train and haps eval read. Each finished pair is journaled at once: rerun the same"
          + " command to resume after a crash or Ctrl-C (finished pairs are skipped, failed ones"
          + " retried). Queries without a split get one from a hash of their id.",
      "",
      "Exit code 0 when every planned pair is graded or reported ungraded; 1 when some failed"
          + " or did not run (the log holds the rest, and a rerun resumes); 2 for bad usage.",
      ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  haps collect --config collect.json --queries queries.jsonl --out data/team-qa",
      "  haps collect --config collect.json --queries q.txt --out data/qa --judge llm \\",
      "               --judge-setting provider=local --judge-setting model=grader \\",
      "               --budget-usd 5 --sample 3",
      "  haps train --data data/team-qa --out bundles/team-qa",
      "See docs/collect.md for the configuration file and the judges."})
final class CollectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      converter = Converters.ExistingFile.class,
      description = "Collect configuration (JSON): providers, candidates with their parameter"
          + " grids or configurations, judge, retry and rate limits (docs/collect.md).")
  Path config;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "FILE",
      converter = Converters.ExistingFile.class,
      description = "Queries: JSON lines with \"query\" and optional \"id\", \"task\","
          + " \"answer\", \"split\" (an outcomes.jsonl works), or plain text, one per line.")
  Path queries;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Outcome-log folder (created). Rerunning into it resumes.")
  Path out;

  @Option(
      names = "--judge",
      paramLabel = "TYPE",
      description = "Judge type instead of the configuration's: exact, normalized, choice,"
          + " numeric, f1, regex, llm, or a plugin's.")
  String judge;

  @Option(
      names = "--judge-setting",
      paramLabel = "KEY=VALUE",
      description = "A setting of --judge, e.g. pattern=..., tolerance=0.01, provider=local,"
          + " model=grader. Repeatable.")
  Map<String, String> judgeSettings = new LinkedHashMap<>();

  @Option(
      names = "--budget-usd",
      paramLabel = "USD",
      description = "Stop starting calls once this much is spent (answers and LLM judging,"
          + " earlier runs into --out included); needs a price for every model.")
  Double budgetUsd;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "" + Collector.DEFAULT_CONCURRENCY,
      description = "Calls at once (per-provider limits go in the configuration). Default:"
          + " ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--sample",
      paramLabel = "K",
      description = "Run only K configurations per query, drawn per query from --seed and the"
          + " query id (the same draw on every rerun). Default: all.")
  Integer sample;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "" + Collector.DEFAULT_SEED,
      description = "Seed of --sample. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--split-shares",
      paramLabel = "TRAIN,VALID",
      split = ",",
      description = "Shares of train and valid for queries without a split (test gets the"
          + " rest). Default: 0.6,0.2.")
  List<Double> splitShares;

  @Option(
      names = "--task",
      paramLabel = "NAME",
      defaultValue = QueryFile.DEFAULT_TASK,
      description = "Task of queries that name none. Default: ${DEFAULT-VALUE}.")
  String task;

  @Option(
      names = "--benchmark",
      paramLabel = "NAME",
      description = "Benchmark name in candidates.json. Default: the configuration's, else the"
          + " --out folder's name.")
  String benchmark;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Only the first N queries of the file.")
  Integer limit;

  @Option(
      names = "--estimate-output-tokens",
      paramLabel = "N",
      description = "Output tokens per call assumed by the cost estimate when a configuration"
          + " sets no max_tokens. Default: " + Collector.DEFAULT_OUTPUT_TOKENS + ".")
  Long estimateOutputTokens;

  @Option(
      names = "--dry-run",
      description = "Print the plan and the cost estimate; call nothing.")
  boolean dryRun;

  @Option(
      names = "--quiet",
      description = "No progress bar on stderr.")
  boolean quiet;

  /** Created by picocli. */
  CollectCommand() {}

  @Override
  public Integer call() {
    Collector.Builder b = Collector.builder().config(config).output(out);
    try {
      List<CollectQuery> qs = QueryFile.read(queries, task);
      if (limit != null) {
        if (limit < 1) {
          throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        qs = qs.subList(0, Math.min(limit, qs.size()));
      }
      b.queries(qs).concurrency(concurrency).seed(seed);
      if (judge != null) {
        b.judge(JudgeConfig.of(judge, judgeSettings));
      } else if (!judgeSettings.isEmpty()) {
        throw new IllegalArgumentException("--judge-setting needs --judge TYPE; the"
            + " configuration's judge takes its settings from the file");
      }
      if (budgetUsd != null) {
        b.budgetUsd(budgetUsd);
      }
      if (sample != null) {
        b.sample(sample);
      }
      if (splitShares != null) {
        if (splitShares.size() != 2) {
          throw new IllegalArgumentException("--split-shares takes two numbers, TRAIN,VALID,"
              + " got " + splitShares);
        }
        b.splitShares(splitShares.get(0), splitShares.get(1));
      }
      if (benchmark != null) {
        b.benchmark(benchmark);
      }
      if (estimateOutputTokens != null) {
        b.estimateOutputTokens(estimateOutputTokens);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), Failures.oneLine(e.getMessage()));
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StageProgress bar = quiet ? null : new StageProgress(err, StageProgress.terminal());
    if (bar != null) {
      b.listener(p -> bar.update("collect", p.done(), p.total(), detail(p.failed(),
          p.ungraded(), p.spentUsd(), p.budgetUsd())));
    }
    try (Collector c = b.build()) {
      CostEstimate e = c.estimate();
      String plan = plan(e);
      if (dryRun) {
        o.println(plan);
        o.flush();
        return 0;
      }
      err.println(plan);
      err.flush();
      CountDownLatch finished = new CountDownLatch(1);
      // Ctrl-C: no new call starts, calls in flight finish and are journaled, the log is
      // written; the hook waits for that before the JVM goes.
      Thread hook = new Thread(() -> {
        c.stop();
        try {
          finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }, "haps-collect-stop");
      boolean hooked = addHook(hook);
      CollectSummary s;
      try {
        s = c.run();
        if (bar != null) {
          bar.endLine();
        }
        o.print(report(s));
        o.flush();
      } finally {
        finished.countDown();
        if (hooked) {
          removeHook(hook);
        }
      }
      if (!s.complete()) {
        err.println("haps collect: " + s.failed() + " pairs failed and " + s.notRun()
            + " did not run" + s.stopReason().map(r -> " (" + r + ")").orElse("")
            + "; the log holds the rest. Run the same command again to retry and resume.");
        err.flush();
        return Failures.FAILED;
      }
      return 0;
    }
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is stopping: the hook runs and returns at once, since the run has finished.
    }
  }

  private static String detail(int failed, int ungraded, double spent, double budget) {
    return String.format(Locale.ROOT, "%d failed, %d ungraded, $%.4f spent%s", failed,
        ungraded, spent, Double.isNaN(budget) ? "" : String.format(Locale.ROOT, " of $%.2f",
            budget));
  }

  private String plan(CostEstimate e) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "plan: %d pairs, %d done before, %d calls to make;",
        e.pairsPlanned(), e.pairsDone(), e.calls()));
    if (Double.isNaN(e.estimatedUsd())) {
      sb.append(" cost not estimated (no price for ").append(e.unpriced()).append(')');
    } else {
      sb.append(String.format(Locale.ROOT, " estimated $%.4f for the calls", e.estimatedUsd()));
    }
    if (e.spentUsd() > 0) {
      sb.append(String.format(Locale.ROOT, ", $%.4f spent before", e.spentUsd()));
    }
    if (!Double.isNaN(e.budgetUsd())) {
      sb.append(String.format(Locale.ROOT, ", budget $%.2f", e.budgetUsd()));
      if (!Double.isNaN(e.estimatedUsd()) && e.spentUsd() + e.estimatedUsd() > e.budgetUsd()) {
        sb.append(" (the estimate exceeds it: the run stops when it is spent)");
      }
    }
    return sb.toString();
  }

  private static String report(CollectSummary s) {
    DecisionFormat.Block head = new DecisionFormat.Block();
    head.line("benchmark", String.format(Locale.ROOT, "%s: %d of %d queries in the log (train"
        + " %d, valid %d, test %d)", s.benchmark(), s.queriesInLog(), s.queries(),
        s.splits().get(Split.TRAIN), s.splits().get(Split.VALID), s.splits().get(Split.TEST)));
    head.line("judge", s.judge());
    head.line("pairs", String.format(Locale.ROOT, "%d planned: %d graded, %d ungraded, %d"
        + " failed, %d not run; %d calls this run", s.pairsPlanned(), s.graded(), s.ungraded(),
        s.failed(), s.notRun(), s.callsThisRun()));
    head.line("spent", String.format(Locale.ROOT, "$%.4f (answers $%.4f, judge $%.4f)",
        s.spentUsd(), s.answersCostUsd(), s.judgeCostUsd()));
    s.stopReason().ifPresent(r -> head.line("stopped", r));
    TextTable t = new TextTable("configuration", ">n", ">mean score", ">mean cost",
        ">ungraded", ">failed");
    for (ConfigurationStats c : s.configurations()) {
      t.row(c.configuration().key(), Integer.toString(c.graded()), score(c.meanScore()),
          usd(c.meanCostUsd()), Integer.toString(c.ungraded()), Integer.toString(c.failed()));
    }
    DecisionFormat.Block tail = new DecisionFormat.Block();
    s.bestSingle().ifPresent(b -> tail.line("best single", b.configuration().key() + ": "
        + score(b.meanScore()) + " at " + usd(b.meanCostUsd())));
    if (!Double.isNaN(s.oracleMeanScore())) {
      tail.line("oracle", score(s.oracleMeanScore()) + " at " + usd(s.oracleMeanCostUsd())
          + " (each query's best configuration)");
    }
    tail.line("log", s.output() + " (candidates.json, outcomes.jsonl, summary.json,"
        + " journal.jsonl)");
    StringBuilder sb = new StringBuilder().append(head).append(System.lineSeparator())
        .append(t).append(System.lineSeparator()).append(tail);
    List<RowProblem> problems = s.problems();
    if (!problems.isEmpty()) {
      sb.append(System.lineSeparator()).append(problems.size())
          .append(" pairs without a score (all in summary.json):")
          .append(System.lineSeparator());
      int shown = Math.min(20, problems.size());
      for (int i = 0; i < shown; i++) {
        sb.append("  ").append(problems.get(i)).append(System.lineSeparator());
      }
      if (shown < problems.size()) {
        sb.append("  ... ").append(problems.size() - shown).append(" more")
            .append(System.lineSeparator());
      }
    }
    if (s.queriesInLog() > 0) {
      sb.append(System.lineSeparator()).append("next: haps train --data ").append(s.output())
          .append(" --out <bundle>").append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String score(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String usd(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "$%.6f", v);
  }
}
