package dev.haps.examples;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.train.TrainOptions;
import dev.haps.train.TrainResult;
import dev.haps.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Trains a HAPS router bundle from an outcome log and routes with it.
 *
 * <p>The log is a few tasks of the concise-cot benchmark bundled with the replay provider (a
 * small subset, so this takes seconds); point it at any folder in the outcome-log format
 * ({@code candidates.json} + {@code outcomes.jsonl}) instead, such as your application's
 * feedback log written by {@code RoutingClient.feedback}. Training reads only the {@code train}
 * and {@code valid} splits; the example then routes a few {@code test} questions and shows what
 * the log recorded for the chosen configuration.
 *
 * <pre>{@code
 * java -cp ... dev.haps.examples.TrainFromLogs                      # bundled subset -> temp dir
 * java -cp ... dev.haps.examples.TrainFromLogs ../shared/data/concise-cot bundles/mine
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TrainFromLogs {

  /** The bundled tasks used when no log is given. */
  static final Set<String> SUBSET_TASKS =
      Set.of("arc/arc-challenge-test", "agi-eval/sat-math");

  private TrainFromLogs() {}

  /**
   * Runs the example.
   *
   * @param args optionally the log folder, then the bundle folder to write
   * @throws IOException if the temporary bundle folder cannot be created
   */
  public static void main(String[] args) throws IOException {
    OutcomeLog log = args.length > 0 ? OutcomeLog.load(Path.of(args[0])) : bundledSubset();
    Path out = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("haps-bundle-");
    run(System.out, log, out);
  }

  /**
   * A few tasks of the bundled concise-cot log.
   *
   * @return the subset, with its train, valid and test questions
   */
  public static OutcomeLog bundledSubset() {
    OutcomeLog all = ReplayProvider.bundledLog();
    List<QueryRecord> some = new ArrayList<>();
    for (QueryRecord r : all.records()) {
      if (SUBSET_TASKS.contains(r.task())) {
        some.add(r);
      }
    }
    return OutcomeLog.of(all.candidates(), some);
  }

  /**
   * Trains a small bundle from {@code log} into {@code bundleDir}, then routes three test
   * questions with it.
   *
   * @param out where to print
   * @param log the outcome log (with train and valid questions)
   * @param bundleDir where to write the bundle
   * @return the decisions for the routed test questions
   */
  public static List<RouteDecision> run(PrintStream out, OutcomeLog log, Path bundleDir) {
    out.printf(Locale.ROOT, "training on %s: %d train, %d valid questions%n", log.benchmark(),
        log.records(Split.TRAIN).size(), log.records(Split.VALID).size());
    TrainResult trained = Trainer.builder()
        .log(log)
        .output(bundleDir)
        .options(TrainOptions.builder()
            .seed(42)
            .hiddenSizes(64)      // small and quick; the default trunk is 256 wide
            .epochs(20)           // the residual's fixed epochs (default 30)
            .build())
        .build()
        .train();
    // The default recipe refits on train+valid, so valid is in-sample: the cross-validated
    // figure is the one that says how the bundle does on questions it has not seen.
    out.printf(Locale.ROOT, "bundle %s: valid AIQ %.4f (in-sample), %.1f s%n",
        bundleDir, trained.validMetric(), trained.totalSeconds());
    trained.crossValidation().ifPresent(cv -> out.printf(Locale.ROOT,
        "cross-validated gap closed %.3f [%.3f, %.3f] over %d folds%n",
        cv.pooledGapClosed(), cv.pooledLow(), cv.pooledHigh(), cv.folds()));

    List<RouteDecision> decisions = new ArrayList<>();
    try (HapsRouter router = HapsRouter.builder().bundle(bundleDir).build()) {
      List<QueryRecord> test = log.records(Split.TEST);
      for (QueryRecord q : test.subList(0, Math.min(3, test.size()))) {
        for (double w : new double[] {0.0, 1.0}) {
          RouteDecision d = router.route(RouteRequest.of(q.query(), w));
          decisions.add(d);
          String recorded = q.outcome(d.model(), d.parameters())
              .map(TrainFromLogs::describe).orElse("not in the log");
          out.printf(Locale.ROOT, "%-28s cost weight %.1f -> %s %s (p=%.2f); recorded: %s%n",
              q.id(), w, d.model(), d.parameters(), d.chosen().probability(), recorded);
        }
      }
    }
    return decisions;
  }

  private static String describe(Outcome o) {
    return String.format(Locale.ROOT, "score %.0f, cost $%.5f", o.score(), o.costUsd());
  }
}
