package dev.haps.train.model;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The HAPS training loop over dense split tables: supervised warm-up, then policy gradient,
 * validation on the {@code valid} table, best checkpoint kept, early stopping; repeated per
 * ensemble member.
 *
 * <p>Determinism: all randomness comes from one seeded {@link Rng}, drawn on the calling thread
 * in a fixed order. A minibatch is always cut into {@value #SHARDS} fixed shards whose gradients
 * are computed in parallel and summed in shard order, so results do not depend on the number of
 * threads or on scheduling.
 *
 * @since 0.1.0
 */
public final class Engine {

  /** Fixed number of gradient shards per minibatch. */
  static final int SHARDS = 2;
  private static final double COST_EPS = 1e-3;
  private static final double TIE = 1e-9;

  /**
   * Progress of a run.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called after each validation and at phase ends.
     *
     * @param phase {@code warmup} or {@code rl}
     * @param member the ensemble member (0-based)
     * @param members the ensemble size
     * @param step steps done in this phase
     * @param steps the phase's step budget
     * @param metric the latest validation metric
     * @param best the best validation metric so far in this member
     */
    void progress(String phase, int member, int members, int step, int steps, double metric,
        double best);
  }

  /**
   * A model-selection metric over a validation curve (higher is better).
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface Metric {
    /**
     * Scores a curve.
     *
     * @param curve the validation sweep
     * @return the score, higher is better
     */
    double score(ValidationCurve curve);
  }

  /**
   * What one member's training did.
   *
   * @param member the member index
   * @param warmupMetric the warm-up's best selection score (minus the valid loss for value heads
   *     selected by loss, else the validation metric)
   * @param warmupSteps warm-up steps run
   * @param rlMetric best validation metric during policy gradient (NaN when none ran)
   * @param rlSteps policy-gradient steps run
   * @param rlKept whether a policy-gradient checkpoint beat the warm-up checkpoint on the
   *     validation metric (and replaced it)
   * @since 0.1.0
   */
  public record MemberReport(int member, double warmupMetric, int warmupSteps, double rlMetric,
      int rlSteps, boolean rlKept) {}

  /**
   * The trained model and its validation.
   *
   * @param model the ensemble
   * @param curve its validation sweep
   * @param metric its validation metric
   * @param members per-member reports
   * @since 0.1.0
   */
  public record Result(TrainedModel model, ValidationCurve curve, double metric,
      List<MemberReport> members) {}

  private final EngineOptions o;
  private final SplitTable train;
  private final SplitTable valid;
  private final List<CandidateOutputs> cands;
  private final int[] cfgCand;
  private final int[] cfgLocal;
  private final double[][] cfgTarget;
  private final ConfigResolver resolver;
  private final CostTradeoff tradeoff;
  private final int embDim;
  private final int featDim;
  private final Listener listener;
  private final Metric metric;
  private final int k;
  private final int g;
  private final int[][] byCand;
  private final double[] grid;
  private final NetworkSpec spec;

  /**
   * Sets up a run.
   *
   * @param options hyper-parameters
   * @param train the training table
   * @param valid the validation table
   * @param candidates per candidate, its output layout (value heads: its configurations, in
   *     the global order of the tables)
   * @param configCandidate per configuration g, its candidate
   * @param configParams per configuration g, its complete parameters
   * @param resolver maps generated decisions onto configurations
   * @param tradeoff λ mapping and cost scale
   * @param embeddingDim E
   * @param featureDim F
   * @param listener progress
   * @param metric model selection
   */
  public Engine(EngineOptions options, SplitTable train, SplitTable valid,
      List<CandidateOutputs> candidates, int[] configCandidate, List<ParameterValues> configParams,
      ConfigResolver resolver, CostTradeoff tradeoff, int embeddingDim, int featureDim,
      Listener listener, Metric metric) {
    this.o = Objects.requireNonNull(options, "options");
    this.train = train;
    this.valid = valid;
    this.cands = List.copyOf(candidates);
    this.cfgCand = configCandidate.clone();
    this.resolver = resolver;
    this.tradeoff = tradeoff;
    this.embDim = embeddingDim;
    this.featDim = featureDim;
    this.listener = listener;
    this.metric = metric;
    this.k = cands.size();
    this.g = cfgCand.length;
    if (train.configurations() != g || valid.configurations() != g) {
      throw new IllegalArgumentException("tables have " + train.configurations() + "/"
          + valid.configurations() + " configurations, expected " + g);
    }
    this.cfgLocal = new int[g];
    int[] count = new int[k];
    for (int i = 0; i < g; i++) {
      if (i > 0 && cfgCand[i] < cfgCand[i - 1]) {
        throw new IllegalArgumentException("configurations must be grouped by candidate");
      }
      cfgLocal[i] = count[cfgCand[i]]++;
    }
    this.byCand = new int[k][];
    for (int c = 0; c < k; c++) {
      byCand[c] = new int[count[c]];
    }
    for (int i = 0; i < g; i++) {
      byCand[cfgCand[i]][cfgLocal[i]] = i;
    }
    this.cfgTarget = new double[g][];
    for (int i = 0; i < g; i++) {
      CandidateOutputs co = cands.get(cfgCand[i]);
      double[] enc = co.encode(configParams.get(i));
      int[] numeric = co.numericSlots();
      for (int s : numeric) {
        enc[s] = CandidateOutputs.sigmoid(enc[s]);
      }
      cfgTarget[i] = enc;
    }
    int[] width = new int[k];
    int[][] numeric = new int[k][];
    for (int c = 0; c < k; c++) {
      if (o.head() == HeadKind.VALUE) {
        if (count[c] == 0) {
          throw new IllegalArgumentException("candidate '" + cands.get(c).model()
              + "' has no outcome on the train split; remove it from candidates.json or record"
              + " outcomes for it");
        }
        width[c] = 2 * count[c];
        numeric[c] = new int[0];
      } else {
        // A generator only where there is a choice to make.
        boolean gen = count[c] > 1;
        width[c] = gen ? cands.get(c).slots() : 0;
        numeric[c] = gen ? cands.get(c).numericSlots() : new int[0];
      }
    }
    this.spec = new NetworkSpec(o.head(), train.baseDim() + (o.costWeightInput() ? 1 : 0),
        o.costWeightInput(), o.trunkHidden(), o.genHidden(), o.shared(), width, numeric);
    this.grid = CostTradeoff.grid(o.gridPoints());
  }

  /**
   * The network shape this run trains.
   *
   * @return the spec
   */
  public NetworkSpec spec() {
    return spec;
  }

  /**
   * Trains every member and assembles the ensemble.
   *
   * @return the result
   */
  public Result run() {
    Rng rng = new Rng(o.seed());
    ExecutorService pool = o.threads() > 1 ? Executors.newFixedThreadPool(o.threads(), r -> {
      Thread t = new Thread(r, "haps-train");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      List<HapsNetwork> members = new ArrayList<>();
      List<MemberReport> reports = new ArrayList<>();
      for (int m = 0; m < o.ensemble(); m++) {
        Rng mr = rng.split();
        MemberRun run = new MemberRun(m, mr, pool);
        members.add(run.train());
        reports.add(run.report);
      }
      TrainedModel model = assemble(members, true);
      ValidationCurve curve = validate(model, pool);
      return new Result(model, curve, metric.score(curve), reports);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  TrainedModel assemble(List<HapsNetwork> members, boolean round) {
    return new TrainedModel(members, cands, tradeoff, o.temperature(), embDim, featDim, round);
  }

  // ------------------------------------------------------------------ one member

  private final class MemberRun {
    final int member;
    final Rng rng;
    final ExecutorService pool;
    final HapsNetwork net;
    final double[][] grads = new double[SHARDS][];
    MemberReport report;
    int[] order;
    int cursor;

    MemberRun(int member, Rng rng, ExecutorService pool) {
      this.member = member;
      this.rng = rng;
      this.pool = pool;
      this.net = new HapsNetwork(spec, rng.split());
      for (int s = 0; s < SHARDS; s++) {
        grads[s] = new double[net.parameterCount()];
      }
      if (o.head() == HeadKind.VALUE) {
        initValueBiases(net);
      }
      order = new int[train.n()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      cursor = order.length;
    }

    HapsNetwork train() {
      int stepsPerEpoch = (train.n() + o.batchSize() - 1) / o.batchSize();
      int warmSteps = o.warmupEpochs() * stepsPerEpoch;
      Phase warm = phase("warmup", warmSteps, o.learningRate(), false);
      double[] best = warm.bestParams;
      double warmMetric = warm.bestMetric;
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

    final class Phase {
      double[] bestParams;
      double bestMetric = Double.NEGATIVE_INFINITY;
      double initialMetric;
      int steps;
    }

    Phase phase(String name, int steps, double lr, boolean rl) {
      Adam adam = new Adam(net.parameterCount(), net.decayMask());
      Phase ph = new Phase();
      ph.bestParams = net.parameters();
      ph.initialMetric = score(rl);
      ph.bestMetric = ph.initialMetric;
      int sinceBest = 0;
      double[] g = new double[net.parameterCount()];
      for (int step = 1; step <= steps; step++) {
        int[] rows = nextBatch();
        double[] cw = new double[rows.length];
        long[] seeds = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
          cw[i] = rng.uniform() < o.zeroCostWeightShare() ? 0.0 : rng.uniform();
          seeds[i] = rl ? rowSeed(rng) : 0;
        }
        gradient(net, rows, cw, seeds, rl, g, pool, grads);
        adam.step(net.p, g, lr, o.weightDecay());
        ph.steps = step;
        if (step % o.validateEvery() == 0 || step == steps) {
          double m = score(rl);
          if (m > ph.bestMetric) {
            ph.bestMetric = m;
            ph.bestParams = net.parameters();
            sinceBest = 0;
          } else {
            sinceBest++;
          }
          listener.progress(name, member, o.ensemble(), step, steps, m, ph.bestMetric);
          if (sinceBest >= o.patience()) {
            break;
          }
        }
      }
      return ph;
    }

    double score(boolean rl) {
      if (!rl && o.selectByLoss() && o.head() == HeadKind.VALUE) {
        return -validLoss(net);
      }
      return metric.score(validate(assemble(List.of(net), false), pool));
    }

    int[] nextBatch() {
      int b = Math.min(o.batchSize(), train.n());
      int[] rows = new int[b];
      for (int i = 0; i < b; i++) {
        if (cursor >= order.length) {
          rng.shuffle(order);
          cursor = 0;
        }
        rows[i] = order[cursor++];
      }
      return rows;
    }
  }

  private static long rowSeed(Rng rng) {
    return (long) (rng.uniform() * (1L << 53));
  }

  /** Sets the value heads' output biases to the training means. */
  private void initValueBiases(HapsNetwork net) {
    for (int c = 0; c < k; c++) {
      Dense d = net.genOut[c];
      int cc = byCand[c].length;
      for (int j = 0; j < cc; j++) {
        int gi = byCand[c][j];
        double s = 0;
        double lc = 0;
        int n = 0;
        for (int i = 0; i < train.n(); i++) {
          if (train.exact()[i * g + gi]) {
            s += train.score()[i * g + gi];
            lc += Math.log(train.cost()[i * g + gi] + COST_EPS);
            n++;
          }
        }
        double ms = n == 0 ? 0.5 : Math.max(0.02, Math.min(0.98, s / n));
        net.p[d.bOff + j] = Math.log(ms / (1 - ms));
        net.p[d.bOff + cc + j] = n == 0 ? 0 : lc / n;
      }
    }
  }

  // ------------------------------------------------------------------ gradients

  /** Mean gradient over the minibatch into {@code g}; shards run in parallel, summed in order. */
  double gradient(HapsNetwork net, int[] rows, double[] cw, long[] seeds, boolean rl, double[] g,
      ExecutorService pool, double[][] grads) {
    int b = rows.length;
    List<Future<?>> futures = new ArrayList<>();
    double[] losses = new double[SHARDS];
    for (int s = 0; s < SHARDS; s++) {
      int from = s * b / SHARDS;
      int to = (s + 1) * b / SHARDS;
      double[] gs = grads[s];
      int shard = s;
      Runnable job = () -> losses[shard] = shardGradient(net, rows, cw, seeds, from, to, rl, gs);
      if (pool == null) {
        job.run();
      } else {
        futures.add(pool.submit(job));
      }
    }
    await(futures);
    Arrays.fill(g, 0);
    for (int s = 0; s < SHARDS; s++) {
      double[] gs = grads[s];
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

  private static void await(List<Future<?>> futures) {
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

  private double shardGradient(HapsNetwork net, int[] rows, double[] cw, long[] seeds, int from,
      int to, boolean rl, double[] gs) {
    Arrays.fill(gs, 0);
    int n = to - from;
    if (n == 0) {
      return 0;
    }
    double loss = 0;
    int d = spec.inputDim();
    int base = train.baseDim();
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(train.x(), rows[from + i] * base, x, i * d, base);
      if (o.costWeightInput()) {
        x[i * d + d - 1] = cw[from + i];
      }
    }
    HapsNetwork.Pass pass = net.forward(x, n);
    double[][] dOut = new double[k][];
    for (int c = 0; c < k; c++) {
      if (pass.out[c] != null) {
        dOut[c] = new double[pass.out[c].length];
      }
    }
    double[] dLogits = pass.logits == null ? null : new double[pass.logits.length];
    for (int i = 0; i < n; i++) {
      int r = rows[from + i];
      double w = cw[from + i];
      if (o.head() == HeadKind.VALUE) {
        loss += valueRow(pass, i, r, w, dOut, rl ? o.auxWeight() : 1.0);
        if (rl) {
          loss += valueRl(pass, i, r, w, dOut, new Rng(seeds[from + i]));
        }
      } else {
        if (!rl || o.auxWeight() > 0) {
          loss += policyRow(pass, i, r, w, dOut, dLogits, rl ? o.auxWeight() : 1.0);
        }
        if (rl) {
          loss += policyRl(net, pass, i, r, w, dOut, dLogits, gs, new Rng(seeds[from + i]));
        }
      }
    }
    net.backward(pass, dOut, dLogits, gs);
    return loss;
  }

  private double reward(SplitTable t, int row, int cfg, double lambda, boolean augmented) {
    double s = t.score()[row * g + cfg];
    double c = t.cost()[row * g + cfg];
    if (Double.isNaN(s)) {
      return Double.NaN;
    }
    if (augmented && s == 0) {
      s = -1;
    }
    return s - lambda * c;
  }

  /** Value heads: score BCE + log-cost MSE + cross-entropy toward the λ-best configuration. */
  private double valueRow(HapsNetwork.Pass pass, int i, int r, double cw, double[][] dOut,
      double scale) {
    if (scale == 0) {
      return 0;
    }
    double loss = 0;
    double lambda = tradeoff.lambda(cw);
    double[] q = new double[g];
    double[] c = new double[g];
    int observed = 0;
    for (int gi = 0; gi < g; gi++) {
      if (train.exact()[r * g + gi]) {
        observed++;
      }
    }
    if (observed == 0) {
      return 0;
    }
    for (int gi = 0; gi < g; gi++) {
      int cand = cfgCand[gi];
      int cc = byCand[cand].length;
      int base = i * 2 * cc;
      double zq = pass.out[cand][base + cfgLocal[gi]];
      double zc = pass.out[cand][base + cc + cfgLocal[gi]];
      q[gi] = sigmoid(zq);
      c[gi] = Math.exp(zc);
      if (!train.exact()[r * g + gi]) {
        continue;
      }
      double s = train.score()[r * g + gi];
      double t = Math.log(train.cost()[r * g + gi] + COST_EPS);
      loss += scale * (softplus(zq) - s * zq + o.costLossWeight() * (zc - t) * (zc - t))
          / observed;
      dOut[cand][base + cfgLocal[gi]] += scale * (q[gi] - s) / observed;
      dOut[cand][base + cc + cfgLocal[gi]] +=
          scale * o.costLossWeight() * 2 * (zc - t) / observed;
    }
    if (o.policyLossWeight() > 0) {
      double best = Double.NEGATIVE_INFINITY;
      double maxU = Double.NEGATIVE_INFINITY;
      double[] rew = new double[g];
      for (int gi = 0; gi < g; gi++) {
        if (train.exact()[r * g + gi]) {
          rew[gi] = reward(train, r, gi, lambda, o.failureAugmentation());
          best = Math.max(best, rew[gi]);
          maxU = Math.max(maxU, (q[gi] - lambda * c[gi]) / o.temperature());
        }
      }
      double z = 0;
      int ties = 0;
      double[] p = new double[g];
      for (int gi = 0; gi < g; gi++) {
        if (train.exact()[r * g + gi]) {
          p[gi] = Math.exp((q[gi] - lambda * c[gi]) / o.temperature() - maxU);
          z += p[gi];
          if (rew[gi] >= best - TIE) {
            ties++;
          }
        }
      }
      for (int gi = 0; gi < g; gi++) {
        if (!train.exact()[r * g + gi]) {
          continue;
        }
        double t = rew[gi] >= best - TIE ? 1.0 / ties : 0;
        if (t > 0) {
          loss -= scale * o.policyLossWeight() * t * Math.log(p[gi] / z);
        }
        double dU = scale * o.policyLossWeight() * (p[gi] / z - t) / o.temperature();
        addU(dOut, i, gi, dU, q[gi], c[gi], lambda);
      }
    }
    return loss;
  }

  /** Chain rule from a utility gradient into the score logit and the log-cost. */
  private void addU(double[][] dOut, int i, int gi, double dU, double q, double c,
      double lambda) {
    int cand = cfgCand[gi];
    int cc = byCand[cand].length;
    int base = i * 2 * cc;
    dOut[cand][base + cfgLocal[gi]] += dU * q * (1 - q);
    dOut[cand][base + cc + cfgLocal[gi]] += dU * (-lambda * c);
  }

  /** Value heads, policy gradient: hierarchical sampling, self-critical baseline, entropy. */
  private double valueRl(HapsNetwork.Pass pass, int i, int r, double cw, double[][] dOut,
      Rng rng) {
    double lambda = tradeoff.lambda(cw);
    double tau = o.temperature();
    double[][] u = new double[k][];
    double[] logit = new double[k];
    int[] arg = new int[k];
    int greedy = -1;
    double greedyU = Double.NEGATIVE_INFINITY;
    for (int cand = 0; cand < k; cand++) {
      int cc = byCand[cand].length;
      u[cand] = new double[cc];
      int base = i * 2 * cc;
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cc; j++) {
        double q = sigmoid(pass.out[cand][base + j]);
        double c = Math.exp(pass.out[cand][base + cc + j]);
        u[cand][j] = q - lambda * c;
        if (u[cand][j] > best) {
          best = u[cand][j];
          arg[cand] = j;
        }
        if (u[cand][j] > greedyU) {
          greedyU = u[cand][j];
          greedy = byCand[cand][j];
        }
      }
      logit[cand] = best / tau;
    }
    double[] pk = softmax(logit);
    int kk = sample(pk, rng);
    double[] lj = new double[u[kk].length];
    for (int j = 0; j < lj.length; j++) {
      lj[j] = u[kk][j] / tau;
    }
    double[] pj = softmax(lj);
    int jj = sample(pj, rng);
    double rew = reward(train, r, byCand[kk][jj], lambda, o.failureAugmentation());
    double base = reward(train, r, greedy, lambda, o.failureAugmentation());
    if (Double.isNaN(rew) || Double.isNaN(base)) {
      return 0;
    }
    double adv = rew - base;
    double beta = o.entropyBonus();
    double hk = entropy(pk);
    double hj0 = entropy(pj);
    double loss = -adv * (Math.log(pk[kk]) + Math.log(pj[jj])) - beta * (hk + hj0);
    for (int cand = 0; cand < k; cand++) {
      double dl = -adv * ((cand == kk ? 1 : 0) - pk[cand])
          + beta * pk[cand] * (Math.log(pk[cand] + 1e-300) + hk);
      int gi = byCand[cand][arg[cand]];
      double[] qc = qc(pass, i, gi);
      addU(dOut, i, gi, dl / tau, qc[0], qc[1], lambda);
    }
    double hj = entropy(pj);
    for (int j = 0; j < pj.length; j++) {
      double dl = -adv * ((j == jj ? 1 : 0) - pj[j])
          + beta * pj[j] * (Math.log(pj[j] + 1e-300) + hj);
      int gi = byCand[kk][j];
      double[] qc = qc(pass, i, gi);
      addU(dOut, i, gi, dl / tau, qc[0], qc[1], lambda);
    }
    return loss;
  }

  private double[] qc(HapsNetwork.Pass pass, int i, int gi) {
    int cand = cfgCand[gi];
    int cc = byCand[cand].length;
    int base = i * 2 * cc;
    return new double[] {sigmoid(pass.out[cand][base + cfgLocal[gi]]),
        Math.exp(pass.out[cand][base + cc + cfgLocal[gi]])};
  }

  /** Policy heads, warm-up: cross-entropy toward the λ-best configuration (ties kept). */
  private double policyRow(HapsNetwork.Pass pass, int i, int r, double cw,
      double[][] dOut, double[] dLogits, double scale) {
    double lambda = tradeoff.lambda(cw);
    double[] rew = new double[g];
    double best = Double.NEGATIVE_INFINITY;
    double[] bestPer = new double[k];
    Arrays.fill(bestPer, Double.NEGATIVE_INFINITY);
    for (int gi = 0; gi < g; gi++) {
      rew[gi] = train.exact()[r * g + gi]
          ? reward(train, r, gi, lambda, o.failureAugmentation()) : Double.NaN;
      if (!Double.isNaN(rew[gi])) {
        best = Math.max(best, rew[gi]);
        bestPer[cfgCand[gi]] = Math.max(bestPer[cfgCand[gi]], rew[gi]);
      }
    }
    if (best == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    double[] loss = {0};
    double[] t = new double[k];
    int ties = 0;
    for (int gi = 0; gi < g; gi++) {
      if (!Double.isNaN(rew[gi]) && rew[gi] >= best - TIE) {
        t[cfgCand[gi]]++;
        ties++;
      }
    }
    double[] l = Arrays.copyOfRange(pass.logits, i * k, (i + 1) * k);
    double[] p = softmax(l);
    for (int c = 0; c < k; c++) {
      dLogits[i * k + c] += scale * (p[c] - t[c] / ties);
      if (t[c] > 0) {
        loss[0] -= scale * t[c] / ties * Math.log(p[c]);
      }
    }
    // Every generator learns its own model's best parameters at this λ.
    for (int c = 0; c < k; c++) {
      CandidateOutputs co = cands.get(c);
      int w = spec.width(c);
      if (w == 0 || bestPer[c] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double[] target = new double[w];
      int n = 0;
      for (int gi : byCand[c]) {
        if (!Double.isNaN(rew[gi]) && rew[gi] >= bestPer[c] - TIE) {
          for (int s = 0; s < w; s++) {
            target[s] += cfgTarget[gi][s];
          }
          n++;
        }
      }
      for (int s = 0; s < w; s++) {
        target[s] /= n;
      }
      double[] raw = Arrays.copyOfRange(pass.out[c], i * w, (i + 1) * w);
      double[] dc = dOut[c];
      forEachGroup(co, (off, len, numeric) -> {
        if (numeric) {
          double mu = sigmoid(raw[off]);
          loss[0] += scale * (mu - target[off]) * (mu - target[off]);
          dc[i * w + off] += scale * 2 * (mu - target[off]) * mu * (1 - mu);
        } else {
          double[] pp = softmax(Arrays.copyOfRange(raw, off, off + len));
          for (int s = 0; s < len; s++) {
            if (target[off + s] > 0) {
              loss[0] -= scale * target[off + s] * Math.log(pp[s]);
            }
            dc[i * w + off + s] += scale * (pp[s] - target[off + s]);
          }
        }
      });
    }
    return loss[0];
  }

  /** Policy heads, policy gradient: sample model and parameters, self-critical baseline. */
  private double policyRl(HapsNetwork net, HapsNetwork.Pass pass, int i, int r, double cw,
      double[][] dOut, double[] dLogits, double[] gs, Rng rng) {
    double lambda = tradeoff.lambda(cw);
    double[] l = Arrays.copyOfRange(pass.logits, i * k, (i + 1) * k);
    double[] pk = softmax(l);
    int kk = sample(pk, rng);
    int gk = argmax(l);
    CandidateOutputs co = cands.get(kk);
    int w = spec.width(kk);
    double[] raw = w == 0 ? new double[0] : Arrays.copyOfRange(pass.out[kk], i * w, (i + 1) * w);
    double[] sampled = new double[w];
    double[] eps = new double[w];
    int[] numeric = co.numericSlots();
    forEachGroup(w == 0 ? null : co, (off, len, isNum) -> {
      if (isNum) {
        double mu = sigmoid(raw[off]);
        double sd = Math.exp(net.p[net.logStdOff[kk] + indexOf(numeric, off)]);
        double e = rng.gaussian();
        eps[off] = e;
        double v = Math.max(0, Math.min(1, mu + sd * e));
        sampled[off] = CandidateOutputs.logit(v);
      } else {
        double[] pp = softmax(Arrays.copyOfRange(raw, off, off + len));
        sampled[off + sample(pp, rng)] = 1;
      }
    });
    int cfg = resolver.resolve(kk, w == 0 ? ParameterValues.empty() : co.decode(sampled, 0));
    double rew = reward(train, r, cfg, lambda, o.failureAugmentation());
    int base = resolveGreedy(pass, i, gk);
    double b = reward(train, r, base, lambda, o.failureAugmentation());
    if (Double.isNaN(rew) || Double.isNaN(b)) {
      return 0;
    }
    double adv = rew - b;
    double beta = o.entropyBonus();
    double hk = entropy(pk);
    double[] loss = {-adv * Math.log(pk[kk]) - beta * hk};
    for (int c = 0; c < k; c++) {
      dLogits[i * k + c] += -adv * ((c == kk ? 1 : 0) - pk[c])
          + beta * pk[c] * (Math.log(pk[c] + 1e-300) + hk);
    }
    forEachGroup(w == 0 ? null : co, (off, len, isNum) -> {
      if (isNum) {
        int ls = net.logStdOff[kk] + indexOf(numeric, off);
        double mu = sigmoid(raw[off]);
        double sd = Math.exp(net.p[ls]);
        double e = eps[off];
        // log N(v; mu, sd) with v = mu + sd·e: d/dmu = e/sd, d/dlog sd = e² − 1.
        dOut[kk][i * w + off] += -adv * (e / sd) * mu * (1 - mu);
        gs[ls] += -adv * (e * e - 1) - beta;
        loss[0] += -beta * Math.log(sd);
      } else {
        double[] pp = softmax(Arrays.copyOfRange(raw, off, off + len));
        double h = entropy(pp);
        int chosen = 0;
        for (int s = 0; s < len; s++) {
          if (sampled[off + s] == 1) {
            chosen = s;
          }
        }
        loss[0] += -adv * Math.log(pp[chosen]) - beta * h;
        for (int s = 0; s < len; s++) {
          dOut[kk][i * w + off + s] += -adv * (sampled[off + s] - pp[s])
              + beta * pp[s] * (Math.log(pp[s] + 1e-300) + h);
        }
      }
    });
    return loss[0];
  }

  private int resolveGreedy(HapsNetwork.Pass pass, int i, int cand) {
    CandidateOutputs co = cands.get(cand);
    int w = spec.width(cand);
    if (w == 0) {
      return resolver.resolve(cand, ParameterValues.empty());
    }
    return resolver.resolve(cand, co.decode(Arrays.copyOfRange(pass.out[cand], i * w,
        (i + 1) * w), 0));
  }

  @FunctionalInterface
  private interface GroupVisitor {
    void visit(int offset, int length, boolean numeric);
  }

  private static void forEachGroup(CandidateOutputs co, GroupVisitor v) {
    if (co == null) {
      return;
    }
    List<Integer> offs = co.slotOffsets();
    List<dev.haps.api.params.ParameterSpec> specs = co.space().specs();
    for (int p = 0; p < specs.size(); p++) {
      dev.haps.api.params.ParameterSpec s = specs.get(p);
      boolean numeric = CandidateOutputs.numeric(s);
      v.visit(offs.get(p), CandidateOutputs.width(s), numeric);
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalStateException("slot " + v + " is not numeric");
  }

  // ------------------------------------------------------------------ validation

  /**
   * Mean regression loss of value heads on the valid table (score cross-entropy plus weighted
   * log-cost squared error per exact outcome), at cost weight 0.5 when the trunk reads it.
   */
  double validLoss(HapsNetwork net) {
    double[] x = inputs(valid, 0.5);
    HapsNetwork.Pass pass = net.forward(x, valid.n());
    double loss = 0;
    int n = 0;
    for (int i = 0; i < valid.n(); i++) {
      for (int gi = 0; gi < g; gi++) {
        if (!valid.exact()[i * g + gi]) {
          continue;
        }
        int cand = cfgCand[gi];
        int cc = byCand[cand].length;
        int base = i * 2 * cc;
        double zq = pass.out[cand][base + cfgLocal[gi]];
        double zc = pass.out[cand][base + cc + cfgLocal[gi]];
        double s = valid.score()[i * g + gi];
        double t = Math.log(valid.cost()[i * g + gi] + COST_EPS);
        loss += softplus(zq) - s * zq + o.costLossWeight() * (zc - t) * (zc - t);
        n++;
      }
    }
    return n == 0 ? 0 : loss / n;
  }

  /** Greedy decisions of a model on the valid table over the cost-weight grid. */
  ValidationCurve validate(TrainedModel model, ExecutorService pool) {
    int n = valid.n();
    double[] ms = new double[grid.length];
    double[] mc = new double[grid.length];
    double[] mr = new double[grid.length];
    List<Future<?>> futures = new ArrayList<>();
    for (int gp = 0; gp < grid.length; gp++) {
      int idx = gp;
      Runnable job = () -> {
        double w = grid[idx];
        double[] cwRow = new double[n];
        Arrays.fill(cwRow, w);
        double[] x = inputs(valid, w);
        TrainedModel.Outputs out = model.infer(x, cwRow, n);
        double lambda = tradeoff.lambda(w);
        double s = 0;
        double c = 0;
        double rr = 0;
        for (int i = 0; i < n; i++) {
          TrainedModel.Decision d = model.decide(out, i);
          int cfg = resolver.resolve(d.candidate(), d.params());
          double sc = valid.score()[i * g + cfg];
          double co = valid.cost()[i * g + cfg];
          if (Double.isNaN(sc)) {
            sc = 0;
            co = 0;
          }
          s += sc;
          c += co;
          rr += sc - lambda * co;
        }
        ms[idx] = s / n;
        mc[idx] = c / n * tradeoff.costScale();
        mr[idx] = rr / n;
      };
      if (pool == null) {
        job.run();
      } else {
        futures.add(pool.submit(job));
      }
    }
    await(futures);
    return new ValidationCurve(grid.clone(), ms, mc, mr);
  }

  private double[] inputs(SplitTable t, double cw) {
    int d = spec.inputDim();
    int base = t.baseDim();
    double[] x = new double[t.n() * d];
    for (int i = 0; i < t.n(); i++) {
      System.arraycopy(t.x(), i * base, x, i * d, base);
      if (o.costWeightInput()) {
        x[i * d + d - 1] = cw;
      }
    }
    return x;
  }

  // ------------------------------------------------------------------ small math

  static double sigmoid(double u) {
    return 1 / (1 + Math.exp(-u));
  }

  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  static double[] softmax(double[] l) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : l) {
      m = Math.max(m, v);
    }
    double z = 0;
    double[] p = new double[l.length];
    for (int i = 0; i < l.length; i++) {
      p[i] = Math.exp(l[i] - m);
      z += p[i];
    }
    for (int i = 0; i < l.length; i++) {
      p[i] /= z;
    }
    return p;
  }

  static double entropy(double[] p) {
    double h = 0;
    for (double v : p) {
      if (v > 0) {
        h -= v * Math.log(v);
      }
    }
    return h;
  }

  static int sample(double[] p, Rng rng) {
    double u = rng.uniform();
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return p.length - 1;
  }

  static int argmax(double[] v) {
    int b = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[b]) {
        b = i;
      }
    }
    return b;
  }
}
