package dev.haps.cli;

import dev.haps.api.Exploration;
import dev.haps.eval.Simulation;
import dev.haps.eval.SimulationReport;
import dev.haps.train.BanditTargets;
import dev.haps.train.TrainOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haps simulate}: the learning loop on a full-information benchmark. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    header = "Simulate the learning loop (explore, log, retrain, guarded promotion).",
    description = {
      "Turns a full-information benchmark into a stream of calls over its train and valid"
          + " queries (seeded order, with replacement once they run out; cost weights drawn"
          + " from the evaluation grid) that reveals only the chosen action's outcome. Calls and"
          + " scores go to a real feedback log; every M calls a candidate is trained on it,"
          + " evaluated off-policy on the log's valid calls and promoted only when its DR lower"
          + " bound beats the serving policy's observed reward. Starts cold (uniform"
          + " exploration) or from --start. Writes learning-curve.json and .png (the serving"
          + " router's test gap closed and the served reward against calls) and the final"
          + " router's test decisions (final-eval/). The test split is read only to report.",
      ""},
    footerHeading = "%nExample:%n",
    footer = {
      "  haps simulate --data ../shared/data/routerbench-3task --calls 11050 \\",
      "                --retrain-every 500 --seeds 1,2,3,4,5 --out sim/routerbench"})
final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Full-information benchmark folder (candidates.json, outcomes.jsonl).")
  Path data;

  @Option(names = "--calls", paramLabel = "C",
      description = "Calls to simulate (required unless --ope-check).")
  int calls;

  @Option(names = "--ope-check", paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "Instead of the loop: check off-policy estimates against the truth. Each of"
          + " --runs runs logs one uniform action per test query and estimates this fixed"
          + " bundle's mean reward by DR; prints how many 95 %% intervals cover the true value"
          + " computed from the full log.")
  Path opeCheck;

  @Option(names = "--runs", paramLabel = "R", defaultValue = "20",
      description = "Runs of --ope-check. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--retrain-every", paramLabel = "M", defaultValue = "500",
      description = "Calls between retrainings. Default: ${DEFAULT-VALUE}.")
  int retrainEvery;

  @Option(names = "--warmup", paramLabel = "W",
      description = "Calls before the first retraining: a cold start explores until then"
          + " (uniformly, then aimed at the frontier: --frontier-after). 0: retrain after M/4"
          + " and M/2 calls too. Default: the number of train+valid queries on a cold start, 0"
          + " with --start.")
  Integer warmup;

  @Option(names = "--frontier-after", paramLabel = "K", defaultValue = "40",
      description = "Aims a cold start's exploration at the cost/quality frontier, per cost"
          + " weight: once every configuration still explored has K outcomes (and again every K"
          + " more), a call explores only the configurations whose mean reward at its cost weight"
          + " is within two standard errors of the best one's there. 0: uniform throughout."
          + " Default: ${DEFAULT-VALUE}.")
  int frontierAfter;

  @Option(names = "--seeds", paramLabel = "S", split = ",", defaultValue = "1",
      description = "Seeds, comma-separated: one simulation each. Default: ${DEFAULT-VALUE}.")
  List<Long> seeds = new ArrayList<>();

  @Option(names = "--exploration", paramLabel = "SPEC", defaultValue = "epsilon:0.2:0.1",
      converter = Converters.ExplorationSpec.class,
      description = "Exploration of the serving bundles: none, epsilon:E, epsilon:E:MARGIN,"
          + " softmax:T:FLOOR. Default: ${DEFAULT-VALUE}.")
  Exploration exploration;

  @Option(names = "--start", paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "A bundle serving from the first call (default: cold start).")
  Path start;

  @Option(names = "--bandit-targets", paramLabel = "KIND", defaultValue = "DIRECT",
      description = "How retrainings learn from the log: DIRECT, IPS, DOUBLY_ROBUST."
          + " Default: ${DEFAULT-VALUE}.")
  BanditTargets targets;

  @Option(names = "--epochs", paramLabel = "E", defaultValue = "60",
      description = "Maximal epochs of each retraining that trains the network (IPS or"
          + " DOUBLY_ROBUST targets; DIRECT fits linear values in closed form)."
          + " Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--no-worse-check",
      description = "Do not put a deliberately worse candidate to the guard after N calls.")
  boolean noWorseCheck;

  @Option(names = "--design",
      description = "Design mode: the stream draws from train only and gap closed is measured on"
          + " valid (for comparing exploration and training choices without reading test).")
  boolean design;

  @Option(names = "--eval-candidates",
      description = "Also measure every candidate's gap closed (diagnosis).")
  boolean evalCandidates;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder; each seed writes into seed-S/ (required unless"
          + " --ope-check).")
  Path out;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Embedding cache folder (shared with 'haps train').")
  Path cacheDir;

  @Option(names = "--quiet", description = "No progress lines on stderr.")
  boolean quiet;

  /** Created by picocli. */
  SimulateCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (opeCheck != null) {
      List<dev.haps.eval.OffPolicyCheck.Run> rs = dev.haps.eval.OffPolicyCheck.run(data,
          dev.haps.data.Split.TEST, opeCheck, runs, cacheDir != null ? cacheDir
              : dev.haps.train.embed.EmbeddingStore.defaultCacheDir(), line -> {
                out.println(line);
                out.flush();
              });
      long covered = rs.stream().filter(dev.haps.eval.OffPolicyCheck.Run::covered).count();
      out.printf(Locale.ROOT, "DR 95 %% intervals covering the true value: %d of %d%n", covered,
          rs.size());
      return 0;
    }
    if (calls < 1 || this.out == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--calls C (at least 1) and --out DIR are required unless --ope-check is given");
    }
    TrainOptions options = TrainOptions.builder().banditTargets(targets).epochs(epochs).build();
    double sumGap = 0;
    for (long seed : seeds) {
      Simulation.Builder b = Simulation.builder().data(data).calls(calls)
          .retrainEvery(retrainEvery).seed(seed).exploration(exploration)
          .trainOptions(options).checkWorse(!noWorseCheck).designMode(design)
          .evaluateCandidates(evalCandidates).frontierAfter(frontierAfter)
          .out(this.out.resolve("seed-" + seed));
      if (warmup != null) {
        b.warmup(warmup);
      }
      if (start != null) {
        b.start(start);
      }
      if (cacheDir != null) {
        b.cacheDir(cacheDir);
      }
      if (!quiet) {
        b.progress(line -> {
          err.println("seed " + seed + ": " + line);
          err.flush();
        });
      }
      SimulationReport r = b.build().run();
      sumGap += r.finalTestGapClosed();
      out.printf(Locale.ROOT, "seed %d: %d calls, %d promotions, final test gap closed %.3f,"
          + " worse candidates promoted %d of %d; %s%n", seed, r.calls(), r.promotions(),
          r.finalTestGapClosed(), r.worseCandidatesPromoted(), r.worseCandidatesChecked(),
          r.out().resolve("learning-curve.json"));
      out.flush();
    }
    out.printf(Locale.ROOT, "mean final test gap closed over %d seeds: %.3f%n", seeds.size(),
        sumGap / seeds.size());
    return 0;
  }
}
