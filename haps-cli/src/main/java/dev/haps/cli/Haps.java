package dev.haps.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code haps} command line: route queries with a trained HAPS bundle, call the routed model,
 * train and evaluate bundles, and run the offline demo.
 *
 * <p>Exit codes: {@code 0} success, {@code 1} the command failed, {@code 2} bad usage (an unknown
 * option, a missing argument, a value out of range, a file that does not exist). Failures print
 * one line on stderr; {@code --verbose} adds the stack trace and INFO logging.
 *
 * <pre>{@code
 * java -jar haps-cli/target/haps.jar demo
 * java -jar haps-cli/target/haps.jar route --json "What is 17 * 23?"
 * }</pre>
 *
 * @since 0.1.0
 */
@Command(
    name = "haps",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    description = {
      "HAPS for Java: route each LLM call to the right model and the right parameters"
          + " (hierarchical routing, arXiv 2601.05903), in-process, with ONNX Runtime.",
      ""},
    subcommands = {
      DemoCommand.class,
      RouteCommand.class,
      AskCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      RecomputeCommand.class,
      CollectCommand.class,
      ServeCommand.class,
      DoctorCommand.class,
      PromoteCommand.class,
      SimulateCommand.class,
      CommandLine.HelpCommand.class},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
      "Exit codes: 0 ok, 1 the command failed, 2 bad usage.",
      "Run 'haps COMMAND --help' for a command's options. Start with 'haps demo': no network,"
          + " no API keys."})
public final class Haps implements Runnable {

  /** The system property slf4j-simple reads for its level; set before any logger exists. */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Log at INFO level and print the stack trace of a failure (both on stderr).")
  boolean verbose;

  /** Created by picocli. */
  Haps() {}

  /**
   * Runs the command line and exits the JVM with the command's exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String... args) {
    configureLogging(List.of(args));
    System.exit(commandLine().execute(args));
  }

  /**
   * Runs the command line with the given output streams and returns the exit code, without
   * exiting the JVM; for tests and for embedding.
   *
   * @param out where results go (stdout in {@link #main})
   * @param err where progress, warnings and errors go (stderr in {@link #main})
   * @param args the command-line arguments
   * @return 0 on success, 1 when the command failed, 2 on bad usage
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The configured picocli command line: failure handlers that print one line (the stack trace
   * only with {@code --verbose}), and exit codes 1 (failed) and 2 (bad usage).
   *
   * @return a new command line on stdout and stderr
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Haps());
    cl.setExecutionExceptionHandler(Failures::onExecutionFailure);
    cl.setParameterExceptionHandler(Failures::onBadUsage);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpLongOptionsMaxWidth(28);
    // Picocli prints the usage for --help even when an argument before it matched nothing
    // ('haps simulate --help'); a script must see that the command does not exist (exit 2).
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cl.setExecutionStrategy(parsed -> {
      for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
        if (!p.unmatched().isEmpty()) {
          throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(),
              p.unmatched());
        }
      }
      return runLast.execute(parsed);
    });
    return cl;
  }

  /**
   * Sets slf4j-simple's level before the first logger is created: WARN, or INFO when the
   * arguments include {@code --verbose}. A level given with {@code -D} on the JVM wins.
   */
  static void configureLogging(List<String> args) {
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null && args.contains("--verbose")) {
      System.setProperty(LOG_LEVEL_PROPERTY, "info");
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "no command given; choose one of "
        + String.join(", ", commandNames()) + " (start with 'haps demo')");
  }

  private List<String> commandNames() {
    return spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
  }
}
