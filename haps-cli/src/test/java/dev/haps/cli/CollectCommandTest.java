package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.provider.replay.ReplayProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haps collect} end to end, offline, as docs/collect.md runs it: the replay provider
 * stands in for the backends, and a regex judge reads the score replay recorded.
 */
class CollectCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path config() throws Exception {
    return Files.writeString(tmp.resolve("collect.json"), "{\n"
        + "  \"benchmark\": \"my-first-log\",\n"
        + "  \"providers\": {\"offline\": {\"type\": \"replay\"}},\n"
        + "  \"candidates\": {\n"
        + "    \"gpt-35-turbo\": {\"provider\": \"offline\",\n"
        + "                     \"parameters\": {\"prompt_style\": [\"baseline\", \"concise\"]}},\n"
        + "    \"gpt-4\": {\"provider\": \"offline\",\n"
        + "              \"parameters\": {\"prompt_style\": [\"baseline\", \"concise\"]}}\n"
        + "  },\n"
        + "  \"judge\": {\"type\": \"regex\", \"pattern\": \"recorded score 1\\\\.0\"}\n"
        + "}\n");
  }

  private Path queries(int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (QueryRecord r : ReplayProvider.bundledLog().records().subList(0, n)) {
      ObjectNode o = JSON.createObjectNode();
      o.put("id", r.id());
      o.put("task", r.task());
      o.put("split", r.split().wireName());
      o.put("query", r.query());
      o.put("answer", r.answer().orElse(""));
      sb.append(o).append('\n');
    }
    return Files.writeString(tmp.resolve("queries.jsonl"), sb.toString());
  }

  @Test
  void collect_replay_writesALogWithTheRecordedScoresAndResumes() throws Exception {
    Path config = config();
    Path queries = queries(30);
    Path out = tmp.resolve("log");

    CliRun dry = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", out.toString(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("plan: 120 pairs, 0 done before, 120 calls to make;"
        + " estimated $");
    assertThat(out.resolve("outcomes.jsonl")).doesNotExist();

    CliRun run = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", out.toString(), "--limit", "25", "--quiet");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("my-first-log: 25 of 25 queries in the log",
        "100 planned: 100 graded, 0 ungraded, 0 failed, 0 not run; 100 calls this run",
        "gpt-4 prompt_style=concise", "best single", "oracle",
        "next: haps train --data " + out);

    OutcomeLog log = OutcomeLog.load(out);
    assertThat(log.records()).hasSize(25);
    assertThat(log.outcomeCount()).isEqualTo(100);
    OutcomeLog bundled = ReplayProvider.bundledLog();
    for (QueryRecord r : log.records()) {
      QueryRecord original = bundled.record(r.id()).orElseThrow();
      assertThat(r.split()).isEqualTo(original.split());
      for (Outcome o : r.outcomes()) {
        Outcome recorded = original.outcome(o.model(), o.params()).orElseThrow();
        assertThat(o.score()).isEqualTo(recorded.score());
        assertThat(o.costUsd()).isEqualTo(recorded.costUsd());
        assertThat(o.inputTokens()).isEqualTo(recorded.inputTokens());
      }
    }
    assertThat(log.observedValues("gpt-4", "prompt_style")).containsExactly("baseline",
        "concise");

    CliRun again = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", out.toString(), "--limit", "25", "--quiet");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("0 calls this run");
    assertThat(again.err()).contains("plan: 100 pairs, 100 done before, 0 calls to make");
  }

  @Test
  void collect_pairsWithoutAScore_areListedAndTheExitCodeSaysIncomplete() throws Exception {
    Path config = config();
    // A query replay does not hold: every call is refused (400), and is reported per pair.
    Path queries = Files.writeString(tmp.resolve("q.txt"), "What is the capital of France?\n");
    CliRun run = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", tmp.resolve("log").toString(), "--quiet");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("4 pairs without a score (all in summary.json):",
        "call_failed: BAD_REQUEST after 1 attempt: replay provider 'offline' has no"
            + " recorded query matching 'What is the capital of France?'");
    String[] err = run.errLines();
    assertThat(err[err.length - 1]).startsWith("haps collect: 4 pairs failed and 0"
        + " did not run; the log holds the rest. Run the same command again");
  }

  @Test
  void collect_badUsage_exitsTwoWithOneLine() throws Exception {
    Path config = config();
    Path queries = queries(2);
    CliRun run = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", tmp.resolve("x").toString(), "--judge-setting", "a=b");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("--judge-setting needs --judge TYPE");
    CliRun shares = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", tmp.resolve("x").toString(), "--split-shares", "0.9,0.3");
    assertThat(shares.exitCode()).isEqualTo(2);
    assertThat(shares.err()).contains("split shares must be");
    CliRun badJudge = CliRun.of("collect", "--config", config.toString(), "--queries",
        queries.toString(), "--out", tmp.resolve("x").toString(), "--judge", "numeric",
        "--judge-setting", "tolerance=abc");
    assertThat(badJudge.exitCode()).isEqualTo(1);
    assertThat(badJudge.errLines()).containsExactly("haps collect: --judge numeric{tolerance=abc}:"
        + " judge 'numeric' setting 'tolerance' = 'abc' is not a finite number");
  }

}
