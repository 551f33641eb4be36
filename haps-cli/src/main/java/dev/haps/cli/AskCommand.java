package dev.haps.cli;

import dev.haps.api.RouteRequest;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.client.CallResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code haps ask}: route one query and call the chosen model through the routing client. */
@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Route one query and call the model; print answer, tokens, cost.",
    description = {
      "Route one query and call the chosen model with the generated parameters through the"
          + " routing client (retries, then the next-ranked alternative on failure). Prints the"
          + " answer, then one summary line: model, parameters, tokens, cost and attempts.",
      "Without --config the call goes to the replay backend, which answers offline from the"
          + " bundled concise-cot outcome log (so the query must be one of its questions; 'haps"
          + " demo' uses them all).",
      ""},
    footerHeading = "%nConfiguration file (JSON; $${env:NAME} reads the environment variable"
        + " NAME):%n",
    footer = {
      "  {\"providers\": {",
      "     \"local\": {\"type\": \"openai\",",
      "               \"baseUrl\": \"$${env:OPENAI_BASE_URL}\",",
      "               \"apiKey\": \"$${env:OPENAI_API_KEY}\"}},",
      "   \"candidates\": {",
      "     \"gpt-4-1106-preview\": {\"provider\": \"local\", \"model\": \"gpt-4o\"},",
      "     \"*\": {\"provider\": \"local\"}}}",
      "",
      "'candidates' maps each bundle candidate to a provider instance and the model name that"
          + " provider knows it by; \"*\" maps every unmapped candidate under its own name.",
      "",
      "Example:",
      "  haps ask --config haps.json --cost-weight 0.2 \"What is 17 * 23?\""})
final class AskCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      converter = Converters.ExistingFile.class,
      description = "Routing client configuration (JSON, see below): provider instances and"
          + " the candidate mapping. Default: the offline replay backend for every candidate.")
  Path config;

  @Mixin RouterOptions routing;

  @Parameters(
      index = "0",
      paramLabel = "QUERY",
      description = "The query (the user message); quote it.")
  String query;

  /** Created by picocli. */
  AskCommand() {}

  @Override
  public Integer call() {
    RouteRequest request;
    try {
      request = RouteRequest.of(query, routing.costWeight);
    } catch (InvalidRequestException e) {
      throw new ParameterException(spec.commandLine(), Failures.oneLine(e.getMessage()));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Clients clients = config == null
        ? Clients.replay(Optional.ofNullable(routing.bundle))
        : Clients.fromConfig(config, Optional.ofNullable(routing.bundle))) {
      clients.replay().ifPresent(replay -> {
        if (replay.record(query).isEmpty()) {
          throw new ConfigurationException("the offline replay backend answers only the "
              + replay.log().records().size() + " questions of its bundled "
              + replay.log().benchmark() + " log, and this query is not one of them; pass"
              + " --config with a real provider (see 'haps ask --help'), or run 'haps demo'");
        }
      });
      CallResult result = clients.client().call(request);
      out.println(result.text());
      out.println();
      out.println("-- " + result.summary());
      out.flush();
      if (result.attempts().size() > 1
          || Failures.isVerbose(spec.root().commandLine().getParseResult())) {
        result.attempts().forEach(a -> err.println("   attempt " + a));
        err.flush();
      }
    }
    return 0;
  }
}
