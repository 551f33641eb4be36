package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StageProgressTest {

  @Test
  void update_notLive_printsFinishedAndEarlyStoppedStagesOnly() {
    StringWriter err = new StringWriter();
    StageProgress p = new StageProgress(new PrintWriter(err), false);

    p.update("embedding", 5, 10);
    p.update("embedding", 10, 10);
    p.update("warmup member 1/1", 3, 60, "valid AIQ best 0.7000");
    p.update("rl member 1/1", 300, 300);
    p.endLine();

    String[] lines = err.toString().split("\\R");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("[" + "#".repeat(28) + "] 100% embedding 10/10 (");
    assertThat(lines[1]).startsWith("[#...").contains("  5% warmup member 1/1 3/60 (")
        .endsWith(" valid AIQ best 0.7000 (stopped early)");
    assertThat(lines[2]).contains("100% rl member 1/1 300/300");
  }

  @Test
  void update_live_redrawsAndEndsOpenLines() {
    StringWriter err = new StringWriter();
    StageProgress p = new StageProgress(new PrintWriter(err), true);

    p.update("sweep haps", 1, 21);
    p.update("sweep knn", 21, 21);

    assertThat(err.toString()).startsWith("\r[#").contains("sweep haps 1/21")
        .contains(System.lineSeparator() + "\r[" + "#".repeat(28) + "] 100% sweep knn 21/21")
        .endsWith(System.lineSeparator());
  }

  @Test
  void asTrainingListener_showsEmbeddingAndPhasesWithTheBestMetric_andStatusLines() {
    StringWriter err = new StringWriter();
    StageProgress p = new StageProgress(new PrintWriter(err), false);

    p.status("loading data");
    p.embedding(4, 4);
    p.training("warmup", 0, 2, 50, 50, 0.71, 0.72);
    p.training("rl", 0, 2, 10, 300, 0.7, 0.73);
    p.status("writing bundle");

    String[] lines = err.toString().split("\\R");
    assertThat(lines).hasSize(5);
    assertThat(lines[0]).isEqualTo("loading data");
    assertThat(lines[1]).contains("100% embedding 4/4");
    assertThat(lines[2]).contains("100% warmup member 1/2 50/50").endsWith("valid AIQ best 0.7200");
    assertThat(lines[3]).contains("rl member 1/2 10/300")
        .endsWith("valid AIQ best 0.7300 (stopped early)");
    assertThat(lines[4]).isEqualTo("writing bundle");
  }

  @Test
  void asEvalProgress_printsEachFinishedStage() {
    StringWriter err = new StringWriter();
    dev.haps.eval.EvalProgress p = new StageProgress(new PrintWriter(err), false);

    p.update("load data", 0, 1);
    p.update("load data", 1, 1);
    p.update("sweep haps", 21, 21);

    assertThat(err.toString().split("\\R")).hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("100%"));
  }
}
