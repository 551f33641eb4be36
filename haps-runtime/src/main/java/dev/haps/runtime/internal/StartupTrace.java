package dev.haps.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Wall-clock spans of the start-up steps (bundle, tokenizer, encoder session, warm-up, router
 * session), recorded only when the system property {@code haps.startup.trace} is {@code true}:
 * the cold-start benchmark ({@code haps-bench}'s {@code ColdStart}) reads them to report where
 * the time goes. Off, each call is one branch on a constant. Steps on one thread must not nest.
 */
public final class StartupTrace {

  private static final boolean ON = Boolean.getBoolean("haps.startup.trace");
  private static final ConcurrentLinkedQueue<Span> SPANS = new ConcurrentLinkedQueue<>();

  private StartupTrace() {}

  /**
   * One step.
   *
   * @param step what ran
   * @param thread the thread it ran on
   * @param startNanos {@link System#nanoTime()} at its start
   * @param endNanos {@link System#nanoTime()} at its end
   * @param cpuNanos CPU time the thread used during the step (less sensitive than wall time to
   *     other processes on a busy machine)
   */
  public record Span(String step, String thread, long startNanos, long endNanos, long cpuNanos) {}

  private static final ThreadLocal<long[]> CPU_AT_START = ThreadLocal.withInitial(() -> new long[1]);

  /**
   * Marks the start of a step.
   *
   * @return the start time to pass to {@link #end}
   */
  public static long start() {
    if (!ON) {
      return 0L;
    }
    CPU_AT_START.get()[0] = cpu();
    return System.nanoTime();
  }

  private static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Records a step that started at {@code start}.
   *
   * @param step its name
   * @param start what {@link #start()} returned
   */
  public static void end(String step, long start) {
    if (ON) {
      long end = System.nanoTime();
      SPANS.add(new Span(step, Thread.currentThread().getName(), start, end,
          cpu() - CPU_AT_START.get()[0]));
    }
  }

  /**
   * The steps recorded so far, in the order they ended.
   *
   * @return a copy
   */
  public static List<Span> spans() {
    return new ArrayList<>(SPANS);
  }
}
