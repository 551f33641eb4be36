package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.ParameterValues;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loads the two shared benchmarks and checks them against the figures in their READMEs. */
class OutcomeLogBenchmarksTest {

  private static OutcomeLog conciseCot;

  private static OutcomeLog conciseCot() {
    if (conciseCot == null) {
      conciseCot = OutcomeLog.load(Fixtures.benchmark("concise-cot"));
    }
    return conciseCot;
  }

  @Test
  void load_conciseCot_matchesReadmeCounts() {
    OutcomeLog log = conciseCot();

    assertThat(log.benchmark()).isEqualTo("concise-cot");
    assertThat(log.records()).hasSize(897);
    assertThat(log.outcomeCount()).isEqualTo(7176);
    assertThat(log.records(Split.TRAIN)).hasSize(537);
    assertThat(log.records(Split.VALID)).hasSize(180);
    assertThat(log.records(Split.TEST)).hasSize(180);
    assertThat(log.candidates().ids()).containsExactly("gpt-35-turbo", "gpt-4");
    CandidateModel gpt4 = log.candidates().require("gpt-4");
    assertThat(gpt4.inputPricePerMtok()).isEqualTo(30.0);
    assertThat(gpt4.outputPricePerMtok()).isEqualTo(60.0);
    assertThat(gpt4.parameters().spec("prompt_style")).get().isEqualTo(CategoricalSpec.of(
        "prompt_style", "baseline", "baseline", "concise", "chain_of_thought", "composite"));
    assertThat(log.observedValues("gpt-4", "prompt_style"))
        .containsExactlyInAnyOrder("baseline", "concise", "chain_of_thought", "composite");
    assertThat(log.candidates().license()).get().asString().contains("BSD-2-Clause");
    assertThat(log.sha256()).matches("[0-9a-f]{64}");

    QueryRecord first = log.record("agi-eval/aqua-rat/5").orElseThrow();
    assertThat(first.answer()).contains("B");
    Outcome o = first.outcome("gpt-4", ParameterValues.of(
        java.util.Map.of("prompt_style", "concise"))).orElseThrow();
    assertThat(o.score()).isEqualTo(1.0);
    assertThat(o.costUsd()).isEqualTo(0.0723);
    assertThat(o.inputTokens()).isEqualTo(284);
    assertThat(o.outputTokens()).isEqualTo(1063);
  }

  @Test
  void load_routerbench_matchesReadmeCountsQuickly() {
    Path dir = Fixtures.benchmark("routerbench-3task");
    OutcomeLog.load(dir); // warm the JIT so the timed run measures the loader, not class loading
    // CPU time of this thread, not wall time: the build machine is shared and often saturated.
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long t0 = mx.getCurrentThreadCpuTime();
    OutcomeLog log = OutcomeLog.load(dir);
    long millis = (mx.getCurrentThreadCpuTime() - t0) / 1_000_000;

    assertThat(log.records()).hasSize(3162);
    assertThat(log.outcomeCount()).isEqualTo(34782);
    assertThat(log.records(Split.TRAIN)).hasSize(1658);
    assertThat(log.records(Split.VALID)).hasSize(552);
    assertThat(log.records(Split.TEST)).hasSize(952);
    assertThat(log.candidates().models()).hasSize(11)
        .allSatisfy(m -> assertThat(m.parameters().isEmpty()).isTrue());
    assertThat(log.records()).allSatisfy(q -> {
      assertThat(q.answer()).isEmpty();
      assertThat(q.outcomes()).allSatisfy(o -> {
        assertThat(o.inputTokenCount()).isEmpty();
        assertThat(o.cost()).isPresent();
      });
    });
    assertThat(millis).as("load CPU time in ms").isLessThan(2000);
  }

  @Test
  void sha256_isOutcomesThenCandidatesBytes() throws Exception {
    Path dir = Fixtures.benchmark("concise-cot");
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update(java.nio.file.Files.readAllBytes(dir.resolve("outcomes.jsonl")));
    md.update(java.nio.file.Files.readAllBytes(dir.resolve("candidates.json")));
    assertThat(conciseCot().sha256()).isEqualTo(OutcomeLog.hex(md.digest()));
  }

  @Test
  void recordsOfSplits_partitionTheLog() {
    OutcomeLog log = conciseCot();
    int sum = 0;
    for (Split s : Split.values()) {
      assertThat(log.records(s)).allSatisfy(q -> assertThat(q.split()).isEqualTo(s));
      sum += log.records(s).size();
    }
    assertThat(sum).isEqualTo(log.records().size());
  }
}
