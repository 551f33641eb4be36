package dev.haps.cli;

import dev.haps.train.TrainResult;
import dev.haps.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/** A carriage-return progress bar on a console stream. */
final class ConsoleProgress implements TrainingListener {

  private static final int WIDTH = 30;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private int lastLength;

  ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void status(String message) {
    line(message);
  }

  @Override
  public void embedding(int done, int total) {
    line(String.format(Locale.ROOT, "embedding %s %d/%d", bar(done, total), done, total));
  }

  @Override
  public void training(String phase, int member, int members, int step, int steps,
      double validMetric, double bestMetric) {
    line(String.format(Locale.ROOT, "%-6s member %d/%d %s %d/%d  valid %.4f  best %.4f",
        phase, member + 1, members, bar(step, steps), step, steps, validMetric, bestMetric));
  }

  @Override
  public void finished(TrainResult result) {
    line(String.format(Locale.ROOT, "done: valid metric %.4f", result.validMetric()));
    out.println();
    out.flush();
  }

  private String bar(int done, int total) {
    int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, (long) done * WIDTH / total);
    return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
  }

  private synchronized void line(String text) {
    String t = String.format(Locale.ROOT, "%5.1fs %s", (System.nanoTime() - start) / 1e9, text);
    int pad = Math.max(0, lastLength - t.length());
    out.print("\r" + t + " ".repeat(pad));
    out.flush();
    lastLength = t.length();
  }
}
