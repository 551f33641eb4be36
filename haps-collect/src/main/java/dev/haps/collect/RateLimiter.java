package dev.haps.collect;

import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * One provider instance's limits: calls started at most {@code requestsPerMinute} a minute,
 * evenly spaced (no bursts), and at most {@code concurrency} at once. Time and waiting are
 * injected so that tests need not sleep. Thread-safe.
 */
final class RateLimiter {

  /** Waits; injectable. */
  @FunctionalInterface
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private static final RateLimiter NONE = new RateLimiter(0, 0, System::nanoTime,
      n -> { });

  private final long intervalNanos;
  private final Semaphore permits;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long nextStart = Long.MIN_VALUE;

  RateLimiter(double requestsPerMinute, int concurrency, LongSupplier clock, Sleeper sleeper) {
    this.intervalNanos = requestsPerMinute > 0 ? (long) (60e9 / requestsPerMinute) : 0;
    this.permits = concurrency > 0 ? new Semaphore(concurrency, true) : null;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  static RateLimiter none() {
    return NONE;
  }

  /** Waits for a concurrency slot and for this call's start time. */
  void acquire() throws InterruptedException {
    if (permits != null) {
      permits.acquire();
    }
    if (intervalNanos == 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = clock.getAsLong();
      long start = nextStart == Long.MIN_VALUE ? now : Math.max(now, nextStart);
      nextStart = start + intervalNanos;
      wait = start - now;
    }
    if (wait > 0) {
      try {
        sleeper.sleepNanos(wait);
      } catch (InterruptedException e) {
        release();
        throw e;
      }
    }
  }

  /** Frees the concurrency slot taken by {@link #acquire()}. */
  void release() {
    if (permits != null) {
      permits.release();
    }
  }
}
