package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code haps demo} end to end with the default bundle: the routing client and the replay
 * backend on the test split of the bundled benchmark.
 */
class DemoCommandTest {

  @Test
  void demo_defaults_printsTheComparisonTableAtThreeCostWeights() {
    CliRun run = CliRun.of("demo", "--no-progress");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains(
        "HAPS demo: bundle haps-concise-cot@1 on the 180 test questions of concise-cot",
        "8 configurations: {gpt-35-turbo, gpt-4} x prompt_style {baseline, concise,"
            + " chain_of_thought, composite}",
        "cost weight  router", "mean score", "mean cost", "calls per model");
    assertThat(run.out()).containsPattern("(?m)^0 +HAPS +routed per question +0\\.\\d{3} +\\$");
    assertThat(run.out()).containsPattern("(?m)^0\\.3 +HAPS ");
    assertThat(run.out()).containsPattern("(?m)^0\\.7 +HAPS ");
    // Chosen on train: the best mean score at cost weight 0, the lowest mean cost for cheapest.
    assertThat(run.out()).containsPattern("best single +gpt-4 prompt_style=concise +0\\.783"
        + " +\\$0\\.06854 +gpt-4 100%");
    assertThat(run.out()).containsPattern("cheapest +gpt-35-turbo prompt_style=baseline"
        + " +0\\.583 +\\$0\\.00096 +gpt-35-turbo 100%");
    assertThat(run.out()).containsPattern("540 calls in \\d+\\.\\d s");
  }

  @Test
  void demo_limitAndBundlePath_routeThatManyQuestionsWithThatBundle() {
    CliRun run = CliRun.of("demo", "--bundle", TestBundle.get().toString(), "--limit", "12",
        "--cost-weights", "0,1", "--no-progress");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("on the 12 test questions of concise-cot");
    assertThat(run.out().lines().filter(l -> l.contains(" HAPS ")).count()).isEqualTo(2);
    assertThat(run.out()).containsPattern("24 calls in \\d+\\.\\d s");
  }

  @Test
  void spread_picksEvenlySpacedRecords() {
    List<QueryRecord> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(QueryRecord.of("q" + i, "task", Split.TEST, "text " + i, List.of()));
    }

    assertThat(DemoCommand.spread(all, 3)).extracting(QueryRecord::id)
        .containsExactly("q0", "q3", "q6");
  }

  @Test
  void label_isTheModelAndItsParametersAsTheTableShowsThem() {
    assertThat(DemoCommand.label(new Configuration("small",
        ParameterValues.of(Map.of("style", "short"))))).isEqualTo("small style=short");
    assertThat(DemoCommand.label(new Configuration("small", ParameterValues.empty())))
        .isEqualTo("small");
  }
}
