package dev.haps.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.train.model.CandidateOutputs;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.Minibatch;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the hand-written backward passes of every training objective, through the sharded
 * minibatch gradient, against central finite differences, on small random problems (seeded),
 * with and without sharing, warm-up and policy gradient.
 */
class GradientCheckTest {

  /** A random problem: 3 candidates with 1, 2 and 3 configurations. */
  static final class Problem {
    final List<CandidateOutputs> cands = new ArrayList<>();
    final List<ParameterValues> params = new ArrayList<>();
    final int[] cfgCand;
    final SplitTable train;
    final SplitTable valid;

    Problem(long seed, boolean numeric) {
      Rng r = new Rng(seed);
      cands.add(new CandidateOutputs("a", ParameterSpace.empty(), List.of(ParameterValues.empty())));
      CategoricalSpec style = CategoricalSpec.of("style", "x", "x", "y");
      List<ParameterValues> b = List.of(ParameterValues.of(java.util.Map.of("style", "x")),
          ParameterValues.of(java.util.Map.of("style", "y")));
      cands.add(new CandidateOutputs("b", ParameterSpace.of(style), b));
      List<ParameterValues> c = new ArrayList<>();
      ParameterSpace cs;
      if (numeric) {
        cs = ParameterSpace.of(FloatSpec.of("t", 0, 1, 0.5), CategoricalSpec.of("s", "p", "p",
            "q"));
        c.add(ParameterValues.of(java.util.Map.of("t", 0.2, "s", "p")));
        c.add(ParameterValues.of(java.util.Map.of("t", 0.7, "s", "p")));
        c.add(ParameterValues.of(java.util.Map.of("t", 0.7, "s", "q")));
      } else {
        cs = ParameterSpace.of(CategoricalSpec.of("s", "p", "p", "q", "r"));
        for (String v : List.of("p", "q", "r")) {
          c.add(ParameterValues.of(java.util.Map.of("s", v)));
        }
      }
      cands.add(new CandidateOutputs("c", cs, c));
      cfgCand = new int[] {0, 1, 1, 2, 2, 2};
      params.add(ParameterValues.empty());
      params.addAll(b);
      params.addAll(c);
      train = table(r, 10);
      valid = table(r, 5);
    }

    private static SplitTable table(Rng r, int n) {
      int base = 5;
      int g = 6;
      double[] x = new double[n * base];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.gaussian();
      }
      double[] s = new double[n * g];
      double[] c = new double[n * g];
      boolean[] e = new boolean[n * g];
      for (int i = 0; i < n * g; i++) {
        s[i] = r.uniform() < 0.5 ? 1 : 0;
        c[i] = 0.01 + r.uniform();
        e[i] = r.uniform() < 0.9;
      }
      return new SplitTable(n, base, x, s, c, e, g);
    }
  }

  private static TrainOptions options(HeadKind head, boolean shared, boolean fail, int gen) {
    return TrainOptions.builder().head(head).hiddenSizes(7, 6).generatorHidden(gen)
        .parameterSharing(shared).costWeightInput(true).ensemble(1).batchSize(4)
        .learningRate(1e-3).weightDecay(0).epochs(1).rlSteps(1).rlLearningRate(1e-3)
        .entropyBonus(0.05).auxWeight(0.7).validateEvery(5).patience(3).costLossWeight(0.8)
        .policyLossWeight(0.6).temperature(0.3).failureAugmentation(fail)
        .zeroCostWeightShare(0.1).selectByLoss(false).seed(1).threads(1).build();
  }

  private static TrainingProblem problem(Problem p, boolean fail) {
    List<Configuration> configs = new ArrayList<>();
    for (int gi = 0; gi < p.cfgCand.length; gi++) {
      configs.add(new Configuration(p.cands.get(p.cfgCand[gi]).model(), p.params.get(gi)));
    }
    return TrainingProblem.builder().train(p.train).valid(p.valid).candidates(p.cands)
        .configurations(configs).resolver((k, v) -> resolve(p, k, v))
        .tradeoff(CostTradeoff.withCostScale(0.5)).embeddingDim(4).failureAugmentation(fail)
        .build();
  }

  @ParameterizedTest(name = "{0} shared={1} rl={2} fail={3} gen={4} numeric={5}")
  @CsvSource({
    "VALUE, true, false, false, 0, false",
    "VALUE, false, false, true, 4, false",
    "VALUE, true, true, false, 0, false",
    "VALUE, true, true, true, 3, true",
    "POLICY, true, false, false, 0, true",
    "POLICY, false, false, true, 4, true",
    "POLICY, true, true, false, 0, false",
    "POLICY, false, true, false, 3, false"
  })
  void gradient_matchesFiniteDifferences(HeadKind head, boolean shared, boolean rl,
      boolean fail, int gen, boolean numeric) {
    for (long seed = 1; seed <= 3; seed++) {
      Problem p = new Problem(seed * 31 + (numeric ? 7 : 0), numeric);
      TrainingProblem problem = problem(p, fail);
      TrainingRun run = new TrainingRun(options(head, shared, fail, gen), problem,
          CostTradeoff.grid(5), TrainingListener.NONE, c -> 0);
      Rng r = new Rng(seed);
      HapsNetwork net = new HapsNetwork(run.spec(), r.split());
      // Perturb all weights so that biases and log-stds are not at special values.
      double[] w = net.parameters();
      for (int i = 0; i < w.length; i++) {
        w[i] += 0.1 * r.gaussian();
      }
      net.setParameters(w);
      Minibatch batch = new Minibatch(new int[] {0, 3, 5, 7, 9},
          new double[] {0.0, 0.3, 0.6, 0.9, 0.45}, new long[] {11, 12, 13, 14, 15});
      ShardedGradient sharded = new ShardedGradient(run.objective(), problem, null,
          net.parameterCount());
      double[] g = new double[net.parameterCount()];
      sharded.compute(net, batch, rl, g);
      // Numeric policy gradients hold the sampled value fixed, which finite differences of the
      // re-sampled surrogate cannot; those rows are covered without numeric parameters.
      double h = 1e-6;
      int checked = 0;
      for (int i = 0; i < w.length; i += 1 + (int) (r.uniform() * 3)) {
        if (rl && numeric && head == HeadKind.POLICY) {
          break;
        }
        double old = w[i];
        w[i] = old + h;
        net.setParameters(w);
        double up = sharded.compute(net, batch, rl, new double[g.length]);
        w[i] = old - h;
        net.setParameters(w);
        double down = sharded.compute(net, batch, rl, new double[g.length]);
        w[i] = old;
        net.setParameters(w);
        double fd = (up - down) / (2 * h);
        assertThat(g[i]).as("parameter %d of %d (seed %d)", i, g.length, seed)
            .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-5 + 1e-4 * Math.abs(fd)));
        checked++;
      }
      assertThat(checked).isGreaterThan(rl && numeric && head == HeadKind.POLICY ? -1 : 20);
    }
  }

  /**
   * The gradient with respect to the input rows ({@link Minibatch#inputGradient()}), what the
   * fine-tuned encoder layers descend, against finite differences of the embedding columns: from
   * every head through every trunk, shared or not.
   */
  @ParameterizedTest(name = "{0} shared={1} gen={2}")
  @CsvSource({"VALUE, true, 0", "VALUE, false, 4", "POLICY, true, 0", "POLICY, false, 3"})
  void inputGradient_matchesFiniteDifferences(HeadKind head, boolean shared, int gen) {
    Problem p = new Problem(5, false);
    TrainingProblem problem = problem(p, false);
    TrainingRun run = new TrainingRun(options(head, shared, false, gen), problem,
        CostTradeoff.grid(5), TrainingListener.NONE, c -> 0);
    Rng r = new Rng(3);
    HapsNetwork net = new HapsNetwork(run.spec(), r.split());
    int[] rows = {0, 3, 5, 7, 9};
    double[] cw = {0.0, 0.3, 0.6, 0.9, 0.45};
    long[] seeds = new long[rows.length];
    int base = p.train.baseDim();
    double[] dx = new double[rows.length * base];
    ShardedGradient sharded = new ShardedGradient(run.objective(), problem, null,
        net.parameterCount());
    double loss = sharded.compute(net, new Minibatch(rows, cw, seeds, dx),
        false, new double[net.parameterCount()]);
    assertThat(loss).isEqualTo(sharded.compute(net, new Minibatch(rows, cw, seeds), false,
        new double[net.parameterCount()]));
    double[] x = p.train.x();
    double h = 1e-6;
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < problem.embeddingDim(); j++) {
        int at = rows[i] * base + j;
        double old = x[at];
        x[at] = old + h;
        double up = sharded.compute(net, new Minibatch(rows, cw, seeds), false,
            new double[net.parameterCount()]);
        x[at] = old - h;
        double down = sharded.compute(net, new Minibatch(rows, cw, seeds), false,
            new double[net.parameterCount()]);
        x[at] = old;
        // compute() returns the batch mean; dx holds each row's gradient of the summed loss.
        double fd = (up - down) / (2 * h) * rows.length;
        assertThat(dx[i * base + j]).as("row %d column %d", i, j)
            .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-5 + 1e-4 * Math.abs(fd)));
      }
    }
  }

  private static int resolve(Problem p, int k, ParameterValues v) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int gi = 0; gi < p.cfgCand.length; gi++) {
      if (p.cfgCand[gi] != k) {
        continue;
      }
      double d = 0;
      for (String name : p.params.get(gi).names()) {
        Object a = p.params.get(gi).get(name).orElseThrow();
        Object b = v.get(name).orElse(null);
        if (a instanceof Number na && b instanceof Number nb) {
          d += Math.abs(na.doubleValue() - nb.doubleValue());
        } else if (!a.equals(b)) {
          d += 1;
        }
      }
      if (d < bestD) {
        bestD = d;
        best = gi;
      }
    }
    return best;
  }
}
