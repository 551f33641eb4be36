package dev.haps.cli;

import dev.haps.api.Candidate;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.data.CandidateModel;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.client.CallResult;
import dev.haps.data.Configuration;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.OutcomeTable;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code haps demo}: the bundled router on the bundled benchmark's test queries, offline. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Offline demo: HAPS vs best single vs cheapest, on bundled data.",
    description = {
      "Route every test question of the bundled concise-cot benchmark (897 multiple-choice"
          + " exam questions; GPT-3.5-Turbo and GPT-4, each under 4 prompt styles) with the"
          + " default bundle, call the chosen model with the chosen prompt style through the"
          + " routing client and the replay backend (recorded answers: no network, no API"
          + " keys), and compare HAPS with always calling the best single configuration and"
          + " always calling the cheapest one: mean score, mean cost per call, and share of"
          + " calls per model, at several cost weights.",
      "The best single and the cheapest configuration are chosen on the train split; all rows"
          + " are scored on the test split.",
      ""})
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--cost-weights",
      paramLabel = "W",
      split = ",",
      defaultValue = "0,0.3,0.7",
      converter = Converters.CostWeight.class,
      description = "Cost weights to compare at, comma-separated, each in [0, 1]: 0 = quality"
          + " first, 1 = cost first; the defaults span the range where the router mixes models"
          + " and prompt styles. Default: ${DEFAULT-VALUE}.")
  List<Double> costWeights;

  @Option(
      names = "--bundle",
      paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "Route with this bundle instead of the default one (its candidates must be"
          + " concise-cot's models).")
  Path bundle;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Use only N test questions, evenly spaced through the split so every task"
          + " is represented (a quick look). Default: all of them.")
  Integer limit;

  @Option(
      names = "--no-progress",
      description = "No progress bar on stderr.")
  boolean noProgress;

  /** Created by picocli. */
  DemoCommand() {}

  @Override
  public Integer call() {
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit
          + "; omit it to use every test question");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    try (Clients clients = Clients.replay(Optional.ofNullable(bundle))) {
      HapsRouter router = clients.router().orElseThrow();
      ReplayProvider replay = clients.replay().orElseThrow();
      OutcomeLog log = replay.log();
      checkCandidates(router, log);
      List<QueryRecord> test = log.records(Split.TEST);
      if (limit != null && limit < test.size()) {
        test = spread(test, limit);
      }
      // The best single and the cheapest configuration are the baselines' own choices.
      OutcomeTable train = OutcomeTable.of(log, Split.TRAIN);
      CostTradeoff tradeoff = Tradeoffs.of(router.currentBundle(), train.maxMeanCost());

      out.printf(Locale.ROOT, "HAPS demo: bundle %s on the %d test questions of %s%n",
          router.bundle(), test.size(), log.benchmark());
      out.printf(Locale.ROOT, "  %d configurations: {%s} x %s%n", train.configurations().size(),
          String.join(", ", log.candidates().ids()), parameterSummary(log));
      out.printf(Locale.ROOT, "  data licence: %s%n",
          log.candidates().license().orElse("see LICENSE-NOTICE.txt beside the data"));
      out.println("  Every question is routed and called through RoutingClient and the replay"
          + " backend (recorded outcomes: no network, no API keys).");
      out.flush();

      List<Row> rows = new ArrayList<>();
      int calls = test.size() * costWeights.size();
      int mismatched = 0;
      long routeNanos = 0;
      StageProgress progress = noProgress
          ? new StageProgress(new PrintWriter(Writer.nullWriter()), false)
          : new StageProgress(err, StageProgress.terminal());
      int done = 0;
      progress.update("routing", done, calls);
      for (double w : costWeights) {
        Tally haps = new Tally();
        for (QueryRecord q : test) {
          CallResult r = clients.client().call(RouteRequest.of(q.query(), w));
          routeNanos += r.decision().timings().totalNanos();
          haps.add(r.candidate(), score(r), r.costUsd());
          if (!recordedAsRouted(replay, q, r)) {
            mismatched++;
          }
          progress.update("routing", ++done, calls);
        }
        Configuration best = train.configurations().get(train.bestConfiguration(tradeoff, w));
        Configuration cheapest = train.configurations().get(train.cheapestConfiguration());
        rows.add(new Row(w, "HAPS", "routed per question", haps));
        rows.add(new Row(w, "best single", label(best), replayFixed(test, best)));
        rows.add(new Row(w, "cheapest", label(cheapest), replayFixed(test, cheapest)));
      }
      progress.endLine();
      if (mismatched > 0) {
        err.println("warning: for " + mismatched + " of " + calls + " calls the replay backend"
            + " answered with other parameters than the router chose (see the completion's"
            + " recorded_params); scores of those calls are not the routed configuration's");
        err.flush();
      }
      out.println();
      out.print(table(rows));
      out.println();
      out.printf(Locale.ROOT, "best single: the configuration with the best mean reward on the"
          + " train split at that cost weight%n  (reward = score - lambda(w) * cost / $%.4f; at"
          + " cost weight 0 simply the best mean score).%n", tradeoff.costScale());
      out.println("cheapest: the configuration with the lowest mean cost on the train split.");
      out.println("score: the recorded score of the configuration called (1 = the majority"
          + " answer of 10 samples was right).");
      out.printf(Locale.ROOT, "%d calls in %.1f s; routing took %.2f ms per call on average (a"
              + " question seen at an earlier cost weight reuses its cached embedding).%n", calls,
          (System.nanoTime() - start) / 1e9, routeNanos / 1e6 / Math.max(1, calls));
      out.flush();
    }
    return 0;
  }

  /** {@code prompt_style {baseline, concise}}: each parameter and the values it takes. */
  private static String parameterSummary(OutcomeLog log) {
    Map<String, String> values = new LinkedHashMap<>();
    for (CandidateModel m : log.candidates().models()) {
      for (ParameterSpec p : m.parameters().specs()) {
        values.putIfAbsent(p.name(), switch (p.kind()) {
          case CATEGORICAL -> "{" + String.join(", ", ((CategoricalSpec) p).choices()) + "}";
          case FLOAT, INT, TENSOR -> "(" + m.observedValues(p.name()).size() + " values)";
        });
      }
    }
    if (values.isEmpty()) {
      return "no parameters";
    }
    List<String> parts = new ArrayList<>();
    values.forEach((name, v) -> parts.add(name + " " + v));
    return String.join(" x ", parts);
  }

  /** {@code n} records evenly spaced through the list, so a quick look still covers every task. */
  static List<QueryRecord> spread(List<QueryRecord> all, int n) {
    List<QueryRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }

  /** One row of the table: a router at a cost weight. */
  private record Row(double costWeight, String router, String configuration, Tally tally) {}

  private static String table(List<Row> rows) {
    TextTable t = new TextTable("cost weight", "router", "configuration", ">mean score",
        ">mean cost", "calls per model");
    double previous = Double.NaN;
    for (Row r : rows) {
      if (!Double.isNaN(previous) && r.costWeight() != previous) {
        t.rule();
      }
      boolean first = r.costWeight() != previous;
      previous = r.costWeight();
      t.row(first ? DecisionFormat.number(r.costWeight()) : "", r.router(), r.configuration(),
          String.format(Locale.ROOT, "%.3f", r.tally().meanScore()),
          String.format(Locale.ROOT, "$%.5f", r.tally().meanCost()), r.tally().sharesText());
    }
    return t.toString();
  }

  /** A configuration as the table shows it: {@code gpt-4 prompt_style=concise}. */
  static String label(Configuration c) {
    return c.params().isEmpty() ? c.model() : c.model() + " "
        + DecisionFormat.parameters(c.params());
  }

  /** The recorded outcomes of one fixed configuration on the test questions. */
  private static Tally replayFixed(List<QueryRecord> test, Configuration config) {
    Tally t = new Tally();
    for (QueryRecord q : test) {
      Outcome o = q.outcome(config.model(), config.params()).orElseThrow(() ->
          new IllegalStateException("question " + q.id() + " has no outcome for "
              + label(config) + "; the bundled log should hold every configuration"));
      t.add(o.model(), o.score(), o.costUsd());
    }
    return t;
  }

  private static double score(CallResult r) {
    String s = r.completion().attributes().get("score");
    if (s == null) {
      throw new IllegalStateException("the backend of '" + r.candidate() + "' returned no"
          + " 'score' attribute; the demo needs the replay backend");
    }
    return Double.parseDouble(s);
  }

  /**
   * Whether the backend's answer is the recorded outcome of the configuration the router chose:
   * a check that every routed parameter reached the backend.
   */
  private static boolean recordedAsRouted(ReplayProvider replay, QueryRecord q, CallResult r) {
    Optional<Outcome> routed = replay.recordedOutcome(q.query(), r.candidate(), r.parameters());
    if (routed.isEmpty()) {
      return false;
    }
    Outcome o = routed.get();
    return o.score() == score(r) && Double.compare(o.costUsd(), r.costUsd()) == 0;
  }

  /** Every candidate of the bundle must be a model of the log, or replay cannot answer it. */
  private void checkCandidates(HapsRouter router, OutcomeLog log) {
    List<String> missing = new ArrayList<>();
    for (Candidate c : router.candidates()) {
      if (log.candidates().model(c.model()).isEmpty()) {
        missing.add(c.model());
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("bundle " + router.bundle() + " routes to " + missing
          + ", which the bundled " + log.benchmark() + " log does not hold (it holds "
          + log.candidates().ids() + "); the demo needs a bundle trained on "
          + log.benchmark());
    }
  }
}
