package dev.haps.train.model;

import static dev.haps.train.model.Functions.argmax;
import static dev.haps.train.model.Functions.entropy;
import static dev.haps.train.model.Functions.sample;
import static dev.haps.train.model.Functions.sigmoid;
import static dev.haps.train.model.Functions.softmax;

import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.train.nn.Rng;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The paper's policy heads: a linear high-level head gives one logit per candidate, and per
 * candidate with a choice to make a generator gives pre-sigmoid means for numeric parameters and
 * logits per categorical choice (a candidate with one configuration gets no generator). The trunk
 * always reads the cost weight.
 *
 * <p>Warm-up: cross-entropy of the model logits toward the λ-best configurations' models, and per
 * generator squared error (numbers) and cross-entropy (choices) toward its own model's λ-best
 * parameters. Policy gradient: a model is sampled from the logits, numbers from normals with a
 * learned spread and choices from their softmaxes, with the greedy decision's reward as the
 * baseline and an entropy bonus; the warm-up loss stays, weighted by {@code auxWeight} (not
 * computed at all when that is 0). Checkpoints are always chosen by the validation metric.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class PolicyObjective implements TrainingObjective {

  private static final double TIE = 1e-9;

  private final double auxWeight;
  private final double entropyBonus;

  /**
   * Policy heads with their loss weights.
   *
   * @param auxWeight weight of the warm-up loss kept during policy gradient, at least 0
   * @param entropyBonus β of the entropy bonus in policy gradient, at least 0
   * @throws IllegalArgumentException if a weight is negative or not finite
   */
  public PolicyObjective(double auxWeight, double entropyBonus) {
    if (!(auxWeight >= 0) || !Double.isFinite(auxWeight)) {
      throw new IllegalArgumentException("auxWeight must be finite and at least 0, got "
          + auxWeight);
    }
    if (!(entropyBonus >= 0) || !Double.isFinite(entropyBonus)) {
      throw new IllegalArgumentException("entropyBonus must be finite and at least 0, got "
          + entropyBonus);
    }
    this.auxWeight = auxWeight;
    this.entropyBonus = entropyBonus;
  }

  @Override
  public String name() {
    return "policy";
  }

  @Override
  public boolean predictsCost() {
    return false;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.policy(this);
  }

  /** Policy heads always read the cost weight, whatever {@code costWeightInput} asks. */
  @Override
  public NetworkSpec network(TrainingProblem problem, int[] trunkHidden, int generatorHidden,
      boolean shared, boolean costWeightInput) {
    int k = problem.candidateCount();
    int[] width = new int[k];
    int[][] numeric = new int[k][];
    for (int c = 0; c < k; c++) {
      // A generator only where there is a choice to make.
      boolean gen = problem.configurationsOf(c).length > 1;
      width[c] = gen ? problem.candidates().get(c).slots() : 0;
      numeric[c] = gen ? problem.candidates().get(c).numericSlots() : new int[0];
    }
    return new NetworkSpec(problem.train().baseDim() + 1, true, trunkHidden, generatorHidden,
        shared, true, width, numeric);
  }

  @Override
  public void initialise(HapsNetwork net, TrainingProblem problem) {
    // He-normal weights and the initial log-stds are all policy heads need.
  }

  @Override
  public double gradient(HapsNetwork net, TrainingProblem problem, Minibatch batch, int from,
      int to, boolean policyGradient, double[] g) {
    return Shard.gradient(net, problem, batch, from, to, g,
        (pass, i, r, w, seed, dOut, dLogits, gs, loss) -> {
          if (!policyGradient || auxWeight > 0) {
            loss[0] += supervised(net, problem, pass, i, r, w, dOut, dLogits,
                policyGradient ? auxWeight : 1.0);
          }
          if (policyGradient) {
            loss[0] += policyGradient(net, problem, pass, i, r, w, dOut, dLogits, gs,
                new Rng(seed));
          }
        });
  }

  /** Cross-entropy toward the λ-best configuration (ties kept). */
  private static double supervised(HapsNetwork net, TrainingProblem p, HapsNetwork.Pass pass,
      int i, int r, double cw, double[][] dOut, double[] dLogits, double scale) {
    SplitTable train = p.train();
    int g = p.configurationCount();
    int k = p.candidateCount();
    double lambda = p.tradeoff().lambda(cw);
    double[] rew = new double[g];
    double best = Double.NEGATIVE_INFINITY;
    double[] bestPer = new double[k];
    Arrays.fill(bestPer, Double.NEGATIVE_INFINITY);
    for (int gi = 0; gi < g; gi++) {
      rew[gi] = train.exact()[r * g + gi] ? p.reward(train, r, gi, lambda) : Double.NaN;
      if (!Double.isNaN(rew[gi])) {
        best = Math.max(best, rew[gi]);
        bestPer[p.candidateOf(gi)] = Math.max(bestPer[p.candidateOf(gi)], rew[gi]);
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
        t[p.candidateOf(gi)]++;
        ties++;
      }
    }
    double[] l = Arrays.copyOfRange(pass.logits, i * k, (i + 1) * k);
    double[] pk = softmax(l);
    for (int c = 0; c < k; c++) {
      dLogits[i * k + c] += scale * (pk[c] - t[c] / ties);
      if (t[c] > 0) {
        loss[0] -= scale * t[c] / ties * Math.log(pk[c]);
      }
    }
    // Every generator learns its own model's best parameters at this λ.
    for (int c = 0; c < k; c++) {
      CandidateOutputs co = p.candidates().get(c);
      int w = net.spec().width(c);
      if (w == 0 || bestPer[c] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double[] target = new double[w];
      int n = 0;
      for (int gi : p.configurationsOf(c)) {
        if (!Double.isNaN(rew[gi]) && rew[gi] >= bestPer[c] - TIE) {
          double[] tg = p.target(gi);
          for (int s = 0; s < w; s++) {
            target[s] += tg[s];
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

  /** Sample model and parameters, self-critical baseline, entropy bonus. */
  private double policyGradient(HapsNetwork net, TrainingProblem p, HapsNetwork.Pass pass,
      int i, int r, double cw, double[][] dOut, double[] dLogits, double[] gs, Rng rng) {
    int k = p.candidateCount();
    double lambda = p.tradeoff().lambda(cw);
    double[] l = Arrays.copyOfRange(pass.logits, i * k, (i + 1) * k);
    double[] pk = softmax(l);
    int kk = sample(pk, rng);
    int gk = argmax(l);
    CandidateOutputs co = p.candidates().get(kk);
    int w = net.spec().width(kk);
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
    int cfg = p.resolver().resolve(kk,
        w == 0 ? ParameterValues.empty() : co.decode(sampled, 0));
    double rew = p.reward(p.train(), r, cfg, lambda);
    int base = resolveGreedy(net, p, pass, i, gk);
    double b = p.reward(p.train(), r, base, lambda);
    if (Double.isNaN(rew) || Double.isNaN(b)) {
      return 0;
    }
    double adv = rew - b;
    double beta = entropyBonus;
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

  private static int resolveGreedy(HapsNetwork net, TrainingProblem p, HapsNetwork.Pass pass,
      int i, int cand) {
    CandidateOutputs co = p.candidates().get(cand);
    int w = net.spec().width(cand);
    if (w == 0) {
      return p.resolver().resolve(cand, ParameterValues.empty());
    }
    return p.resolver().resolve(cand, co.decode(Arrays.copyOfRange(pass.out[cand], i * w,
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
    List<ParameterSpec> specs = co.space().specs();
    for (int p = 0; p < specs.size(); p++) {
      ParameterSpec s = specs.get(p);
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

  @Override
  public OptionalDouble selectionLoss(HapsNetwork net, TrainingProblem problem) {
    return OptionalDouble.empty();
  }

  /** Checks that every generator emits its candidate's parameter slots. */
  void check(NetworkSpec spec, List<CandidateOutputs> candidates) {
    if (!spec.policyHead()) {
      throw new IllegalArgumentException("policy heads need a network with a policy head: "
          + spec);
    }
    for (int k = 0; k < candidates.size(); k++) {
      CandidateOutputs c = candidates.get(k);
      if (spec.width(k) != c.slots() && !(spec.width(k) == 0 && c.configs().size() == 1)) {
        throw new IllegalArgumentException("candidate '" + c.model() + "' generator width "
            + spec.width(k) + " is not its " + c.slots() + " parameter slots");
      }
    }
  }

  /** The bundle's outputs: the members' logits and generator outputs, averaged. */
  TrainedModel.Outputs outputs(TrainedModel model, List<HapsNetwork.Pass> passes, int n) {
    List<CandidateOutputs> candidates = model.candidates();
    int k = candidates.size();
    double inv = 1.0 / passes.size();
    double[][] logits = new double[n][k];
    double[][][] params = new double[k][][];
    for (HapsNetwork.Pass p : passes) {
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          logits[i][c] += p.logits[i * k + c] * inv;
        }
      }
    }
    for (int c = 0; c < k; c++) {
      int w = candidates.get(c).slots();
      if (w == 0) {
        continue;
      }
      params[c] = new double[n][w];
      if (model.members().get(0).spec().width(c) == 0) {
        // A single configuration: no generator, the outputs select it.
        for (int i = 0; i < n; i++) {
          params[c][i] = model.encoding(c, 0);
        }
        continue;
      }
      for (HapsNetwork.Pass p : passes) {
        for (int i = 0; i < n; i++) {
          for (int s = 0; s < w; s++) {
            params[c][i][s] += p.out[c][i * w + s] * inv;
          }
        }
      }
    }
    return new TrainedModel.Outputs(logits, params, null);
  }

  @Override
  public String toString() {
    return "PolicyObjective{auxWeight=" + auxWeight + ", entropyBonus=" + entropyBonus + "}";
  }
}
