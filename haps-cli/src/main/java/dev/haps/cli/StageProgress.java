package dev.haps.cli;

import dev.haps.eval.EvalProgress;
import dev.haps.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The CLI's one progress display, on stderr: a run made of stages (load, embed, train, sweep,
 * route, write), each a bar with its count, time and an optional detail. It is the trainer's
 * {@link TrainingListener}, the evaluation's {@link EvalProgress} and the demo's bar. On a
 * terminal the current stage's bar is redrawn in place (at most every 100 ms) and each stage
 * keeps its own line; elsewhere (a pipe, a log file, a test) only finished stages are printed, so
 * logs stay clean. Synchronised: listeners may be called from worker threads.
 */
final class StageProgress implements TrainingListener, EvalProgress {

  private static final int WIDTH = 28;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final boolean live;
  private String stage = "";
  private long stageStart = System.nanoTime();
  private long lastMark = stageStart;
  private long lastDraw;
  private int lastLength;
  private boolean lineOpen;
  private boolean finished;
  private long lastDone;
  private long lastTotal;
  private String lastDetail = "";

  StageProgress(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  /** Whether stderr is probably a terminal: a console is attached and TERM is not dumb. */
  static boolean terminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** Reports {@code done} of {@code total} units of {@code stage} (the evaluation's progress). */
  @Override
  public void update(String stage, int done, int total) {
    update(stage, done, total, "");
  }

  @Override
  public void embedding(int done, int total) {
    update("embedding", done, total, "");
  }

  /** Progress from a listener caller that does not name its figure: an AIQ. */
  @Override
  public void training(String phase, int member, int members, int step, int steps,
      double validMetric, double bestMetric) {
    training(phase, member, members, step, steps, "valid AIQ", validMetric, bestMetric);
  }

  @Override
  public void training(String phase, int member, int members, int step, int steps,
      String metric, double validValue, double bestValue) {
    update(String.format(Locale.ROOT, "%s member %d/%d", phase, member + 1, members), step,
        steps, Double.isFinite(bestValue)
            ? String.format(Locale.ROOT, "%s best %.4f", metric, bestValue) : "");
  }

  /** A status line of its own (loading, writing), after closing any open bar. */
  @Override
  public void status(String message) {
    endLine();
    synchronized (this) {
      err.println(message);
      err.flush();
    }
  }

  /** Reports progress with a short detail shown after the counts (e.g. the best metric). */
  synchronized void update(String stage, long done, long total, String detail) {
    long now = System.nanoTime();
    if (!stage.equals(this.stage)) {
      endStage(now);
      this.stage = stage;
      // A stage is timed from the end of the one before: listeners may not report 0 first.
      this.stageStart = lastMark;
      this.finished = false;
    } else if (finished || (done < total && now - lastDraw < REDRAW_NANOS)) {
      return;
    }
    lastDone = done;
    lastTotal = total;
    lastDetail = detail;
    boolean end = done >= total;
    if (!live && !end) {
      return;
    }
    lastDraw = now;
    String line = render(stage, done, total, detail, now);
    StringBuilder sb = new StringBuilder();
    if (live) {
      sb.append('\r').append(line);
      if (line.length() < lastLength) {
        sb.append(" ".repeat(lastLength - line.length()));
      }
      lastLength = line.length();
      lineOpen = true;
    } else {
      sb.append(line);
    }
    if (end) {
      lastMark = now;
      sb.append(System.lineSeparator());
      finished = true;
      lineOpen = false;
      lastLength = 0;
    }
    err.print(sb);
    err.flush();
  }

  private String render(String stage, long done, long total, String detail, long now) {
    long t = Math.max(1, total);
    long d = Math.min(Math.max(0, done), t);
    int filled = (int) (WIDTH * d / t);
    return String.format(Locale.ROOT, "[%s%s] %3d%% %s %d/%d (%.1f s)%s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * d / t, stage, d, t,
        (now - stageStart) / 1e9, detail.isEmpty() ? "" : " " + detail);
  }

  /** Ends a bar left open on the terminal (a stage that stopped early), keeping its line. */
  synchronized void endLine() {
    endStage(System.nanoTime());
  }

  /** Closes the current stage; one that stopped early still gets its line when not live. */
  private void endStage(long now) {
    if (!finished && !stage.isEmpty()) {
      if (!live) {
        err.println(render(stage, lastDone, lastTotal, lastDetail, now) + " (stopped early)");
        err.flush();
      }
      finished = true;
      lastMark = now;
    }
    closeOpenLine();
  }

  private void closeOpenLine() {
    if (lineOpen) {
      err.println();
      err.flush();
      lineOpen = false;
      lastLength = 0;
    }
  }
}
