package dev.haps.cli;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.runtime.HapsRouter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haps route}: the routing decision for each query, as text or JSON Lines. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Route queries; print model, parameters, alternatives, timings.",
    description = {
      "Route queries with a HAPS bundle and print each decision: the chosen model and its"
          + " generated parameters, the probability of every candidate, the ranked alternatives"
          + " (each with its own parameters and expected cost), and the time spent encoding the"
          + " query and running the router. Nothing is called: see 'haps ask' for that.",
      ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  haps route \"Which gas makes up most of Earth's atmosphere? (A) O2 (B) N2\"",
      "  haps route --cost-weight 1 --json \"first question\" \"second question\""})
final class RouteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RouterOptions routing;

  @Option(
      names = "--json",
      description = "Print one JSON object per query (JSON Lines) instead of text.")
  boolean json;

  @Parameters(
      arity = "1..*",
      paramLabel = "QUERY",
      description = "One or more queries; quote each one.")
  List<String> queries;

  /** Created by picocli. */
  RouteCommand() {}

  @Override
  public Integer call() {
    // Validate every query before loading anything, so bad input is a usage error.
    List<RouteRequest> requests = new ArrayList<>(queries.size());
    for (String q : queries) {
      try {
        requests.add(RouteRequest.of(q, routing.costWeight));
      } catch (InvalidRequestException e) {
        throw new ParameterException(spec.commandLine(), Failures.oneLine(e.getMessage()));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (HapsRouter router = Bundles.router(Optional.ofNullable(routing.bundle))) {
      // One at a time, so each decision's timings are its own (a batch shares them).
      for (int i = 0; i < requests.size(); i++) {
        RouteDecision d = router.route(requests.get(i));
        if (json) {
          out.println(DecisionFormat.json(queries.get(i), routing.costWeight, d));
        } else {
          if (i > 0) {
            out.println();
          }
          out.print(DecisionFormat.text(queries.get(i), routing.costWeight, d));
        }
        out.flush();
      }
    }
    out.flush();
    return 0;
  }
}
