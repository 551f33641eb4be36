package dev.haps.train;

import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.Hull;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import dev.haps.train.model.ConfigurationValues;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.LinearPath;
import dev.haps.train.model.Minibatch;
import dev.haps.train.model.NetworkSpec;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.nn.Adam;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The value-head recipe with selection by K-fold cross-validation over train+valid (issue 19):
 *
 * <ol>
 *   <li>folds: a permutation of the rows seeded by the run's seed, fold f = rows {@code perm[f],
 *       perm[f + K], ...};
 *   <li>α of the closed-form linear path ({@link LinearPath}) from {@link #ALPHAS}, fitted
 *       with equal row weights, with task-balancing weights ({@code 1/√n_task}, when the log
 *       names two tasks or more) and at each reduced rank of {@link #RANKS} (the score slopes
 *       restricted to a few directions all configurations share): {@value #DEFAULT_ALPHA}
 *       unweighted at full rank unless the best of these candidates beats it by more than one
 *       paired standard error;
 *   <li>γ, the scale of the trained residual (trunk + generators, fixed epochs, on top of the
 *       frozen linear path), from {@link #GAMMAS}: the smallest γ within one paired standard
 *       error of the best, all γ evaluated on one residual per fold;
 *   <li>the criterion on a held-out fold is gap closed with the evaluation's yardstick, averaged
 *       over plain and task-uniform weighting (when the log names at least two tasks);
 *   <li>the shipped model is refit on all of train+valid.
 * </ol>
 *
 * <p>Folds run in parallel on the pool; every random draw happens on the calling thread in a
 * fixed order, so results do not depend on the thread count.
 */
final class CrossValidation {

  static final double[] ALPHAS = {10, 20, 30, 50, 100};
  static final double DEFAULT_ALPHA = 30;
  static final double[] GAMMAS = {0, 0.25, 0.5, 1};
  static final int BOOTSTRAP = 200;

  /**
   * Reduced ranks of the linear path's score slopes tried beside the full-rank fit (those below
   * the configuration count). Rank 1 is one query factor that every configuration reads, like
   * difficulty in item response theory; zeroeval's 29 models choose it, routerbench-3task and
   * concise-cot keep the full rank. Ranks 2 and 3 as well only added selection noise
   * (docs/quality.md, "Reduced-rank linear path").
   */
  static final int[] RANKS = {1};

  /** One linear-path candidate of the α step. */
  private record PathCandidate(double alpha, boolean balanced, int rank) {}

  /** The refit model and the estimate. */
  record Result(List<HapsNetwork> members, CvEstimate estimate) {}

  private final TrainOptions o;
  private final TrainingObjective objective;
  private final NetworkSpec spec;
  /** The problem over all train+valid rows (its train table), chosen configurations. */
  private final TrainingProblem all;
  /** All train+valid rows over every configuration of the log: the yardstick's table. */
  private final SplitTable yard;
  /** Per chosen configuration, its column in {@link #yard}. */
  private final int[] yardIndex;
  private final int[] task;
  private final int tasks;
  private final double[] grid;
  private final TrainingListener listener;
  private final ExecutorService pool;

  CrossValidation(TrainOptions o, TrainingObjective objective, NetworkSpec spec,
      TrainingProblem all, SplitTable yard, int[] yardIndex, int[] task, double[] grid,
      TrainingListener listener, ExecutorService pool) {
    this.o = o;
    this.objective = objective;
    this.spec = spec;
    this.all = all;
    this.yard = yard;
    this.yardIndex = yardIndex;
    this.task = task;
    this.tasks = task.length == 0 ? 0 : Arrays.stream(task).max().getAsInt() + 1;
    this.grid = grid;
    this.listener = listener;
    this.pool = pool;
  }

  /** One held-out fold. */
  private record Fold(int[] train, int[] held) {}

  Result run(Rng rng) {
    long t0 = System.nanoTime();
    int n = all.train().n();
    int k = o.cvFolds();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    rng.split().shuffle(perm);
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      boolean[] out = new boolean[n];
      for (int i = f; i < n; i += k) {
        out[perm[i]] = true;
      }
      int[] tr = new int[n - count(out)];
      int[] ho = new int[count(out)];
      int a = 0;
      int b = 0;
      for (int i = 0; i < n; i++) {
        if (out[i]) {
          ho[b++] = i;
        } else {
          tr[a++] = i;
        }
      }
      folds.add(new Fold(tr, ho));
    }
    List<Scorer> scorers = new ArrayList<>();
    for (Fold f : folds) {
      scorers.add(new Scorer(f.held()));
    }
    boolean fixedAlpha = o.linearAlpha() > 0;
    double[] alphas = fixedAlpha ? new double[] {o.linearAlpha()} : ALPHAS;

    // Step 1: α of the linear path (closed form, per fold one Gram matrix).
    listener.status("cross-validation: " + k + " folds over " + n + " train+valid queries;"
        + " linear path, alpha " + Arrays.toString(alphas));
    // Candidates, in blocks of one per α: full rank unweighted; full rank with task-balancing
    // sample weights (when the log names two tasks or more); each reduced rank unweighted.
    boolean balance = tasks >= 2;
    int configs = all.configurations().size();
    int[] ranks = Arrays.stream(RANKS).filter(r -> r < configs).toArray();
    List<PathCandidate> cands = new ArrayList<>();
    for (int b = 0; b < (balance ? 2 : 1); b++) {
      for (double a : alphas) {
        cands.add(new PathCandidate(a, b == 1, 0));
      }
    }
    for (int r : ranks) {
      for (double a : alphas) {
        cands.add(new PathCandidate(a, false, r));
      }
    }
    int nc = cands.size();
    double[][] ga = new double[k][];
    LinearPath[][] paths = new LinearPath[k][];
    List<Callable<Void>> jobs = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      int ff = f;
      jobs.add(() -> {
        Fold fold = folds.get(ff);
        ga[ff] = new double[nc];
        paths[ff] = new LinearPath[nc];
        LinearPath.Fitter plain = LinearPath.fitter(all, all.train(), fold.train(), new double[0]);
        LinearPath.Fitter weighted = balance ? LinearPath.fitter(all, all.train(), fold.train(),
            taskBalancing(fold.train())) : null;
        for (int c = 0; c < nc; c++) {
          PathCandidate pc = cands.get(c);
          paths[ff][c] = (pc.balanced() ? weighted : plain).pathOfRank(pc.alpha(), pc.rank());
          double[] z = ConfigurationValues.of(paths[ff][c], all, all.train(), fold.held());
          ga[ff][c] = scorers.get(ff).criterion(choices(List.of(z), fold.held().length));
        }
        return null;
      });
    }
    runAll(jobs);
    // The unweighted full-rank default α stays unless another candidate beats it by more than
    // one paired standard error: task balancing and a reduced rank are taken when the folds
    // show them, not on faith.
    int ia = ruleDefault(ga, fixedAlpha ? 0 : indexOf(ALPHAS, DEFAULT_ALPHA));
    double alpha = cands.get(ia).alpha();
    boolean balanced = cands.get(ia).balanced();
    int rank = cands.get(ia).rank();

    // Step 2: γ of the residual, one residual training per fold at the chosen α.
    boolean fixedGamma = o.residualScale() >= 0;
    double[] gammas = fixedGamma ? new double[] {o.residualScale()} : GAMMAS;
    boolean train = Arrays.stream(gammas).anyMatch(g -> g != 0);
    double[][] gg = new double[k][gammas.length];
    double[][][] oofQ = new double[k][gammas.length][];
    double[][][] oofE = new double[k][gammas.length][];
    Rng[][] foldRngs = new Rng[k][o.ensemble()];
    for (int f = 0; f < k; f++) {
      for (int m = 0; m < o.ensemble(); m++) {
        foldRngs[f][m] = rng.split();
      }
    }
    if (train) {
      listener.status("cross-validation: alpha " + fmt(alpha) + "; training " + k + " × "
          + o.ensemble() + " residual(s), " + o.epochs() + " epochs each, gamma "
          + Arrays.toString(gammas));
    }
    jobs.clear();
    for (int f = 0; f < k; f++) {
      int ff = f;
      jobs.add(() -> {
        Fold fold = folds.get(ff);
        LinearPath lp = paths[ff][ia];
        int h = fold.held().length;
        double[] lin = ConfigurationValues.of(lp, all, all.train(), fold.held());
        List<double[]> res = new ArrayList<>();
        if (train) {
          TrainingProblem fp = ConfigurationValues.withTables(all,
              ConfigurationValues.rows(all.train(), fold.train()),
              ConfigurationValues.rows(all.train(), fold.held()));
          for (int m = 0; m < o.ensemble(); m++) {
            HapsNetwork net = residual(fp, lp, foldRngs[ff][m], null);
            double[] z = ConfigurationValues.of(net, all, all.train(), fold.held(), 0.5);
            for (int i = 0; i < z.length; i++) {
              z[i] -= lin[i];
            }
            res.add(z);
          }
        }
        for (int i = 0; i < gammas.length; i++) {
          List<double[]> zs = new ArrayList<>();
          if (res.isEmpty()) {
            zs.add(lin);
          }
          for (double[] r : res) {
            double[] z = lin.clone();
            for (int j = 0; j < z.length; j++) {
              z[j] += gammas[i] * r[j];
            }
            zs.add(z);
          }
          double[][] qe = qe(zs, h);
          oofQ[ff][i] = qe[0];
          oofE[ff][i] = qe[1];
          gg[ff][i] = scorers.get(ff).criterion(decide(qe[0], qe[1], h));
        }
        return null;
      });
    }
    runAll(jobs);
    int ig = fixedGamma ? 0 : rule1seSmallest(gg, gammas);
    double gamma = gammas[ig];

    // The estimate at the chosen α, γ: per fold, and pooled over all out-of-fold decisions.
    int g = all.configurations().size();
    double[] q = new double[n * g];
    double[] e = new double[n * g];
    double[] foldGaps = new double[k];
    for (int f = 0; f < k; f++) {
      int[] ho = folds.get(f).held();
      for (int i = 0; i < ho.length; i++) {
        System.arraycopy(oofQ[f][ig], i * g, q, ho[i] * g, g);
        System.arraycopy(oofE[f][ig], i * g, e, ho[i] * g, g);
      }
      foldGaps[f] = scorers.get(f).plain(decide(oofQ[f][ig], oofE[f][ig], ho.length));
    }
    int[] everyRow = new int[n];
    for (int i = 0; i < n; i++) {
      everyRow[i] = i;
    }
    int[][] pooledChoice = decide(q, e, n);
    Scorer pooled = new Scorer(everyRow);
    double pooledGap = pooled.plain(pooledChoice);
    double uniform = tasks >= 2 ? pooled.uniform(pooledChoice) : Double.NaN;
    double[] boot = new double[BOOTSTRAP];
    Rng br = rng.split();
    for (int b = 0; b < BOOTSTRAP; b++) {
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[br.nextInt(n)] += 1;
      }
      boot[b] = pooled.weighted(pooledChoice, w);
    }
    Arrays.sort(boot);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double[] curve = mean(ga);
    List<Double> plainCurve = new ArrayList<>();
    List<Double> balancedCurve = new ArrayList<>();
    Map<Integer, List<Double>> rankCurves = new LinkedHashMap<>();
    for (int c = 0; c < nc; c++) { // each block is in α order
      PathCandidate pc = cands.get(c);
      (pc.rank() > 0 ? rankCurves.computeIfAbsent(pc.rank(), r -> new ArrayList<>())
          : pc.balanced() ? balancedCurve : plainCurve).add(curve[c]);
    }
    CvEstimate est = new CvEstimate(k, alpha, balanced, gamma, boxed(alphas), plainCurve,
        balancedCurve,
        boxed(gammas), boxed(mean(gg)), boxed(foldGaps), mean(foldGaps), sd(foldGaps), pooledGap,
        quantile(boot, 0.025), quantile(boot, 0.975), uniform, tasks, seconds, rank,
        rankCurves);
    listener.status(String.format(java.util.Locale.ROOT, "cross-validation: alpha %s%s, gamma"
        + " %s; gap closed %.3f ± %.3f over %d folds, pooled out-of-fold %.3f [%.3f, %.3f]%s"
        + " (%.0f s)", fmt(alpha) + (rank > 0 ? ", rank " + rank : ""),
        balanced ? " (task-balanced)" : "", fmt(gamma),
        est.meanGapClosed(), est.sdGapClosed(), k,
        pooledGap, est.pooledLow(), est.pooledHigh(), Double.isNaN(uniform) ? ""
            : String.format(java.util.Locale.ROOT, ", task-uniform %.3f", uniform), seconds));

    // Refit on all of train+valid.
    listener.status("refit on all " + n + " train+valid queries (alpha " + fmt(alpha)
        + (rank > 0 ? ", rank " + rank : "") + (balanced ? ", task-balanced" : "") + ", gamma "
        + fmt(gamma) + ")");
    LinearPath lp = LinearPath.fitter(all, all.train(), everyRow,
        balanced ? taskBalancing(everyRow) : new double[0]).pathOfRank(alpha, rank);
    List<HapsNetwork> members = new ArrayList<>();
    for (int m = 0; m < o.ensemble(); m++) {
      Rng mr = rng.split();
      HapsNetwork net;
      if (gamma == 0) {
        net = new HapsNetwork(spec, mr.split());
        net.linearPath(lp);
      } else {
        net = residual(all, lp, mr, pool);
      }
      net.scaleGenerators(gamma);
      members.add(net);
    }
    return new Result(members, est);
  }

  /**
   * Task-balancing sample weights for some rows: {@code 1/√n_t} for a row of task t, where
   * {@code n_t} counts the task's rows among them (half-way, on a log scale, between the log's
   * own mix and every task weighted the same; the numpy study in docs/quality.md found the
   * square root the better half under a shifted mix).
   */
  private double[] taskBalancing(int[] rows) {
    int[] count = new int[tasks];
    for (int r : rows) {
      count[task[r]]++;
    }
    double[] w = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      w[i] = 1.0 / Math.sqrt(count[task[rows[i]]]);
    }
    return w;
  }

  /** Trains one residual on top of a frozen linear path: fixed epochs, no checkpoints. */
  private HapsNetwork residual(TrainingProblem p, LinearPath lp, Rng rng, ExecutorService threads) {
    HapsNetwork net = new HapsNetwork(spec, rng.split());
    net.linearPath(lp);
    ShardedGradient gradient = new ShardedGradient(objective, p, threads, net.parameterCount());
    Adam adam = net.optimiser();
    int n = p.train().n();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int cursor = n;
    int steps = o.epochs() * ((n + o.batchSize() - 1) / o.batchSize());
    double[] g = new double[net.parameterCount()];
    for (int step = 0; step < steps; step++) {
      int b = Math.min(o.batchSize(), n);
      int[] rows = new int[b];
      for (int i = 0; i < b; i++) {
        if (cursor >= n) {
          rng.shuffle(order);
          cursor = 0;
        }
        rows[i] = order[cursor++];
      }
      double[] cw = new double[b];
      for (int i = 0; i < b; i++) {
        cw[i] = rng.uniform() < o.zeroCostWeightShare() ? 0.0 : rng.uniform();
      }
      gradient.compute(net, new Minibatch(rows, cw, new long[b]), false, g);
      net.step(adam, g, o.learningRate(), o.weightDecay());
    }
    return net;
  }

  /** Mean σ(score logit) and mean exp(log-cost) over members: {@code [q, e]}, each n × G. */
  private double[][] qe(List<double[]> zs, int n) {
    int g = all.configurations().size();
    double[] q = new double[n * g];
    double[] e = new double[n * g];
    double inv = 1.0 / zs.size();
    for (double[] z : zs) {
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < g; c++) {
          q[i * g + c] += inv / (1 + Math.exp(-z[i * 2 * g + c]));
          e[i * g + c] += inv * Math.exp(z[i * 2 * g + g + c]);
        }
      }
    }
    return new double[][] {q, e};
  }

  private int[][] choices(List<double[]> zs, int n) {
    double[][] qe = qe(zs, n);
    return decide(qe[0], qe[1], n);
  }

  /** Greedy decisions per grid weight: the configuration (yard column) of highest utility. */
  private int[][] decide(double[] q, double[] e, int n) {
    int g = all.configurations().size();
    CostTradeoff t = all.tradeoff();
    int[][] out = new int[grid.length][n];
    for (int w = 0; w < grid.length; w++) {
      double lambda = t.lambda(grid[w]);
      for (int i = 0; i < n; i++) {
        int best = 0;
        double bu = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < g; c++) {
          double u = q[i * g + c] - lambda * e[i * g + c];
          if (u > bu) {
            bu = u;
            best = c;
          }
        }
        out[w][i] = yardIndex[best];
      }
    }
    return out;
  }

  /** Gap closed of decisions on a set of yard rows, under a row weighting. */
  private final class Scorer {
    private final int[] rows;
    private final Yardstick plain;
    private final Yardstick uniform;
    private final double[] uniformWeights;

    Scorer(int[] rows) {
      this.rows = rows;
      double[] ones = new double[rows.length];
      Arrays.fill(ones, 1);
      this.plain = yardstick(ones);
      if (tasks >= 2) {
        int[] cnt = new int[tasks];
        for (int r : rows) {
          cnt[task[r]]++;
        }
        uniformWeights = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          uniformWeights[i] = 1.0 / cnt[task[rows[i]]];
        }
        this.uniform = yardstick(uniformWeights);
      } else {
        this.uniform = null;
        this.uniformWeights = null;
      }
    }

    double plain(int[][] choice) {
      double[] ones = new double[rows.length];
      Arrays.fill(ones, 1);
      return gap(plain, choice, ones);
    }

    double uniform(int[][] choice) {
      return gap(uniform, choice, uniformWeights);
    }

    /** The selection criterion: mean of plain and task-uniform gap closed. */
    double criterion(int[][] choice) {
      double p = plain(choice);
      return uniform == null ? p : (p + uniform(choice)) / 2;
    }

    double weighted(int[][] choice, double[] w) {
      return gap(yardstick(w), choice, w);
    }

    private Yardstick yardstick(double[] w) {
      int gy = yard.configurations();
      double tw = 0;
      for (double v : w) {
        tw += v;
      }
      double cs = all.tradeoff().costScale();
      List<TradeoffPoint> fixed = new ArrayList<>();
      for (int c = 0; c < gy; c++) {
        double s = 0;
        double cost = 0;
        for (int i = 0; i < rows.length; i++) {
          if (w[i] == 0) {
            continue;
          }
          double sc = yard.score()[rows[i] * gy + c];
          if (!Double.isNaN(sc)) {
            s += w[i] * sc;
            cost += w[i] * yard.cost()[rows[i] * gy + c];
          }
        }
        fixed.add(new TradeoffPoint(cost / tw * cs, s / tw));
      }
      List<TradeoffPoint> oracle = new ArrayList<>();
      for (double gw : grid) {
        double lambda = all.tradeoff().lambda(gw);
        double s = 0;
        double cost = 0;
        for (int i = 0; i < rows.length; i++) {
          if (w[i] == 0) {
            continue;
          }
          int r = rows[i];
          int best = -1;
          double br = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < gy; c++) {
            double sc = yard.score()[r * gy + c];
            if (Double.isNaN(sc)) {
              continue;
            }
            double co = yard.cost()[r * gy + c];
            double rew = sc - lambda * co;
            if (rew > br || (rew == br && co < yard.cost()[r * gy + best])) {
              br = rew;
              best = c;
            }
          }
          if (best >= 0) {
            s += w[i] * yard.score()[r * gy + best];
            cost += w[i] * yard.cost()[r * gy + best];
          }
        }
        oracle.add(new TradeoffPoint(cost / tw * cs, s / tw));
      }
      return Yardstick.of(fixed, oracle);
    }

    private double gap(Yardstick y, int[][] choice, double[] w) {
      int gy = yard.configurations();
      double tw = 0;
      for (double v : w) {
        tw += v;
      }
      double cs = all.tradeoff().costScale();
      List<TradeoffPoint> pts = new ArrayList<>();
      for (int[] ch : choice) {
        double s = 0;
        double cost = 0;
        for (int i = 0; i < rows.length; i++) {
          if (w[i] == 0) {
            continue;
          }
          double sc = yard.score()[rows[i] * gy + ch[i]];
          if (!Double.isNaN(sc)) {
            s += w[i] * sc;
            cost += w[i] * yard.cost()[rows[i] * gy + ch[i]];
          }
        }
        pts.add(new TradeoffPoint(cost / tw * cs, s / tw));
      }
      return y.gapClosed(y.aiq(Hull.of(pts)));
    }
  }

  /** Index of the default unless the best beats it by more than one paired standard error. */
  static int ruleDefault(double[][] folds, int def) {
    double[] m = mean(folds);
    int best = argmax(m);
    double[] diff = new double[folds.length];
    for (int f = 0; f < folds.length; f++) {
      diff[f] = folds[f][best] - folds[f][def];
    }
    double se = sd(diff) / Math.sqrt(diff.length);
    return mean(diff) > se ? best : def;
  }

  /** The smallest value whose mean is within one paired standard error of the best one. */
  static int rule1seSmallest(double[][] folds, double[] values) {
    double[] m = mean(folds);
    int best = argmax(m);
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    for (int i : order) {
      double[] diff = new double[folds.length];
      for (int f = 0; f < folds.length; f++) {
        diff[f] = folds[f][best] - folds[f][i];
      }
      double se = folds.length > 1 ? sd(diff) / Math.sqrt(diff.length) : 0;
      if (m[best] - m[i] <= se) {
        return i;
      }
    }
    return best;
  }

  private void runAll(List<Callable<Void>> jobs) {
    if (pool == null) {
      for (Callable<Void> j : jobs) {
        try {
          j.call();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    List<Future<?>> fs = new ArrayList<>();
    for (Callable<Void> j : jobs) {
      fs.add(pool.submit(j));
    }
    ShardedGradient.await(fs);
  }

  private static int count(boolean[] b) {
    int c = 0;
    for (boolean v : b) {
      if (v) {
        c++;
      }
    }
    return c;
  }

  private static int indexOf(double[] a, double v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalArgumentException(v + " not in " + Arrays.toString(a));
  }

  private static int argmax(double[] a) {
    int b = 0;
    for (int i = 1; i < a.length; i++) {
      if (a[i] > a[b]) {
        b = i;
      }
    }
    return b;
  }

  static double[] mean(double[][] a) {
    double[] m = new double[a[0].length];
    for (double[] r : a) {
      for (int i = 0; i < m.length; i++) {
        m[i] += r[i] / a.length;
      }
    }
    return m;
  }

  static double mean(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s / a.length;
  }

  static double sd(double[] a) {
    if (a.length < 2) {
      return 0;
    }
    double m = mean(a);
    double s = 0;
    for (double v : a) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (a.length - 1));
  }

  private static double quantile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static List<Double> boxed(double[] a) {
    return Arrays.stream(a).boxed().toList();
  }

  /** A penalty or scale as the status lines print it: whole numbers without ".0". */
  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
