package dev.haps.train.model;

import static dev.haps.train.model.Functions.entropy;
import static dev.haps.train.model.Functions.sample;
import static dev.haps.train.model.Functions.sigmoid;
import static dev.haps.train.model.Functions.softmax;
import static dev.haps.train.model.Functions.softplus;

import dev.haps.train.nn.Dense;
import dev.haps.train.nn.Rng;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Structured value heads: each candidate's generator predicts, per configuration of that
 * candidate, a score logit and a log-cost; the router combines them with λ(cost weight) into
 * utilities {@code U = σ(score logit) − λ·exp(log-cost)}, a model's logit is its best
 * configuration's utility divided by the temperature τ, and its parameter outputs select that
 * configuration (see {@link TrainedModel}).
 *
 * <p>Warm-up: binary cross-entropy on the score plus {@code costLossWeight} times the squared
 * error of the log-cost, per recorded outcome, plus {@code policyLossWeight} times the
 * cross-entropy of the softmax of {@code U/τ} toward the λ-best configurations. Policy gradient:
 * the model and then its configuration are sampled from softmaxes of the utilities, with the
 * greedy decision's reward as the baseline and an entropy bonus; the warm-up loss stays, weighted
 * by {@code auxWeight}. Warm-up checkpoints are chosen by the {@code valid} regression loss when
 * {@code selectByLoss}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ValueObjective implements TrainingObjective {

  private static final double COST_EPS = 1e-3;
  private static final double TIE = 1e-9;
  /** The cost weight at which the {@code valid} loss is measured when the trunk reads it. */
  private static final double SELECTION_COST_WEIGHT = 0.5;

  private final double temperature;
  private final double costLossWeight;
  private final double policyLossWeight;
  private final double auxWeight;
  private final double entropyBonus;
  private final boolean selectByLoss;

  /**
   * Value heads with their loss weights.
   *
   * @param temperature τ of the logits, positive
   * @param costLossWeight weight of the log-cost regression, at least 0
   * @param policyLossWeight weight of the cross-entropy toward the λ-best configuration, at least
   *     0
   * @param auxWeight weight of the warm-up loss kept during policy gradient, at least 0
   * @param entropyBonus β of the entropy bonus in policy gradient, at least 0
   * @param selectByLoss whether warm-up checkpoints are chosen by the {@code valid} regression
   *     loss instead of the validation metric
   * @throws IllegalArgumentException if a weight is negative or not finite, or τ is not positive
   */
  public ValueObjective(double temperature, double costLossWeight, double policyLossWeight,
      double auxWeight, double entropyBonus, boolean selectByLoss) {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and positive, got "
          + temperature);
    }
    this.temperature = temperature;
    this.costLossWeight = nonNegative("costLossWeight", costLossWeight);
    this.policyLossWeight = nonNegative("policyLossWeight", policyLossWeight);
    this.auxWeight = nonNegative("auxWeight", auxWeight);
    this.entropyBonus = nonNegative("entropyBonus", entropyBonus);
    this.selectByLoss = selectByLoss;
  }

  private static double nonNegative(String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and at least 0, got " + v);
    }
    return v;
  }

  /**
   * τ: the model logits are utilities divided by it.
   *
   * @return the temperature
   */
  public double temperature() {
    return temperature;
  }

  @Override
  public String name() {
    return "value";
  }

  @Override
  public boolean predictsCost() {
    return true;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.value(this);
  }

  @Override
  public NetworkSpec network(TrainingProblem problem, int[] trunkHidden, int generatorHidden,
      boolean shared, boolean costWeightInput) {
    int k = problem.candidateCount();
    int[] width = new int[k];
    int[][] numeric = new int[k][];
    for (int c = 0; c < k; c++) {
      int count = problem.configurationsOf(c).length;
      if (count == 0) {
        throw new IllegalArgumentException("candidate '" + problem.candidates().get(c).model()
            + "' has no outcome on the train split; remove it from candidates.json or record"
            + " outcomes for it");
      }
      width[c] = 2 * count;
      numeric[c] = new int[0];
    }
    return new NetworkSpec(problem.train().baseDim() + (costWeightInput ? 1 : 0),
        costWeightInput, trunkHidden, generatorHidden, shared, false, width, numeric);
  }

  /** Sets the output biases to the training means: score logit and log-cost per configuration. */
  @Override
  public void initialise(HapsNetwork net, TrainingProblem problem) {
    SplitTable train = problem.train();
    int g = problem.configurationCount();
    for (int c = 0; c < problem.candidateCount(); c++) {
      Dense d = net.genOut[c];
      int[] own = problem.configurationsOf(c);
      int cc = own.length;
      for (int j = 0; j < cc; j++) {
        int gi = own[j];
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
        net.p[d.biasOffset() + j] = Math.log(ms / (1 - ms));
        net.p[d.biasOffset() + cc + j] = n == 0 ? 0 : lc / n;
      }
    }
  }

  @Override
  public double gradient(HapsNetwork net, TrainingProblem problem, Minibatch batch, int from,
      int to, boolean policyGradient, double[] g) {
    return Shard.gradient(net, problem, batch, from, to, g,
        (pass, i, r, w, seed, dOut, dLogits, gs, loss) -> {
          loss[0] += supervised(problem, pass, i, r, w, dOut,
              policyGradient ? auxWeight : 1.0);
          if (policyGradient) {
            loss[0] += policyGradient(problem, pass, i, r, w, dOut, new Rng(seed));
          }
        });
  }

  /** Score BCE + log-cost MSE + cross-entropy toward the λ-best configuration. */
  private double supervised(TrainingProblem p, HapsNetwork.Pass pass, int i, int r, double cw,
      double[][] dOut, double scale) {
    if (scale == 0) {
      return 0;
    }
    SplitTable train = p.train();
    int g = p.configurationCount();
    double loss = 0;
    double lambda = p.tradeoff().lambda(cw);
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
      int cand = p.candidateOf(gi);
      int cc = p.configurationsOf(cand).length;
      int base = i * 2 * cc;
      double zq = pass.out[cand][base + p.localIndex(gi)];
      double zc = pass.out[cand][base + cc + p.localIndex(gi)];
      q[gi] = sigmoid(zq);
      c[gi] = Math.exp(zc);
      if (!train.exact()[r * g + gi]) {
        continue;
      }
      double s = train.score()[r * g + gi];
      double t = Math.log(Math.max(0, train.cost()[r * g + gi]) + COST_EPS);
      double wt = scale * train.weight()[r * g + gi] / observed;
      loss += wt * (softplus(zq) - s * zq + costLossWeight * (zc - t) * (zc - t));
      dOut[cand][base + p.localIndex(gi)] += wt * (q[gi] - s);
      dOut[cand][base + cc + p.localIndex(gi)] += wt * costLossWeight * 2 * (zc - t);
    }
    if (policyLossWeight > 0) {
      double best = Double.NEGATIVE_INFINITY;
      double maxU = Double.NEGATIVE_INFINITY;
      double[] rew = new double[g];
      for (int gi = 0; gi < g; gi++) {
        if (train.exact()[r * g + gi]) {
          rew[gi] = p.reward(train, r, gi, lambda);
          best = Math.max(best, rew[gi]);
          maxU = Math.max(maxU, (q[gi] - lambda * c[gi]) / temperature);
        }
      }
      double z = 0;
      int ties = 0;
      double[] pr = new double[g];
      for (int gi = 0; gi < g; gi++) {
        if (train.exact()[r * g + gi]) {
          pr[gi] = Math.exp((q[gi] - lambda * c[gi]) / temperature - maxU);
          z += pr[gi];
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
          loss -= scale * policyLossWeight * t * Math.log(pr[gi] / z);
        }
        double dU = scale * policyLossWeight * (pr[gi] / z - t) / temperature;
        addU(p, dOut, i, gi, dU, q[gi], c[gi], lambda);
      }
    }
    return loss;
  }

  /** Chain rule from a utility gradient into the score logit and the log-cost. */
  private static void addU(TrainingProblem p, double[][] dOut, int i, int gi, double dU,
      double q, double c, double lambda) {
    int cand = p.candidateOf(gi);
    int cc = p.configurationsOf(cand).length;
    int base = i * 2 * cc;
    dOut[cand][base + p.localIndex(gi)] += dU * q * (1 - q);
    dOut[cand][base + cc + p.localIndex(gi)] += dU * (-lambda * c);
  }

  /** Hierarchical sampling, self-critical baseline, entropy bonus. */
  private double policyGradient(TrainingProblem p, HapsNetwork.Pass pass, int i, int r,
      double cw, double[][] dOut, Rng rng) {
    int k = p.candidateCount();
    double lambda = p.tradeoff().lambda(cw);
    double tau = temperature;
    double[][] u = new double[k][];
    double[] logit = new double[k];
    int[] arg = new int[k];
    int greedy = -1;
    double greedyU = Double.NEGATIVE_INFINITY;
    for (int cand = 0; cand < k; cand++) {
      int[] own = p.configurationsOf(cand);
      int cc = own.length;
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
          greedy = own[j];
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
    double rew = p.reward(p.train(), r, p.configurationsOf(kk)[jj], lambda);
    double base = p.reward(p.train(), r, greedy, lambda);
    if (Double.isNaN(rew) || Double.isNaN(base)) {
      return 0;
    }
    double adv = rew - base;
    double beta = entropyBonus;
    double hk = entropy(pk);
    double hj0 = entropy(pj);
    double loss = -adv * (Math.log(pk[kk]) + Math.log(pj[jj])) - beta * (hk + hj0);
    for (int cand = 0; cand < k; cand++) {
      double dl = -adv * ((cand == kk ? 1 : 0) - pk[cand])
          + beta * pk[cand] * (Math.log(pk[cand] + 1e-300) + hk);
      int gi = p.configurationsOf(cand)[arg[cand]];
      double[] qc = qc(p, pass, i, gi);
      addU(p, dOut, i, gi, dl / tau, qc[0], qc[1], lambda);
    }
    double hj = entropy(pj);
    for (int j = 0; j < pj.length; j++) {
      double dl = -adv * ((j == jj ? 1 : 0) - pj[j])
          + beta * pj[j] * (Math.log(pj[j] + 1e-300) + hj);
      int gi = p.configurationsOf(kk)[j];
      double[] qc = qc(p, pass, i, gi);
      addU(p, dOut, i, gi, dl / tau, qc[0], qc[1], lambda);
    }
    return loss;
  }

  private static double[] qc(TrainingProblem p, HapsNetwork.Pass pass, int i, int gi) {
    int cand = p.candidateOf(gi);
    int cc = p.configurationsOf(cand).length;
    int base = i * 2 * cc;
    return new double[] {sigmoid(pass.out[cand][base + p.localIndex(gi)]),
        Math.exp(pass.out[cand][base + cc + p.localIndex(gi)])};
  }

  /**
   * Mean regression loss on the valid table (score cross-entropy plus weighted log-cost squared
   * error per exact outcome), at cost weight 0.5 when the trunk reads it.
   */
  @Override
  public OptionalDouble selectionLoss(HapsNetwork net, TrainingProblem problem) {
    if (!selectByLoss) {
      return OptionalDouble.empty();
    }
    SplitTable valid = problem.valid();
    int g = problem.configurationCount();
    double[] x = Shard.inputs(net.spec(), valid, SELECTION_COST_WEIGHT);
    HapsNetwork.Pass pass = net.forward(x, valid.n());
    double loss = 0;
    double n = 0;
    for (int i = 0; i < valid.n(); i++) {
      for (int gi = 0; gi < g; gi++) {
        if (!valid.exact()[i * g + gi]) {
          continue;
        }
        int cand = problem.candidateOf(gi);
        int cc = problem.configurationsOf(cand).length;
        int base = i * 2 * cc;
        double zq = pass.out[cand][base + problem.localIndex(gi)];
        double zc = pass.out[cand][base + cc + problem.localIndex(gi)];
        double s = valid.score()[i * g + gi];
        double t = Math.log(Math.max(0, valid.cost()[i * g + gi]) + COST_EPS);
        double wt = valid.weight()[i * g + gi];
        loss += wt * (softplus(zq) - s * zq + costLossWeight * (zc - t) * (zc - t));
        n += wt;
      }
    }
    return OptionalDouble.of(n == 0 ? 0 : loss / n);
  }

  /**
   * Every configuration's predicted score and cost (cost-scale units) on a table's rows, averaged
   * over the members: {@code [2][n × G]}.
   */
  double[][] predictions(TrainedModel model, SplitTable t) {
    int g = t.configurations();
    double[] q = new double[t.n() * g];
    double[] c = new double[t.n() * g];
    int[] cfgCand = new int[g];
    int[] local = new int[g];
    int gi = 0;
    for (int k = 0; k < model.candidates().size(); k++) {
      for (int j = 0; j < model.candidates().get(k).configs().size(); j++) {
        cfgCand[gi] = k;
        local[gi] = j;
        gi++;
      }
    }
    double inv = 1.0 / model.members().size();
    for (HapsNetwork net : model.members()) {
      HapsNetwork.Pass pass = net.forward(Shard.inputs(net.spec(), t, SELECTION_COST_WEIGHT),
          t.n());
      for (int i = 0; i < t.n(); i++) {
        for (int x = 0; x < g; x++) {
          int cc = model.candidates().get(cfgCand[x]).configs().size();
          int base = i * 2 * cc;
          q[i * g + x] += sigmoid(pass.out[cfgCand[x]][base + local[x]]) * inv;
          c[i * g + x] += Math.exp(pass.out[cfgCand[x]][base + cc + local[x]]) * inv;
        }
      }
    }
    return new double[][] {q, c};
  }

  /** Checks that every generator scores its candidate's configurations. */
  void check(NetworkSpec spec, List<CandidateOutputs> candidates) {
    if (spec.policyHead()) {
      throw new IllegalArgumentException("value heads need a network without a policy head: "
          + spec);
    }
    for (int k = 0; k < candidates.size(); k++) {
      CandidateOutputs c = candidates.get(k);
      if (spec.width(k) != 2 * c.configs().size()) {
        throw new IllegalArgumentException("candidate '" + c.model() + "' generator width "
            + spec.width(k) + " is not 2 × " + c.configs().size() + " configurations");
      }
    }
  }

  /**
   * The bundle's outputs: per candidate the utilities of its configurations, averaged over the
   * members' predictions; the best one's utility / τ as the logit, its encoding as the
   * parameters, and its cost as the expected cost.
   */
  TrainedModel.Outputs outputs(TrainedModel model, List<HapsNetwork.Pass> passes,
      double[] costWeight, int n) {
    List<CandidateOutputs> candidates = model.candidates();
    int k = candidates.size();
    double inv = 1.0 / passes.size();
    double[][] logits = new double[n][k];
    double[][][] params = new double[k][][];
    double[][] cost = new double[n][k];
    for (int c = 0; c < k; c++) {
      int cc = candidates.get(c).configs().size();
      int w = candidates.get(c).slots();
      if (w > 0) {
        params[c] = new double[n][];
      }
      double[] q = new double[cc];
      double[] e = new double[cc];
      for (int i = 0; i < n; i++) {
        java.util.Arrays.fill(q, 0);
        java.util.Arrays.fill(e, 0);
        for (HapsNetwork.Pass p : passes) {
          double[] o = p.out[c];
          int base = i * 2 * cc;
          for (int j = 0; j < cc; j++) {
            q[j] += sigmoid(o[base + j]) * inv;
            e[j] += Math.exp(o[base + cc + j]) * inv;
          }
        }
        double lambda = model.tradeoff().lambda(costWeight[i]);
        int best = 0;
        double bestU = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cc; j++) {
          double u = q[j] - lambda * e[j];
          if (u > bestU) {
            bestU = u;
            best = j;
          }
        }
        logits[i][c] = bestU / temperature;
        cost[i][c] = model.tradeoff().costScale() * e[best];
        if (w > 0) {
          params[c][i] = model.encoding(c, best);
        }
      }
    }
    return new TrainedModel.Outputs(logits, params, cost);
  }

  @Override
  public String toString() {
    return "ValueObjective{temperature=" + temperature + ", costLossWeight=" + costLossWeight
        + ", policyLossWeight=" + policyLossWeight + ", auxWeight=" + auxWeight
        + ", entropyBonus=" + entropyBonus + ", selectByLoss=" + selectByLoss + "}";
  }
}
