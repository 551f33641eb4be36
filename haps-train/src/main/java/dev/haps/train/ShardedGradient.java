package dev.haps.train;

import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.Minibatch;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.TrainingProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The mean gradient of a minibatch, computed the same way whatever the thread count: the batch is
 * always cut into {@value #SHARDS} fixed shards whose gradients are computed (in parallel when a
 * pool is given) and summed in shard order.
 */
final class ShardedGradient {

  /** Fixed number of gradient shards per minibatch. */
  static final int SHARDS = 2;

  private final TrainingObjective objective;
  private final TrainingProblem problem;
  private final ExecutorService pool;
  private final double[][] shards;

  /** With {@code pool} null the shards run on the calling thread. */
  ShardedGradient(TrainingObjective objective, TrainingProblem problem, ExecutorService pool,
      int parameters) {
    this.objective = objective;
    this.problem = problem;
    this.pool = pool;
    this.shards = new double[SHARDS][parameters];
  }

  /** Writes the mean gradient over the minibatch into {@code g}; returns the mean loss. */
  double compute(HapsNetwork net, Minibatch batch, boolean policyGradient, double[] g) {
    int b = batch.size();
    List<Future<?>> futures = new ArrayList<>();
    double[] losses = new double[SHARDS];
    for (int s = 0; s < SHARDS; s++) {
      int from = s * b / SHARDS;
      int to = (s + 1) * b / SHARDS;
      double[] gs = shards[s];
      int shard = s;
      Runnable job = () -> losses[shard] =
          objective.gradient(net, problem, batch, from, to, policyGradient, gs);
      if (pool == null) {
        job.run();
      } else {
        futures.add(pool.submit(job));
      }
    }
    await(futures);
    Arrays.fill(g, 0);
    for (int s = 0; s < SHARDS; s++) {
      double[] gs = shards[s];
      for (int i = 0; i < g.length; i++) {
        g[i] += gs[i];
      }
    }
    double inv = 1.0 / b;
    for (int i = 0; i < g.length; i++) {
      g[i] *= inv;
    }
    double loss = 0;
    for (double l : losses) {
      loss += l;
    }
    return loss * inv;
  }

  /** Waits for every job, rethrowing the first failure as it was thrown. */
  static void await(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("training was interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        if (c instanceof Error er) {
          throw er;
        }
        throw new IllegalStateException(c);
      }
    }
  }
}
