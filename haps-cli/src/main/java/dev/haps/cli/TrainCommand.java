package dev.haps.cli;

import dev.haps.data.Configuration;
import dev.haps.data.BadLinePolicy;
import dev.haps.data.CostCoverage;
import dev.haps.data.OutcomeLog;
import dev.haps.data.OutcomeLogException;
import dev.haps.data.Split;
import dev.haps.spi.Truncation;
import dev.haps.train.FineTuneOptions;
import dev.haps.train.HeadKind;
import dev.haps.train.TrainOptions;
import dev.haps.train.TrainResult;
import dev.haps.train.Trainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code haps train}: train a HAPS router bundle from an outcome log. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Train a HAPS router bundle from an outcome log.",
    description = {
      "Train a HAPS router bundle (manifest.json + router.onnx) from a benchmark's outcome log:"
          + " a shared trunk over the query embedding, a high-level head over the candidate"
          + " models and one parameter generator per candidate, with a supervised warm-up then"
          + " policy gradient on the train split, checkpoints chosen on valid. The test split"
          + " is never read. Query embeddings are cached on disk, so a second run starts"
          + " faster.",
      ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  haps train --data ../shared/data/concise-cot --out bundles/concise-cot",
      "  haps train --data ../shared/data/concise-cot --out no-sharing.zip --no-sharing"})
final class TrainCommand implements Callable<Integer> {

  /** The defaults shown in --help are the options record's own. */
  private static final TrainOptions DEFAULTS = TrainOptions.defaults();

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Benchmark folder holding candidates.json and outcomes.jsonl (the"
          + " outcome-log format) with train and valid queries.")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "BUNDLE",
      description = "Where to write the bundle: a directory (created; existing bundle files"
          + " are replaced), or a file ending in .zip.")
  Path out;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Random seed (initialisation, minibatches, sampling); the same data, options"
          + " and seed give the same bundle. Default: ${DEFAULT-VALUE}.")
  long seed = DEFAULTS.seed();

  @Option(
      names = "--quiet",
      description = "No progress on stderr.")
  boolean quiet;

  @Option(
      names = "--ensemble",
      paramLabel = "N",
      description = "Networks trained from different seeds and averaged inside the exported"
          + " graph. Default: ${DEFAULT-VALUE}.")
  int ensemble = DEFAULTS.ensemble();

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Training epochs of the residual (fixed; with --no-linear-path the most"
          + " epochs, early stopping on valid usually ends sooner). Default: ${DEFAULT-VALUE}.")
  int epochs = DEFAULTS.epochs();

  @Option(
      names = "--rl-steps",
      paramLabel = "N",
      description = "Policy-gradient steps after the warm-up; 0 skips that phase. Default:"
          + " ${DEFAULT-VALUE}.")
  int rlSteps = DEFAULTS.rlSteps();

  @Option(
      names = "--hidden",
      paramLabel = "N[,N...]",
      converter = Sizes.Converter.class,
      description = "Trunk hidden layer sizes, comma-separated. Default: ${DEFAULT-VALUE}.")
  Sizes hidden = new Sizes(DEFAULTS.hiddenSizes());

  @Option(
      names = "--head",
      paramLabel = "KIND",
      description = "Head kind: POLICY (the paper's heads: model logits, one parameter"
          + " generator per candidate) or VALUE (per configuration expected score and cost,"
          + " combined with the cost weight). Default: ${DEFAULT-VALUE}.")
  HeadKind head = DEFAULTS.head();

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "Token budget of the query encoder (recorded in the bundle). Default:"
          + " ${DEFAULT-VALUE}.")
  int maxTokens = DEFAULTS.maxTokens();

  @Option(
      names = "--truncation",
      paramLabel = "RULE",
      description = "How longer queries are cut: ${COMPLETION-CANDIDATES} (recorded in the"
          + " bundle). Default: ${DEFAULT-VALUE}.")
  Truncation truncation = DEFAULTS.truncation();

  @Option(
      names = "--no-linear-path",
      description = "Ablation: no closed-form linear path and no cross-validation; the"
          + " network alone, checkpoints chosen on valid. The recipe before issue 19 was this"
          + " with --epochs 60 --weight-decay 1e-4 --rl-steps 300.")
  boolean noLinearPath;

  @Option(
      names = "--cv-folds",
      paramLabel = "K",
      description = "Folds of the cross-validation over train+valid that chooses alpha and"
          + " gamma and estimates gap closed. Default: ${DEFAULT-VALUE}.")
  int cvFolds = DEFAULTS.cvFolds();

  @Option(
      names = "--linear-alpha",
      paramLabel = "A",
      description = "Ridge penalty of the linear path; 0 chooses it by cross-validation from"
          + " 10, 20, 30, 50, 100. Default: ${DEFAULT-VALUE}.")
  double linearAlpha = DEFAULTS.linearAlpha();

  @Option(
      names = "--residual-scale",
      paramLabel = "G",
      description = "Scale of the trained residual next to the linear path; negative chooses it"
          + " by cross-validation from 0, 0.25, 0.5, 1; 0 is the 'linear path only' ablation."
          + " Default: ${DEFAULT-VALUE}.")
  double residualScale = DEFAULTS.residualScale();

  @Option(
      names = "--weight-decay",
      paramLabel = "D",
      description = "Decoupled weight decay of the trunk and generator weights. Default:"
          + " ${DEFAULT-VALUE}.")
  double weightDecay = DEFAULTS.weightDecay();

  @Option(
      names = "--no-sharing",
      description = "Ablation: each parameter generator gets its own trunk instead of reading"
          + " the shared one.")
  boolean noSharing;

  @Option(
      names = "--no-low-level-router",
      description = "Ablation: no parameter generation; every model runs with its default"
          + " parameters.")
  boolean noLowLevelRouter;

  @Option(
      names = "--warmup-only",
      description = "Ablation: stop after the supervised warm-up (no policy gradient).")
  boolean warmupOnly;

  @Option(
      names = "--failure-augmentation",
      description = "HAPS's reward augmentation: a score of 0 counts as -1 in training.")
  boolean failureAugmentation;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads; the result does not depend on it. Default: min(2, CPUs).")
  Integer threads;

  @Option(
      names = "--skip-bad-lines",
      description = "Skip lines of outcomes.jsonl that are not valid records (each with a"
          + " warning; the summary counts them) instead of failing on the first one. A torn last"
          + " line, left by a crash during an append, is always skipped.")
  boolean skipBadLines;

  @Option(
      names = "--fine-tune-layers",
      paramLabel = "N",
      description = "Fine-tune the encoder's top N layers (1-5) with the heads; the bundle then"
          + " carries them as encoder-top.onnx. Needs haps-train-torch (docs/fine-tuning.md);"
          + " implies --ensemble 1 and the checkpointed recipe (no"
          + " cross-validation: the embeddings change while training). Default: 0 (frozen"
          + " encoder).")
  int fineTuneLayers;

  @Option(
      names = "--fine-tune-lr",
      paramLabel = "RATE",
      description = "Learning rate of the fine-tuned encoder layers (the heads use 10x). Default:"
          + " ${DEFAULT-VALUE}.")
  double fineTuneLr = FineTuneOptions.NONE.learningRate();

  @Option(
      names = "--fine-tune-epochs",
      paramLabel = "N",
      description = "Most fine-tuning epochs (early stopping on valid usually ends sooner)."
          + " Default: ${DEFAULT-VALUE}.")
  int fineTuneEpochs = FineTuneOptions.NONE.epochs();

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "Embedding cache folder. Default: $$HAPS_EMBEDDING_CACHE if set, else"
          + " ~/.cache/haps/embeddings (a -Dhaps.embedding.cache=DIR system property wins).")
  Path cacheDir;

  /** Created by picocli. */
  TrainCommand() {}

  @Override
  public Integer call() {
    boolean zip = out.getFileName() != null
        && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    if (zip ? Files.isDirectory(out) : Files.isRegularFile(out)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is "
          + (zip ? "a directory" : "a file") + "; give a new or bundle directory, or a path"
          + " ending in .zip");
    }
    Trainer.Builder b = Trainer.builder();
    try {
      b.options(options());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), Failures.oneLine(e.getMessage()));
    }
    if (cacheDir != null) {
      b.cacheDir(cacheDir);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (!quiet) {
      StageProgress progress = new StageProgress(err, StageProgress.terminal());
      progress.status("loading " + data);
      b.listener(progress);
    }
    OutcomeLog log = load();
    b.log(log);
    Path dir = out;
    Path staging = null;
    try {
      if (zip) {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        staging = Files.createTempDirectory(parent, ".haps-train-");
        dir = staging;
      }
      TrainResult r = b.output(dir).build().train();
      if (zip) {
        zip(staging, out);
      }
      report(r, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (staging != null) {
        deleteQuietly(staging);
      }
    }
    return 0;
  }

  /** Loads the log; a bad line fails with its file and line, and the flag that skips it. */
  private OutcomeLog load() {
    try {
      return OutcomeLog.load(data, skipBadLines ? BadLinePolicy.SKIP : BadLinePolicy.FAIL);
    } catch (OutcomeLogException e) {
      if (e.line().isPresent()) {
        throw new OutcomeLogException(e.source(), e.line().getAsLong(), e.getMessage()
            + " (or pass --skip-bad-lines to train on the other lines)", e);
      }
      throw e;
    }
  }

  /** Every option of the command line, in one place, onto the options record. */
  private TrainOptions options() {
    TrainOptions.Builder o = TrainOptions.builder()
        .seed(seed)
        // Fine-tuning trains one encoder with one network: one member unless asked otherwise.
        .ensemble(fineTuneLayers != 0
            && !spec.commandLine().getParseResult().hasMatchedOption("--ensemble") ? 1 : ensemble)
        .epochs(epochs)
        .rlSteps(rlSteps)
        .hiddenSizes(hidden.values().stream().mapToInt(Integer::intValue).toArray())
        .head(head)
        .maxTokens(maxTokens)
        .truncation(truncation)
        .parameterSharing(!noSharing)
        .lowLevelRouter(!noLowLevelRouter)
        .warmupOnly(warmupOnly)
        .failureAugmentation(failureAugmentation)
        .linearPath(!noLinearPath)
        .cvFolds(cvFolds)
        .linearAlpha(linearAlpha)
        .residualScale(residualScale)
        .weightDecay(weightDecay);
    if (threads != null) {
      o.threads(threads);
    }
    if (fineTuneLayers != 0) {
      o.fineTune(FineTuneOptions.layers(fineTuneLayers)
          .withLearningRates(fineTuneLr, 10 * fineTuneLr)
          .withEpochs(fineTuneEpochs, FineTuneOptions.NONE.patience()));
    }
    return o.build();
  }

  private void report(TrainResult r, OutcomeLog log) {
    PrintWriter o = spec.commandLine().getOut();
    DecisionFormat.Block block = new DecisionFormat.Block();
    block.line("bundle", out + (Files.isDirectory(out) ? " (manifest.json + router.onnx)" : ""));
    block.line("benchmark", r.benchmark() + " (data sha256 " + r.dataSha256().substring(0,
        Math.min(12, r.dataSha256().length())) + "..., seed " + r.options().seed() + ")");
    Map<String, Integer> perModel = new TreeMap<>();
    for (Configuration c : r.configurations()) {
      perModel.merge(c.model(), 1, Integer::sum);
    }
    StringBuilder configs = new StringBuilder().append(r.configurations().size()).append(" (");
    perModel.forEach((m, n) -> configs.append(configs.charAt(configs.length() - 1) == '('
        ? "" : ", ").append(m).append(" x").append(n));
    block.line("configurations", configs.append(')').toString());
    block.line("queries", String.format(Locale.ROOT, "train %d, valid %d used (test %d not"
        + " read)", log.records(Split.TRAIN).size(), log.records(Split.VALID).size(),
        log.records(Split.TEST).size()));
    if (log.badLinesSkipped() > 0 || log.tornLinesSkipped() > 0) {
      block.line("skipped", skippedLines(log));
    }
    block.line("costs", costs(log.costs()));
    r.crossValidation().ifPresent(cv -> {
      block.line("cross-validated", String.format(Locale.ROOT, "gap closed %.3f (95%% %.3f to"
          + " %.3f), pooled out-of-fold over %d folds of train+valid; per fold %.3f ± %.3f",
          cv.pooledGapClosed(), cv.pooledLow(), cv.pooledHigh(), cv.folds(),
          cv.meanGapClosed(), cv.sdGapClosed()));
      if (!Double.isNaN(cv.taskUniformGapClosed())) {
        block.line("task-mix shift", String.format(Locale.ROOT, "gap closed %.3f with the %d"
            + " tasks weighted equally", cv.taskUniformGapClosed(), cv.tasks()));
      }
      block.line("chosen", String.format(Locale.ROOT, "alpha %s%s%s, gamma %s (by"
          + " cross-validation; model refit on train+valid)", DecisionFormat.number(cv.alpha()),
          cv.taskBalanced() ? " with task-balancing weights" : "",
          cv.rank() > 0 ? ", linear path of rank " + cv.rank() : "",
          DecisionFormat.number(cv.gamma())));
    });
    // On bandit feedback (one logged action per call) there is no oracle and no AIQ: the
    // metric is the importance-sampling estimate of the mean reward (docs/learning-loop.md).
    block.line("valid", Double.isNaN(r.validGapClosed())
        ? String.format(Locale.ROOT, "estimated mean reward %.4f (bandit feedback: self-normalised"
            + " importance sampling; see 'haps eval --log')", r.validMeanReward())
        : String.format(Locale.ROOT, "AIQ %.4f, gap closed %.3f, mean reward %.4f%s",
            r.validMetric(), r.validGapClosed(), r.validMeanReward(),
            r.crossValidation().isPresent() ? " (in-sample: valid is part of the refit)" : ""));
    block.line("encoder", r.encoder().id() + ", " + r.encoder().maxTokens() + " tokens, "
        + r.encoder().truncation());
    r.encoderTop().ifPresent(top -> block.line("fine-tuned", String.format(Locale.ROOT,
        "top %d of %d layers (encoder-top.onnx), kept epoch %s of %s",
        top.topLayers(), top.baseLayers() + top.topLayers(), r.fineTune().get("bestEpoch"),
        r.fineTune().get("epochs"))));
    block.line("time", String.format(Locale.ROOT, "embedding %.1f s, training %.1f s, total"
        + " %.1f s", r.embedSeconds(), r.trainSeconds(), r.totalSeconds()));
    o.print(block);
    o.flush();
  }

  private static String skippedLines(OutcomeLog log) {
    StringBuilder sb = new StringBuilder();
    if (log.badLinesSkipped() > 0) {
      sb.append(log.badLinesSkipped()).append(log.badLinesSkipped() == 1 ? " bad line" :
          " bad lines").append(" (--skip-bad-lines; each named in a warning above)");
    }
    if (log.tornLinesSkipped() > 0) {
      sb.append(sb.length() > 0 ? ", " : "").append("a torn last line (an append cut short by"
          + " a crash)");
    }
    return sb.toString();
  }

  private static String costs(CostCoverage c) {
    if (c.none()) {
      return "none in the log: trained cost-blind, the bundle states no expected cost";
    }
    StringBuilder sb = new StringBuilder().append(c.recorded()).append(" recorded");
    if (c.derived() > 0) {
      sb.append(", ").append(c.derived()).append(" derived from price_per_mtok and tokens");
    }
    if (c.unknown() > 0) {
      sb.append(", ").append(c.unknown()).append(" unknown (counted as $0)");
    }
    return sb.toString();
  }

  /** Zips the bundle files of {@code dir} into {@code zipFile}, replacing it. */
  private static void zip(Path dir, Path zipFile) throws IOException {
    Path tmp = zipFile.resolveSibling(zipFile.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        ZipOutputStream zos = new ZipOutputStream(os);
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        zos.putNextEntry(new ZipEntry(f.getFileName().toString()));
        Files.copy(f, zos);
        zos.closeEntry();
      }
    }
    Files.move(tmp, zipFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary folder is harmless; the bundle itself was written or reported.
    }
  }

  /** Layer sizes as {@code --hidden} spells them: {@code 256} or {@code 128,64}. */
  record Sizes(List<Integer> values) {

    @Override
    public String toString() {
      return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Parses comma-separated whole numbers. */
    static final class Converter implements ITypeConverter<Sizes> {
      Converter() {}

      @Override
      public Sizes convert(String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
          try {
            out.add(Integer.parseInt(part.strip()));
          } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a list of layer sizes; give"
                + " whole numbers separated by commas, e.g. 256 or 128,64");
          }
        }
        return new Sizes(List.copyOf(out));
      }
    }
  }
}
