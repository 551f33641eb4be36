package dev.haps.runtime;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The queue and workers behind {@link MicroBatching}. Callers enqueue and wait; each worker
 * takes what has queued (up to the batch size, after the optional wait), routes it as one batch
 * and completes every caller. A failed batch is routed again one by one so that each caller gets
 * its own result.
 */
final class RouteBatcher {

  private final MicroBatching settings;
  private final Function<List<RouteRequest>, List<RouteDecision>> batch;
  private final Function<RouteRequest, RouteDecision> single;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean closed; // guarded by queue

  RouteBatcher(MicroBatching settings, String name,
      Function<List<RouteRequest>, List<RouteDecision>> batch,
      Function<RouteRequest, RouteDecision> single) {
    this.settings = settings;
    this.batch = batch;
    this.single = single;
    for (int i = 0; i < settings.workers(); i++) {
      Thread t = new Thread(this::work, name + "-batch-" + (i + 1));
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  RouteDecision route(RouteRequest request) {
    Pending p = new Pending(request, System.nanoTime());
    synchronized (queue) {
      if (closed) {
        throw new IllegalStateException("router is closed; build a new HapsRouter");
      }
      queue.add(p);
      queue.notify();
    }
    try {
      return p.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        // Rethrown on the caller's thread, with the caller's stack attached for debugging.
        r.addSuppressed(new RuntimeException("routed by a micro-batching worker"));
        throw r;
      }
      throw e;
    }
  }

  private void work() {
    List<Pending> taken = new ArrayList<>(settings.maxBatch());
    long waitNanos = settings.maxWait().toNanos();
    while (true) {
      taken.clear();
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (queue.isEmpty()) {
          return; // closed and drained
        }
        if (waitNanos > 0 && !closed) {
          long until = queue.peekFirst().enqueued + waitNanos;
          long left;
          while (queue.size() < settings.maxBatch() && !closed
              && (left = until - System.nanoTime()) > 0) {
            try {
              queue.wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
        while (!queue.isEmpty() && taken.size() < settings.maxBatch()) {
          taken.add(queue.pollFirst());
        }
      }
      run(taken);
    }
  }

  private void run(List<Pending> taken) {
    if (taken.size() == 1) {
      complete(taken.get(0));
      return;
    }
    List<RouteRequest> requests = new ArrayList<>(taken.size());
    for (Pending p : taken) {
      requests.add(p.request);
    }
    List<RouteDecision> decisions;
    try {
      decisions = batch.apply(requests);
    } catch (RuntimeException e) {
      for (Pending p : taken) {
        complete(p); // each caller gets its own decision or its own exception
      }
      return;
    }
    for (int i = 0; i < taken.size(); i++) {
      taken.get(i).result.complete(decisions.get(i));
    }
  }

  private void complete(Pending p) {
    try {
      p.result.complete(single.apply(p.request));
    } catch (RuntimeException | Error e) {
      p.result.completeExceptionally(e);
    }
  }

  /** Stops the workers after they have routed what is queued. */
  void close() {
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
    }
    for (Thread t : workers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final class Pending {
    final RouteRequest request;
    final long enqueued;
    final CompletableFuture<RouteDecision> result = new CompletableFuture<>();

    Pending(RouteRequest request, long enqueued) {
      this.request = request;
      this.enqueued = enqueued;
    }
  }
}
