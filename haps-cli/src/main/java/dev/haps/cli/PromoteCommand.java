package dev.haps.cli;

import dev.haps.api.Exploration;
import dev.haps.data.FeedbackLog;
import dev.haps.data.OutcomeLog;
import dev.haps.eval.OffPolicyEvaluation;
import dev.haps.eval.OffPolicyReport;
import dev.haps.eval.PromotionDecision;
import dev.haps.eval.Promoter;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.runtime.RouterBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haps promote}: guarded promotion of a candidate bundle. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    header = "Promote a candidate bundle only if off-policy evaluation says it is better.",
    description = {
      "Evaluates the candidate off-policy on the feedback log's valid calls (doubly robust, 95 %%"
          + " bootstrap interval) and promotes it into the serving folder (bundles/, serving.json"
          + " switched atomically) only when the interval's lower bound is above the serving"
          + " policy's observed mean reward on its own logged calls. Every decision, promoted or"
          + " not, is appended to promotions.jsonl with its figures. Exit code 0 either way;"
          + " the last line says what happened.",
      ""},
    footerHeading = "%nExample:%n",
    footer = {"  haps promote --log feedback --candidate bundles/candidate --serving serving"})
final class PromoteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--log", required = true, paramLabel = "DIR",
      converter = Converters.ExistingDirectory.class,
      description = "Feedback log folder (calls.jsonl, scores.jsonl, candidates.json).")
  Path log;

  @Option(names = "--candidate", required = true, paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class, description = "The candidate bundle.")
  Path candidate;

  @Option(names = "--serving", required = true, paramLabel = "DIR",
      description = "Serving folder (created if missing).")
  Path serving;

  @Option(names = "--exploration", paramLabel = "SPEC", defaultValue = "none",
      converter = Converters.ExplorationSpec.class,
      description = "Exploration the candidate will serve with. Default: ${DEFAULT-VALUE}.")
  Exploration exploration;

  @Option(names = "--join-window", paramLabel = "DURATION", defaultValue = "PT1H",
      description = "How long after a call its score is accepted (ISO-8601). Default:"
          + " ${DEFAULT-VALUE}.")
  Duration window;

  @Option(names = "--default-score", paramLabel = "S", defaultValue = "NaN",
      description = "Score of calls without feedback after the window; NaN drops them."
          + " Default: ${DEFAULT-VALUE}.")
  double defaultScore;

  @Option(names = "--current", paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "The bundle serving now, adopted into the serving folder when that has none"
          + " yet (its calls in the log are what the candidate is compared on). Default: the"
          + " serving folder's bundle, else the calls logged before any bundle served (policy"
          + " 'uniform').")
  Path current;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Embedding cache folder.")
  Path cacheDir;

  /** Created by picocli. */
  PromoteCommand() {}

  @Override
  public Integer call() {
    OutcomeLog joined = FeedbackLog.load(log, new FeedbackLog.JoinPolicy(window, defaultScore),
        Instant.now()).log();
    Promoter promoter = Promoter.open(serving);
    if (promoter.serving().isEmpty() && current != null) {
      promoter.adopt(current);
    }
    String policy = promoter.servingPolicy();
    // Compared on the valid calls the serving policy logged (held out from training).
    OutcomeLog compared = Promoter.loggedBy(OutcomeLog.of(joined.candidates(),
        joined.records(dev.haps.data.Split.VALID)), policy);
    CostTradeoff tradeoff = CostTradeoff.withCostScale(
        RouterBundle.load(candidate).costScale());
    if (compared.records().isEmpty()) {
      throw new IllegalArgumentException("the feedback log has no valid-split calls logged by"
          + " the serving policy " + policy + "; serve it for a while, then promote");
    }
    OffPolicyEvaluation.Builder ope = OffPolicyEvaluation.builder().log(compared)
        .candidate(candidate).exploration(exploration).tradeoff(tradeoff);
    if (cacheDir != null) {
      ope.cacheDir(cacheDir);
    }
    OffPolicyReport report = ope.build().run();
    PromotionDecision d = promoter.consider(candidate, report, null);
    PrintWriter out = spec.commandLine().getOut();
    EvalCommand.printOffPolicy(out, report);
    out.printf(Locale.ROOT, "serving %s observed %.4f over %d calls; candidate lower bound"
        + " %.4f%n", policy, d.servingObserved(), d.servingCalls(), d.candidateLow());
    out.println((d.promoted() ? "promoted: " : "not promoted: ") + d.reason());
    out.flush();
    return 0;
  }
}
