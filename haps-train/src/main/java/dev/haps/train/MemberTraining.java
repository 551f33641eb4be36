package dev.haps.train;

import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.Minibatch;
import dev.haps.train.nn.Adam;
import dev.haps.train.nn.Rng;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;

/**
 * Trains one ensemble member: a supervised warm-up, then policy gradient starting from (and
 * having to beat) the warm-up checkpoint; each phase validates every {@code validateEvery} steps,
 * keeps its best checkpoint and stops after {@code patience} validations without improvement.
 * Draws from its {@link Rng} on the calling thread only, in a fixed order: the network's
 * initialisation, then per step the minibatch, each row's cost weight and (policy gradient) each
 * row's sampling seed.
 */
final class MemberTraining {

  private final TrainingRun run;
  private final TrainOptions o;
  private final int member;
  private final Rng rng;
  private final ExecutorService pool;
  private final HapsNetwork net;
  private final ShardedGradient gradient;
  private final int[] order;
  private int cursor;
  private MemberReport report;

  MemberTraining(TrainingRun run, int member, Rng rng, ExecutorService pool) {
    this.run = run;
    this.o = run.options();
    this.member = member;
    this.rng = rng;
    this.pool = pool;
    this.net = new HapsNetwork(run.spec(), rng.split());
    this.gradient = new ShardedGradient(run.objective(), run.problem(), pool,
        net.parameterCount());
    run.objective().initialise(net, run.problem());
    this.order = new int[run.problem().train().n()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.cursor = order.length;
  }

  /** Trains and returns the network at its best checkpoint. */
  HapsNetwork train() {
    int n = run.problem().train().n();
    int stepsPerEpoch = (n + o.batchSize() - 1) / o.batchSize();
    int warmSteps = o.epochs() * stepsPerEpoch;
    Phase warm = phase("warmup", warmSteps, o.learningRate(), false);
    double[] best = warm.bestParams;
    double warmMetric = warm.bestMetric;
    if (run.fineTuning() != null) {
      // The encoder's top layers join the trunk, starting from the warm-up checkpoint (LP-FT).
      net.setParameters(best);
      boolean byLoss = run.objective().selectionLoss(net, run.problem()).isPresent();
      EncoderFineTuneStage stage = new EncoderFineTuneStage(run.fineTuning(), o, run.problem());
      best = stage.run(net, run, member, pool, () -> score(false),
          byLoss ? "valid loss" : "valid AIQ", byLoss);
      run.fineTuneReport().putAll(stage.report());
    }
    double rlMetric = Double.NaN;
    boolean kept = false;
    int rlDone = 0;
    if (o.rlSteps() > 0) {
      // Policy gradient optimises decisions, so its checkpoints are always judged by the
      // validation metric; it starts from (and must beat) the warm-up checkpoint.
      net.setParameters(best);
      Phase rl = phase("rl", o.rlSteps(), o.rlLearningRate(), true);
      rlMetric = rl.bestMetric;
      rlDone = rl.steps;
      if (rl.bestMetric > rl.initialMetric) {
        best = rl.bestParams;
        kept = true;
      }
    }
    net.setParameters(best);
    report = new MemberReport(member, warmMetric, warm.steps, rlMetric, rlDone, kept);
    return net;
  }

  MemberReport report() {
    return report;
  }

  /** What a phase reached. */
  private static final class Phase {
    double[] bestParams;
    double bestMetric = Double.NEGATIVE_INFINITY;
    double initialMetric;
    int steps;
  }

  private Phase phase(String name, int steps, double lr, boolean policyGradient) {
    Adam adam = net.optimiser();
    Phase ph = new Phase();
    ph.bestParams = net.parameters();
    // Checkpoints of a warm-up whose objective has a selection loss are scored by minus that
    // loss: report it as a loss, not as an AIQ.
    OptionalDouble initialLoss = policyGradient ? OptionalDouble.empty()
        : run.objective().selectionLoss(net, run.problem());
    boolean byLoss = initialLoss.isPresent();
    ph.initialMetric = byLoss ? -initialLoss.getAsDouble() : score(policyGradient);
    ph.bestMetric = ph.initialMetric;
    int sinceBest = 0;
    double[] g = new double[net.parameterCount()];
    for (int step = 1; step <= steps; step++) {
      Minibatch batch = nextBatch(policyGradient);
      gradient.compute(net, batch, policyGradient, g);
      net.step(adam, g, lr, o.weightDecay());
      ph.steps = step;
      if (step % o.validateEvery() == 0 || step == steps) {
        double m = score(policyGradient);
        if (m > ph.bestMetric) {
          ph.bestMetric = m;
          ph.bestParams = net.parameters();
          sinceBest = 0;
        } else {
          sinceBest++;
        }
        if (byLoss) {
          run.listener().training(name, member, o.ensemble(), step, steps, "valid loss", -m,
              -ph.bestMetric);
        } else {
          run.listener().training(name, member, o.ensemble(), step, steps, "valid AIQ", m,
              ph.bestMetric);
        }
        if (sinceBest >= o.patience()) {
          break;
        }
      }
    }
    return ph;
  }

  /**
   * A checkpoint's score, higher is better: minus the objective's selection loss during the
   * warm-up when it has one, else the validation metric.
   */
  private double score(boolean policyGradient) {
    if (!policyGradient) {
      OptionalDouble loss = run.objective().selectionLoss(net, run.problem());
      if (loss.isPresent()) {
        return -loss.getAsDouble();
      }
    }
    return run.validationMetric(net, pool);
  }

  /** The next rows in shuffled order, each with its cost weight and sampling seed. */
  private Minibatch nextBatch(boolean policyGradient) {
    int b = Math.min(o.batchSize(), order.length);
    int[] rows = new int[b];
    for (int i = 0; i < b; i++) {
      if (cursor >= order.length) {
        rng.shuffle(order);
        cursor = 0;
      }
      rows[i] = order[cursor++];
    }
    double[] cw = new double[b];
    long[] seeds = new long[b];
    for (int i = 0; i < b; i++) {
      cw[i] = rng.uniform() < o.zeroCostWeightShare() ? 0.0 : rng.uniform();
      seeds[i] = policyGradient ? (long) (rng.uniform() * (1L << 53)) : 0;
    }
    return new Minibatch(rows, cw, seeds);
  }
}
