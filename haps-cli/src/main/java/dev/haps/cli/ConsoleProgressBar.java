package dev.haps.cli;

import dev.haps.eval.EvalProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** A text progress bar on one line, redrawn at most every 100 ms and at the end of each stage. */
final class ConsoleProgressBar implements EvalProgress {

  private static final int WIDTH = 28;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final LongSupplier clock;
  private final long start;
  private String stage = "";
  private long lastDraw = Long.MIN_VALUE;
  private int lastLength;
  private boolean open;

  ConsoleProgressBar(PrintStream out, LongSupplier clock) {
    this.out = out;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  @Override
  public synchronized void update(String stage, int done, int total) {
    long now = clock.getAsLong();
    boolean finished = done >= total;
    if (!stage.equals(this.stage)) {
      this.stage = stage;
    } else if (!finished && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    int t = Math.max(1, total);
    int d = Math.min(done, t);
    int filled = (int) ((long) WIDTH * d / t);
    long secs = (now - start) / 1_000_000_000L;
    String line = String.format(Locale.ROOT, "[%s%s] %3d%% %s %d/%d (%d:%02d)",
        "#".repeat(filled), ".".repeat(WIDTH - filled), 100L * d / t, stage, d, t,
        secs / 60, secs % 60);
    StringBuilder sb = new StringBuilder("\r").append(line);
    if (line.length() < lastLength) {
      sb.append(" ".repeat(lastLength - line.length()));
    }
    lastLength = line.length();
    if (finished) {
      sb.append('\n');
      lastLength = 0;
      open = false;
    } else {
      open = true;
    }
    out.print(sb);
    out.flush();
  }

  boolean lineOpen() {
    return open;
  }
}
