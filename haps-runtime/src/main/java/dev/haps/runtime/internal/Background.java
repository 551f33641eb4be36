package dev.haps.runtime.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Start-up work that runs beside the caller's thread: one short-lived daemon thread per task, so
 * that independent loading steps (bundle, tokenizer, ONNX Runtime session) overlap on a
 * multi-core machine without a pool that outlives them.
 */
public final class Background {

  private Background() {}

  /**
   * Starts a task on a new daemon thread.
   *
   * @param name the thread name (shows in thread dumps)
   * @param task the work
   * @param <T> the result type
   * @return the running task; {@link #join} it
   */
  public static <T> FutureTask<T> start(String name, Callable<T> task) {
    FutureTask<T> f = new FutureTask<>(task);
    Thread t = new Thread(f, name);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /**
   * Waits for a task and returns its result; an exception it threw is rethrown as it was
   * (unchecked) or wrapped in an {@link IllegalStateException} (checked). Waits through
   * interrupts, so that no half-built resource is left behind, and restores the interrupt flag.
   *
   * @param task the task
   * @param <T> the result type
   * @return its result
   */
  public static <T> T join(FutureTask<T> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException r) {
            throw r;
          }
          if (c instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
