package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void close_notLive_printsOnlyTheFinishedBar() {
    StringWriter err = new StringWriter();
    try (ProgressBar bar = new ProgressBar(new PrintWriter(err), "routing", 4, false)) {
      for (int i = 0; i < 4; i++) {
        bar.step();
      }
    }

    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("routing [" + "#".repeat(30) + "] 4/4 100%")
        .doesNotContain("\r");
  }

  @Test
  void step_live_redrawsInPlace() {
    StringWriter err = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(err), "routing", 2, true);
    bar.step();
    bar.step();
    bar.close();
    bar.close();

    assertThat(err.toString()).startsWith("\rrouting [").contains("1/2  50%")
        .contains("2/2 100%").endsWith(System.lineSeparator());
  }
}
