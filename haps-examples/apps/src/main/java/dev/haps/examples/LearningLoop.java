package dev.haps.examples;

import dev.haps.api.Exploration;
import dev.haps.api.RouteRequest;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.eval.OffPolicyEvaluation;
import dev.haps.eval.OffPolicyReport;
import dev.haps.eval.PromotionDecision;
import dev.haps.eval.Promoter;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The learning loop in one process: explore → log → join the scores → retrain → evaluate
 * off-policy → promote only when the guard says so, with a hot swap.
 *
 * <p>The "production traffic" is the bundled concise-cot log served by the offline replay
 * backend, whose answers carry the recorded score (standing in for a thumbs up, a passed test
 * or a judge's grade). Swap in your own providers, requests and scores; the rest stays.
 *
 * <pre>{@code
 * java -cp ... dev.haps.examples.LearningLoop            # work folder in a temp dir
 * java -cp ... dev.haps.examples.LearningLoop work/loop
 * }</pre>
 *
 * @since 0.1.0
 */
public final class LearningLoop {

  private LearningLoop() {}

  /**
   * Runs the example.
   *
   * @param args optionally the work folder
   * @throws IOException if the work folder cannot be created
   */
  public static void main(String[] args) throws IOException {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("haps-loop-");
    run(System.out, work, 300);
  }

  /**
   * Serves {@code calls} questions with exploration, logs them with their propensities, reports
   * each call's score, trains a candidate on the feedback log and puts it to the guard.
   *
   * @param out where to print
   * @param work the work folder (feedback/, serving/, candidate/)
   * @param calls how many calls to serve
   * @return the guard's decision
   */
  public static PromotionDecision run(PrintStream out, Path work, int calls) {
    Path feedback = work.resolve("feedback");
    Promoter promoter = Promoter.open(work.resolve("serving"));
    // The bundle serving today (the SDK's default) is adopted as the serving one.
    Path serving = promoter.serving().orElseGet(() -> promoter.adopt(defaultBundle(work)));
    List<QueryRecord> traffic = ReplayProvider.bundledLog().records(Split.TRAIN);
    try (HapsRouter router = HapsRouter.builder().bundle(serving)
            .exploration(Exploration.epsilonGreedy(0.2)).explorationSeed(42).build();
        RoutingClient client = RoutingClient.builder()
            .router(router)
            .provider("replay", ReplayProvider.bundled("replay"))
            .candidate("*", "replay")
            .feedbackLog(feedback)           // calls.jsonl + scores.jsonl, forced line by line
            .build()) {
      // 1. Explore and log: every call is written with the probability of its action.
      for (int i = 0; i < calls; i++) {
        QueryRecord q = traffic.get(i % traffic.size());
        CallResult r = client.call(RouteRequest.of(q.query(), (i % 11) / 10.0));
        // 2. The score arrives later, by call id.
        double score = Double.parseDouble(r.completion().attributes().get("score"));
        client.feedback(r.callId(), score);
      }
      // 3. Join calls and scores, and retrain on the bandit feedback.
      OutcomeLog log = OutcomeLog.load(feedback);
      Path candidate = work.resolve("candidate");
      Trainer.builder().log(log).output(candidate)
          .options(TrainOptions.builder().hiddenSizes(64).epochs(20).seed(7).build())
          .build().train();
      // 4. Off-policy evaluation on the held-out calls the serving bundle logged.
      String policy = router.currentBundle().routerSha256();
      OutcomeLog compared = Promoter.loggedBy(
          OutcomeLog.of(log.candidates(), log.records(Split.VALID)), policy);
      OffPolicyReport report = OffPolicyEvaluation.builder().log(compared).candidate(candidate)
          .exploration(Exploration.epsilonGreedy(0.2)).build().run();
      out.printf(Locale.ROOT, "%d calls logged; candidate DR reward %.4f [%.4f, %.4f] on %d"
          + " held-out calls (effective sample size %.1f); serving observed %.4f%n",
          log.records().size(), report.dr().reward().value(), report.dr().reward().low(),
          report.dr().reward().high(), report.rows(), report.effectiveSampleSize(),
          report.logged().reward().value());
      report.warnings().forEach(w -> out.println("warning: " + w));
      // 5. Guarded promotion: hot-swaps the router only when the lower bound wins.
      PromotionDecision d = promoter.consider(candidate, report, router);
      out.println((d.promoted() ? "promoted: " : "kept the serving bundle: ") + d.reason());
      return d;
    }
  }

  /** The SDK's default bundle as a folder (production has its bundle on disk already). */
  private static Path defaultBundle(Path work) {
    Path dir = work.resolve("default-bundle");
    try {
      Files.createDirectories(dir);
      for (String f : List.of("manifest.json", "router.onnx")) {
        try (InputStream in = HapsRouter.class.getClassLoader()
            .getResourceAsStream(HapsRouter.DEFAULT_BUNDLE + f)) {
          if (in == null) {
            throw new IllegalStateException("the default bundle is not on the class path");
          }
          Files.write(dir.resolve(f), in.readAllBytes());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the default bundle into " + dir, e);
    }
  }
}
