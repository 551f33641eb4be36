package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class HelpTest {

  static List<String> commands() {
    List<String> names = new ArrayList<>();
    Haps.commandLine().getSubcommands().forEach((name, cl) -> {
      if (!name.equals("help")) {
        names.add(name);
      }
    });
    return names;
  }

  @Test
  void commands_areTheOnesOfTheIssues() {
    assertThat(commands()).containsExactlyInAnyOrder("demo", "route", "ask", "train", "eval",
        "recompute", "collect", "serve", "doctor", "promote", "simulate");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void help_everyOptionAndParameter_isDescribedWithItsDefault(String name) {
    CommandSpec spec = Haps.commandLine().getSubcommands().get(name).getCommandSpec();

    assertThat(String.join(" ", spec.usageMessage().description())).as(name).hasSizeGreaterThan(80);
    for (OptionSpec o : spec.options()) {
      String d = String.join(" ", o.description());
      assertThat(d).as(name + " " + o.longestName()).isNotBlank().endsWith(".");
      if (o.defaultValue() != null) {
        assertThat(d).as(name + " " + o.longestName() + " shows its default")
            .contains("Default: " + o.defaultValue() + ".");
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      assertThat(String.join(" ", p.description())).as(name + " " + p.paramLabel()).isNotBlank();
    }
  }

  @ParameterizedTest
  @MethodSource("commands")
  void help_printsUsageToStdoutAndExitsZero(String name) {
    CliRun run = CliRun.of(name, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("Usage: haps " + name, "--help", "--version",
        "--verbose");
    assertThat(run.out()).doesNotContain("${DEFAULT-VALUE}", "%n");
  }

  @Test
  void help_top_listsCommandsAndExitCodes() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Commands:", "demo", "route", "ask", "train", "eval",
        "recompute", "promote", "simulate",
        "Exit codes: 0 ok, 1 the command failed, 2 bad usage.");
  }

  @Test
  void help_route_showsDefaultCostWeight() {
    assertThat(CliRun.of("route", "--help").out()).contains("Default: 0.5.");
  }

  @Test
  void help_ask_showsTheConfigFormatWithEnvironmentReferences() {
    assertThat(CliRun.of("ask", "--help").out())
        .contains("\"baseUrl\": \"${env:OPENAI_BASE_URL}\"", "\"*\": {\"provider\": \"local\"}");
  }

  @Test
  void version_printsTheSdkVersion() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("haps 0.1.0").contains("Java 17");
  }

  @Test
  void helpCommand_route_printsRouteUsage() {
    CliRun run = CliRun.of("help", "route");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: haps route");
  }

  @Test
  void commandLine_usesPicocliExitCodes() {
    CommandLine cl = Haps.commandLine();
    assertThat(cl.getCommandSpec().exitCodeOnInvalidInput()).isEqualTo(Failures.USAGE);
    assertThat(cl.getCommandSpec().exitCodeOnExecutionException()).isEqualTo(Failures.FAILED);
  }
}
