package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haps ask} end to end: router, routing client and the replay backend. */
class AskCommandTest {

  @TempDir Path tmp;

  @Test
  void ask_replay_printsAnswerAndOneSummaryLine() {
    QueryRecord q = ReplayProvider.bundledLog().records(Split.TEST).get(0);

    CliRun run = CliRun.of("ask", "--bundle", TestBundle.get().toString(), "--cost-weight", "0",
        q.query());

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().strip().split("\\R");
    assertThat(lines[0]).startsWith("[replay] gpt-").contains("recorded score")
        .contains(q.id());
    String summary = lines[lines.length - 1];
    assertThat(summary).startsWith("-- gpt-").contains(" via replay/gpt-", "prompt_style=",
        "tokens ", "cost $", "1 attempt");
  }

  @Test
  void ask_config_buildsTheClientFromTheFile() throws Exception {
    QueryRecord q = ReplayProvider.bundledLog().records(Split.TEST).get(5);
    Path config = Files.writeString(tmp.resolve("haps.json"), "{\"providers\": {\"offline\":"
        + " {\"type\": \"replay\"}}, \"candidates\": {\"*\": {\"provider\": \"offline\"}}}");

    CliRun run = CliRun.of("ask", "--config", config.toString(), "--cost-weight", "1",
        q.query());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("[replay] ", q.id(), "-- ", " via offline/");
  }

  @Test
  void ask_replayUnknownQuery_failsWithOneLineSayingWhatToDo() {
    CliRun run = CliRun.of("ask", "--bundle", TestBundle.get().toString(),
        "What is the capital of France?");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly("haps ask: the offline replay backend answers"
        + " only the 897 questions of its bundled concise-cot log, and this query is not one of"
        + " them; pass --config with a real provider (see 'haps ask --help'), or run 'haps"
        + " demo'");
  }

  @Test
  void ask_malformedConfig_failsWithOneLineNamingTheFile() throws Exception {
    Path config = Files.writeString(tmp.resolve("haps.json"), "{\"providers\": {");

    CliRun run = CliRun.of("ask", "--config", config.toString(), "--bundle",
        TestBundle.get().toString(), "q");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps ask: config file " + config + " is not valid JSON");
  }

  @Test
  void ask_configWithUnknownProviderType_failsWithOneLine() throws Exception {
    Path config = Files.writeString(tmp.resolve("haps.json"), "{\"providers\": {\"x\":"
        + " {\"type\": \"no-such-type\"}}, \"candidates\": {\"*\": {\"provider\": \"x\"}}}");

    CliRun run = CliRun.of("ask", "--config", config.toString(), "--bundle",
        TestBundle.get().toString(), "q");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString().startsWith("haps ask: ")
        .contains("no-such-type");
  }

  @Test
  void ask_configMappingAnUnknownModel_failsWithOneLine() throws Exception {
    Path config = Files.writeString(tmp.resolve("haps.json"), "{\"providers\": {\"r\":"
        + " {\"type\": \"replay\"}}, \"candidates\": {\"gpt-5\": {\"provider\": \"r\"}}}");

    CliRun run = CliRun.of("ask", "--config", config.toString(), "--bundle",
        TestBundle.get().toString(), "q");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps ask: the routing client cannot serve bundle haps-concise-cot@1: no"
            + " candidate of [gpt-35-turbo, gpt-4] is mapped to a provider");
  }
}
