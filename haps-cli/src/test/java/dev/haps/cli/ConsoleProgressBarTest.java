package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressBarTest {

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final AtomicLong now = new AtomicLong();
  private final ConsoleProgressBar bar = new ConsoleProgressBar(
      new PrintStream(buf, true, StandardCharsets.UTF_8), now::get);

  private String out() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void update_redrawsInPlaceAndEndsTheStageWithANewline() {
    bar.update("sweep knn", 0, 4);
    now.addAndGet(200_000_000L);
    bar.update("sweep knn", 2, 4);
    now.addAndGet(61_000_000_000L);
    bar.update("sweep knn", 4, 4);
    String s = out();
    assertThat(s).startsWith("\r[");
    assertThat(s).contains(" 50% sweep knn 2/4").contains("100% sweep knn 4/4 (1:01)\n");
    assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    assertThat(bar.lineOpen()).isFalse();
  }

  @Test
  void update_fasterThanTheRedrawInterval_isSkippedExceptTheLast() {
    bar.update("embed", 0, 100);
    for (int i = 1; i < 100; i++) {
      now.addAndGet(1_000_000L);
      bar.update("embed", i, 100);
    }
    bar.update("embed", 100, 100);
    assertThat(out().split("\r", -1)).hasSize(3); // the first draw and the end
  }
}
