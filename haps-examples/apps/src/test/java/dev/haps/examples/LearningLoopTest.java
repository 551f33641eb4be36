package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.data.FeedbackLog;
import dev.haps.eval.PromotionDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningLoopTest {

  @TempDir Path tmp;

  @BeforeAll
  static void cacheEmbeddingsUnderTarget() {
    System.setProperty("haps.embedding.cache", Path.of("target", "embedding-cache").toString());
  }

  @Test
  void run_logsEveryCall_trainsACandidate_andLogsTheGuardsDecision() throws Exception {
    Output out = new Output();
    PromotionDecision d = LearningLoop.run(out.stream, tmp, 150);

    assertThat(Files.readAllLines(tmp.resolve("feedback").resolve(FeedbackLog.CALLS_FILE)))
        .hasSize(150);
    assertThat(Files.readAllLines(tmp.resolve("feedback").resolve(FeedbackLog.SCORES_FILE)))
        .hasSize(150);
    assertThat(tmp.resolve("candidate/router.onnx")).isRegularFile();
    assertThat(Files.readAllLines(tmp.resolve("serving/promotions.jsonl"))).hasSize(1);
    assertThat(d.reason()).contains("serving observed");
    assertThat(out.text()).contains("150 calls logged").contains("candidate DR reward");
  }
}
