package dev.haps.cli;

import dev.haps.data.Split;
import dev.haps.eval.EvalReport;
import dev.haps.eval.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code haps eval}: bundles against the baselines on one benchmark, with a report. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Evaluate bundles against the baselines; write a report.",
    description = {
      "Evaluate HAPS bundles against the baselines (random, best fixed configuration, cheapest,"
          + " k-nearest neighbours, MLP reward model, ridge regression, architecture-only routing,"
          + " oracle) on a benchmark's outcome log. Baselines train on the train split and tune"
          + " on valid;"
          + " every router is swept over 21 cost weights from 0 to 1 and scored on the chosen"
          + " split with the recorded outcomes. Prints the table sorted by AIQ and writes"
          + " report.json, decisions.jsonl, cost-quality.png and report.html; 'haps recompute'"
          + " checks such a report against its decisions.",
      ""},
    footerHeading = "%nExample:%n",
    footer = {
      "  haps eval --data ../shared/data/concise-cot --bundle bundles/concise-cot \\",
      "            --bundle no-params=bundles/no-params --report out/concise-cot"})
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Benchmark folder holding candidates.json and outcomes.jsonl (the"
          + " outcome-log format). One of --data and --log is required.")
  Path data;

  @Option(
      names = "--log",
      paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Off-policy evaluation instead: a bandit feedback log folder (calls.jsonl,"
          + " scores.jsonl); the --bundle is estimated on the logged traffic with IPS, SNIPS"
          + " and DR (95 %% bootstrap intervals, effective sample size, support warnings).")
  Path log;

  @Option(
      names = "--exploration",
      paramLabel = "SPEC",
      defaultValue = "none",
      converter = Converters.ExplorationSpec.class,
      description = "With --log: the exploration the bundle would serve with (none, epsilon:E,"
          + " epsilon:E:MARGIN, softmax:T:FLOOR). Default: ${DEFAULT-VALUE}.")
  dev.haps.api.Exploration exploration;

  @Option(
      names = "--join-window",
      paramLabel = "DURATION",
      defaultValue = "PT1H",
      description = "With --log: how long after a call its score is accepted (ISO-8601)."
          + " Default: ${DEFAULT-VALUE}.")
  java.time.Duration joinWindow;

  @Option(
      names = "--default-score",
      paramLabel = "S",
      defaultValue = "NaN",
      description = "With --log: the score of calls that got no feedback within the window;"
          + " NaN drops them. Default: ${DEFAULT-VALUE}.")
  double defaultScore;

  @Option(
      names = "--bundle",
      paramLabel = "[NAME=]PATH",
      converter = NamedBundle.Converter.class,
      description = "A bundle to evaluate (directory or .zip). Repeat for ablations: a bundle"
          + " without a name is reported as 'haps', others as NAME (letters, digits, . _ -)."
          + " Without any, only the baselines run.")
  List<NamedBundle> bundles = new ArrayList<>();

  @Option(
      names = "--report",
      paramLabel = "DIR",
      converter = Converters.OutputFolder.class,
      description = "Folder for report.json, decisions.jsonl, cost-quality.png and report.html"
          + " (created if missing); required with --data.")
  Path report;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "test",
      converter = SplitConverter.class,
      description = "Split to score on: test, valid, or train (train only shows how well the"
          + " routers fit what they learnt from). Default: ${DEFAULT-VALUE}.")
  Split split;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Seed of the random baseline and the MLP. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--baselines",
      paramLabel = "NAME",
      split = ",",
      description = "Baselines to run, comma-separated, from: best-fixed, knn, mlp,"
          + " ridge, arch-only-knn, cheapest, random, oracle. Default: all of them.")
  List<String> baselines;

  @Option(
      names = "--gzip-decisions",
      description = "Write decisions.jsonl.gz (gzip) instead of decisions.jsonl, e.g. for a"
          + " report to commit.")
  boolean gzipDecisions;

  @Option(
      names = "--quiet",
      description = "No progress bar on stderr.")
  boolean quiet;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Embedding cache folder (shared with 'haps train'). Default:"
          + " $$HAPS_EMBEDDING_CACHE if set, else ~/.cache/haps/embeddings (a"
          + " -Dhaps.embedding.cache=DIR system property wins).")
  Path cacheDir;

  /** Created by picocli. */
  EvalCommand() {}

  @Override
  public Integer call() {
    if ((data == null) == (log == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --data (a"
          + " benchmark) and --log (a feedback log for off-policy evaluation)");
    }
    if (log != null) {
      return offPolicy();
    }
    if (report == null) {
      throw new ParameterException(spec.commandLine(), "--report DIR is required with --data");
    }
    Evaluation.Builder b = Evaluation.builder().data(data).split(split).seed(seed).report(report)
        .gzipDecisions(gzipDecisions);
    if (cacheDir != null) {
      b.embeddingCache(cacheDir);
    }
    if (baselines != null) {
      try {
        b.baselines(baselines.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--baselines: " + e.getMessage());
      }
    }
    for (NamedBundle nb : bundles) {
      try {
        if (nb.name().isEmpty()) {
          b.bundle(nb.path());
        } else {
          b.bundle(nb.name(), nb.path());
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new ParameterException(spec.commandLine(), "--bundle " + nb + ": "
            + e.getMessage());
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    if (!quiet) {
      b.progress(new StageProgress(err, StageProgress.terminal()));
    }
    EvalReport r = b.build().run();
    PrintWriter out = spec.commandLine().getOut();
    out.print(EvalTable.render(r));
    out.printf(Locale.ROOT, "%d routers on %s/%s in %.1f s; report in %s%n", r.routers().size(),
        r.benchmark(), r.split().wireName(), r.elapsed().toMillis() / 1000.0,
        r.outputDir().map(Path::toString).orElse(report.toString()));
    out.flush();
    return 0;
  }

  private int offPolicy() {
    if (bundles.size() != 1 || !bundles.get(0).name().isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--log needs exactly one unnamed"
          + " --bundle: the candidate to estimate");
    }
    dev.haps.eval.OffPolicyEvaluation.Builder b = dev.haps.eval.OffPolicyEvaluation.builder()
        .log(log).candidate(bundles.get(0).path()).exploration(exploration)
        .join(new dev.haps.data.FeedbackLog.JoinPolicy(joinWindow, defaultScore))
        .bootstrap(1000, seed);
    if (cacheDir != null) {
      b.cacheDir(cacheDir);
    }
    dev.haps.eval.OffPolicyReport r = b.build().run();
    PrintWriter out = spec.commandLine().getOut();
    printOffPolicy(out, r);
    out.flush();
    return 0;
  }

  /** The off-policy report as a small table and its warnings. */
  static void printOffPolicy(PrintWriter out, dev.haps.eval.OffPolicyReport r) {
    out.printf(Locale.ROOT, "off-policy estimate of %s on %d logged calls (%d match its greedy"
        + " choice; effective sample size %.1f; smallest propensity %.4f)%n", r.candidate(),
        r.rows(), r.matched(), r.effectiveSampleSize(), r.minPropensity());
    out.printf(Locale.ROOT, "%-9s %-28s %-28s %-30s%n", "estimator", "mean reward [95 %]",
        "mean score [95 %]", "mean cost USD [95 %]");
    for (var e : new java.util.TreeMap<>(r.estimates()).entrySet()) {
      row(out, e.getKey(), e.getValue());
    }
    row(out, "logged", r.logged());
    for (String w : r.warnings()) {
      out.println("warning: " + w);
    }
  }

  private static void row(PrintWriter out, String name,
      dev.haps.eval.OffPolicyReport.Estimates e) {
    out.printf(Locale.ROOT, "%-9s %-28s %-28s %-30s%n", name, interval(e.reward(), "%.4f"),
        interval(e.score(), "%.4f"), interval(e.costUsd(), "%.6f"));
  }

  private static String interval(dev.haps.eval.OffPolicyReport.Interval i, String f) {
    return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", i.value(), i.low(),
        i.high());
  }

  /** A {@code --bundle [NAME=]PATH} value; an empty name means the main bundle. */
  record NamedBundle(String name, Path path) {

    @Override
    public String toString() {
      return name.isEmpty() ? path.toString() : name + "=" + path;
    }

    /** Parses {@code [NAME=]PATH} and checks that the path exists. */
    static final class Converter implements ITypeConverter<NamedBundle> {
      Converter() {}

      @Override
      public NamedBundle convert(String value) {
        int eq = value.indexOf('=');
        String name = "";
        String path = value;
        // A name is a plain word; "a=b" inside a path with a separator before '=' stays a path.
        if (eq > 0 && value.substring(0, eq).matches("[A-Za-z0-9._-]+")) {
          name = value.substring(0, eq);
          path = value.substring(eq + 1);
        }
        return new NamedBundle(name, new Converters.ExistingBundle().convert(path));
      }
    }
  }

  /** {@code test}, {@code valid} or {@code train}. */
  static final class SplitConverter implements ITypeConverter<Split> {
    SplitConverter() {}

    @Override
    public Split convert(String value) {
      try {
        return Split.parse(value.strip().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("split '" + value + "' is not one of test, valid,"
            + " train; use test (the default) or valid");
      }
    }
  }
}
