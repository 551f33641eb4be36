package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code haps demo} end to end: the routing client and the replay backend on the test split. */
class DemoCommandTest {

  @Test
  void demo_printsTheComparisonTableAtEachCostWeight() {
    CliRun run = CliRun.of("demo", "--bundle", TestBundle.get().toString(), "--limit", "12",
        "--cost-weights", "0,1", "--no-progress");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("HAPS demo: bundle haps-concise-cot@1 on the 12 test questions of concise-cot",
        "cost weight  router", "mean score", "mean cost", "calls per model");
    assertThat(run.out().lines().filter(l -> l.contains("HAPS   ")).count()).isEqualTo(2);
    assertThat(run.out().lines().filter(l -> l.contains("best single")).count()).isEqualTo(3);
    assertThat(run.out()).containsPattern("cheapest +gpt-35-turbo prompt_style=baseline +0\\.\\d{3}"
        + " +\\$0\\.\\d{5} +gpt-35-turbo 100%");
    assertThat(run.out()).containsPattern("24 calls in \\d+\\.\\d s");
  }
}
