package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteDecision;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainFromLogsTest {

  @TempDir Path tmp;

  @BeforeAll
  static void cacheEmbeddingsUnderTarget() {
    // Keeps the test off the user's ~/.cache and fast on reruns.
    System.setProperty("haps.embedding.cache", Path.of("target", "embedding-cache").toString());
  }

  @Test
  void bundledSubset_keepsOnlyTheChosenTasks() {
    OutcomeLog log = TrainFromLogs.bundledSubset();

    assertThat(log.records()).allMatch(r -> TrainFromLogs.SUBSET_TASKS.contains(r.task()));
    assertThat(log.records(Split.TRAIN)).isNotEmpty();
    assertThat(log.records(Split.VALID)).isNotEmpty();
    assertThat(log.records(Split.TEST)).isNotEmpty();
  }

  @Test
  void run_trainsABundleAndRoutesWithIt() {
    Path bundle = tmp.resolve("bundle");
    Output out = new Output();

    List<RouteDecision> decisions = TrainFromLogs.run(out.stream, TrainFromLogs.bundledSubset(),
        bundle);

    assertThat(bundle.resolve("manifest.json")).isRegularFile();
    assertThat(bundle.resolve("router.onnx")).isRegularFile();
    assertThat(decisions).hasSize(6);
    assertThat(decisions).allSatisfy(d -> {
      assertThat(d.model()).isIn("gpt-4", "gpt-35-turbo");
      assertThat(d.parameters().getString("prompt_style"))
          .isIn("baseline", "concise", "chain_of_thought", "composite");
    });
    assertThat(out.text()).contains("training on concise-cot:", "valid AIQ",
        "cross-validated gap closed", "recorded: score");
  }
}
