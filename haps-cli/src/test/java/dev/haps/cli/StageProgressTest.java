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
}
