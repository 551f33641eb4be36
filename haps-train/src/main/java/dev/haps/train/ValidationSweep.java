package dev.haps.train;

import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.model.ValidationCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A model's greedy decisions on the {@code valid} table over the cost-weight grid, scored with
 * the recorded outcomes (no failure augmentation): the curve every checkpoint is judged by.
 */
final class ValidationSweep {

  private final TrainingProblem problem;
  private final double[] grid;

  ValidationSweep(TrainingProblem problem, double[] grid) {
    this.problem = problem;
    this.grid = grid.clone();
  }

  /** Sweeps the grid, one cost weight per job when a pool is given (null: calling thread). */
  ValidationCurve run(TrainedModel model, ExecutorService pool) {
    SplitTable valid = problem.valid();
    CostTradeoff tradeoff = problem.tradeoff();
    int g = valid.configurations();
    int n = valid.n();
    double[] ms = new double[grid.length];
    double[] mc = new double[grid.length];
    double[] mr = new double[grid.length];
    List<Future<?>> futures = new ArrayList<>();
    for (int gp = 0; gp < grid.length; gp++) {
      int idx = gp;
      Runnable job = () -> {
        double w = grid[idx];
        TrainedModel.Outputs out = model.infer(valid, w);
        double lambda = tradeoff.lambda(w);
        double s = 0;
        double c = 0;
        // Bandit rows (one logged action each): self-normalised importance sampling over the
        // rows whose logged action is the one the model chooses.
        double bs = 0;
        double bc = 0;
        double bw = 0;
        int banditRows = 0;
        for (int i = 0; i < n; i++) {
          TrainedModel.Decision d = model.decide(out, i);
          int cfg = problem.resolver().resolve(d.candidate(), d.params());
          if (valid.bandit(i)) {
            banditRows++;
            if (valid.exact()[i * g + cfg]) {
              double iw = 1 / valid.propensity()[i];
              bs += iw * valid.score()[i * g + cfg];
              bc += iw * valid.cost()[i * g + cfg];
              bw += iw;
            }
            continue;
          }
          double sc = valid.score()[i * g + cfg];
          double co = valid.cost()[i * g + cfg];
          if (Double.isNaN(sc)) {
            sc = 0;
            co = 0;
          }
          s += sc;
          c += co;
        }
        if (bw > 0) {
          s += banditRows * bs / bw;
          c += banditRows * bc / bw;
        }
        ms[idx] = s / n;
        mc[idx] = c / n * tradeoff.costScale();
        mr[idx] = (s - lambda * c) / n;
      };
      if (pool == null) {
        job.run();
      } else {
        futures.add(pool.submit(job));
      }
    }
    ShardedGradient.await(futures);
    return new ValidationCurve(grid.clone(), ms, mc, mr);
  }
}
