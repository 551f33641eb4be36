package dev.haps.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on stderr. On a terminal it redraws one line in place (at most every 50 ms);
 * elsewhere (a pipe, a log file, a test) it prints only the finished bar, so logs stay clean.
 * Not thread-safe: call {@link #step} from one thread.
 */
final class ProgressBar implements AutoCloseable {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 50_000_000L;

  private final PrintWriter err;
  private final String label;
  private final int total;
  private final boolean live;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int done;
  private boolean closed;

  ProgressBar(PrintWriter err, String label, int total, boolean live) {
    if (total < 0) {
      throw new IllegalArgumentException("progress total must be >= 0, got " + total);
    }
    this.err = err;
    this.label = label;
    this.total = total;
    this.live = live;
  }

  /** A bar that draws nothing (the --no-progress option). */
  static ProgressBar silent(int total) {
    return new ProgressBar(null, "", total, false);
  }

  /** Whether stderr is probably a terminal: a console is attached and TERM is not dumb. */
  static boolean terminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  void step() {
    done++;
    long now = System.nanoTime();
    if (err != null && live && (now - lastDraw >= REDRAW_NANOS || done == total)) {
      lastDraw = now;
      err.print('\r' + render(now));
      err.flush();
    }
  }

  int done() {
    return done;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Prints the finished bar and ends its line. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (err == null) {
      return;
    }
    err.print((live ? "\r" : "") + render(System.nanoTime()));
    err.println();
    err.flush();
  }

  String render(long now) {
    double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    return String.format(Locale.ROOT, "%s [%s%s] %d/%d %3d%% %5.1f s", label,
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
        Math.round(fraction * 100), (now - start) / 1e9);
  }
}
