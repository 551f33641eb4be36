package dev.haps.train.model;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A trained HAPS router: an ensemble of {@link HapsNetwork} members plus everything needed to
 * turn their outputs into the bundle's outputs. {@link #infer} is the reference semantics of
 * the exported {@code router.onnx}: the export test checks ONNX Runtime against it.
 *
 * <p>Outputs, for rows with embedding {@code e}, features {@code f} and cost weight {@code w}:
 *
 * <ul>
 *   <li>{@link PolicyObjective}: {@code model_logits} and {@code params_k} are the members'
 *       policy logits and generator outputs, averaged over members.
 *   <li>{@link ValueObjective}: per candidate k and configuration j, {@code q_kj} = mean over
 *       members of σ(score logit) and {@code c_kj} = mean of exp(log-cost), in cost-scale
 *       units; {@code U_kj = q_kj − λ(w)·c_kj} with {@code λ(w) = λmin·e^{w·ln(λmax/λmin)}}
 *       for w &gt; 0 and 0 at w = 0; {@code model_logits_k = max_j U_kj / τ}; {@code params_k}
 *       is the raw encoding of the arg-max configuration (first index on a tie); {@code
 *       expected_cost_k = costScale · c_{k,argmax}}.
 * </ul>
 *
 * <p>Immutable after construction and thread-safe.
 *
 * @since 0.1.0
 */
public final class TrainedModel {

  private final TrainingObjective objective;
  private final List<HapsNetwork> members;
  private final List<CandidateOutputs> candidates;
  private final CostTradeoff tradeoff;
  private final int embeddingDim;
  private final int featureDim;
  private final double[][][] encodings;

  /**
   * Assembles a model. Member weights are copied and rounded to float32 when {@code round}.
   *
   * @param objective what the members were trained for: how their heads decide
   * @param members the ensemble members, all with the same spec
   * @param candidates per candidate, its output layout (value heads: its configurations)
   * @param tradeoff the λ mapping and cost scale
   * @param embeddingDim E
   * @param featureDim F
   * @param round whether to round weights to float32 (what the bundle stores)
   * @throws IllegalArgumentException if the members differ in shape, or their shape does not fit
   *     the objective, the candidates or the input widths
   */
  public TrainedModel(TrainingObjective objective, List<HapsNetwork> members,
      List<CandidateOutputs> candidates, CostTradeoff tradeoff, int embeddingDim, int featureDim,
      boolean round) {
    this.objective = Objects.requireNonNull(objective, "objective");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a trained model needs at least one member");
    }
    NetworkSpec spec = members.get(0).spec();
    List<HapsNetwork> copies = new ArrayList<>();
    for (HapsNetwork m : members) {
      if (!m.spec().equals(spec)) {
        throw new IllegalArgumentException("ensemble members differ in shape: " + spec + " vs "
            + m.spec());
      }
      HapsNetwork c = round ? new HapsNetwork(m) : m;
      if (round) {
        c.roundToFloat();
      }
      copies.add(c);
    }
    if (candidates.size() != spec.candidates()) {
      throw new IllegalArgumentException(candidates.size() + " candidate layouts for "
          + spec.candidates() + " network candidates");
    }
    int cw = spec.costWeightInput() ? 1 : 0;
    if (embeddingDim + featureDim + cw != spec.inputDim()) {
      throw new IllegalArgumentException("input width " + spec.inputDim() + " is not embedding "
          + embeddingDim + " + features " + featureDim + " + cost weight " + cw);
    }
    this.members = List.copyOf(copies);
    this.candidates = List.copyOf(candidates);
    this.tradeoff = Objects.requireNonNull(tradeoff, "tradeoff");
    this.embeddingDim = embeddingDim;
    this.featureDim = featureDim;
    this.encodings = new double[candidates.size()][][];
    for (int k = 0; k < candidates.size(); k++) {
      CandidateOutputs c = candidates.get(k);
      if (c.configs().isEmpty()) {
        throw new IllegalArgumentException("candidate '" + c.model() + "' has no configuration;"
            + " every candidate needs outcomes on the train split");
      }
      encodings[k] = new double[c.configs().size()][];
      for (int j = 0; j < c.configs().size(); j++) {
        encodings[k][j] = c.encode(c.configs().get(j));
      }
    }
    objective.accept(new TrainingObjective.Visitor<Void>() {
      @Override
      public Void value(ValueObjective o) {
        o.check(spec, candidates);
        return null;
      }

      @Override
      public Void policy(PolicyObjective o) {
        o.check(spec, candidates);
        return null;
      }
    });
  }

  /**
   * What the members were trained for, and so how their outputs become the bundle's.
   *
   * @return the objective
   */
  public TrainingObjective objective() {
    return objective;
  }

  /**
   * Value heads' predictions for every configuration on a table's rows, averaged over the
   * members: the predicted score ({@code [0]}) and cost in cost-scale units ({@code [1]}), each
   * {@code n × G} row-major. The direct model of doubly robust targets and estimates.
   *
   * @param table the rows
   * @return the predictions
   * @throws IllegalStateException if the model has policy heads (they predict no values)
   */
  public double[][] valuePredictions(SplitTable table) {
    return objective.accept(new TrainingObjective.Visitor<double[][]>() {
      @Override
      public double[][] value(ValueObjective o) {
        return o.predictions(TrainedModel.this, table);
      }

      @Override
      public double[][] policy(PolicyObjective o) {
        throw new IllegalStateException("policy heads predict no per-configuration values;"
            + " train value heads (head VALUE) for doubly robust targets");
      }
    });
  }

  /**
   * The ensemble members (weights as the bundle stores them).
   *
   * @return an unmodifiable list
   */
  public List<HapsNetwork> members() {
    return members;
  }

  /**
   * Per candidate, its output layout.
   *
   * @return an unmodifiable list, in candidate order
   */
  public List<CandidateOutputs> candidates() {
    return candidates;
  }

  /**
   * The λ mapping and cost scale.
   *
   * @return the trade-off
   */
  public CostTradeoff tradeoff() {
    return tradeoff;
  }

  /**
   * E.
   *
   * @return the embedding width
   */
  public int embeddingDim() {
    return embeddingDim;
  }

  /**
   * F.
   *
   * @return the feature count
   */
  public int featureDim() {
    return featureDim;
  }

  /**
   * Whether the cost weight is an input of the trunk (it always enters value heads through λ).
   *
   * @return the flag
   */
  public boolean costWeightInput() {
    return members.get(0).spec().costWeightInput();
  }

  /**
   * Raw parameter encodings of one candidate's configurations (value heads).
   *
   * @param candidate the candidate index
   * @return {@code C_k × P_k}
   */
  public double[][] configurationEncodings(int candidate) {
    double[][] e = encodings[candidate];
    double[][] out = new double[e.length][];
    for (int i = 0; i < e.length; i++) {
      out[i] = e[i].clone();
    }
    return out;
  }

  /** The raw encoding of a candidate's configuration {@code j} (a copy). */
  double[] encoding(int candidate, int j) {
    return encodings[candidate][j].clone();
  }

  /**
   * What the bundle outputs for a batch.
   *
   * @param logits {@code N × K}
   * @param params per candidate {@code N × P_k}, null where P_k is 0
   * @param expectedCostUsd {@code N × K} for value heads, else null
   * @since 0.1.0
   */
  public record Outputs(double[][] logits, double[][][] params, double[][] expectedCostUsd) {}

  /**
   * Runs the router on a batch.
   *
   * @param embedding {@code N × E}
   * @param features {@code N × F} (rows of length 0 when F is 0)
   * @param costWeight N values in [0, 1]
   * @return the outputs
   */
  public Outputs infer(float[][] embedding, float[][] features, double[] costWeight) {
    int n = embedding.length;
    double[] x = inputRows(embedding, features, costWeight);
    return infer(x, costWeight, n);
  }

  /** Packs {@code [embedding, features, cost weight?]} rows. */
  double[] inputRows(float[][] embedding, float[][] features, double[] costWeight) {
    int n = embedding.length;
    int d = members.get(0).spec().inputDim();
    boolean cwIn = costWeightInput();
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      int o = i * d;
      for (int j = 0; j < embeddingDim; j++) {
        x[o + j] = embedding[i][j];
      }
      for (int j = 0; j < featureDim; j++) {
        x[o + embeddingDim + j] = features[i][j];
      }
      if (cwIn) {
        x[o + d - 1] = costWeight[i];
      }
    }
    return x;
  }

  /** Runs on packed rows (see {@link #inputRows}). */
  Outputs infer(double[] x, double[] costWeight, int n) {
    List<HapsNetwork.Pass> passes = new ArrayList<>();
    for (HapsNetwork m : members) {
      passes.add(m.forward(x, n));
    }
    return objective.accept(new TrainingObjective.Visitor<Outputs>() {
      @Override
      public Outputs value(ValueObjective o) {
        return o.outputs(TrainedModel.this, passes, costWeight, n);
      }

      @Override
      public Outputs policy(PolicyObjective o) {
        return o.outputs(TrainedModel.this, passes, n);
      }
    });
  }

  /**
   * Runs the router on every row of a table at one cost weight.
   *
   * @param table the rows (embedding and features)
   * @param costWeight the cost weight of every row
   * @return the outputs, one row per table row
   */
  public Outputs infer(SplitTable table, double costWeight) {
    double[] cw = new double[table.n()];
    Arrays.fill(cw, costWeight);
    return infer(Shard.inputs(members.get(0).spec(), table, costWeight), cw, table.n());
  }

  /**
   * The greedy decision for one row of outputs: the first arg-max candidate and its decoded
   * parameters.
   *
   * @param out the outputs
   * @param row the row
   * @return the candidate index and its parameters
   */
  public Decision decide(Outputs out, int row) {
    double[] l = out.logits()[row];
    int best = 0;
    for (int c = 1; c < l.length; c++) {
      if (l[c] > l[best]) {
        best = c;
      }
    }
    CandidateOutputs co = candidates.get(best);
    ParameterValues pv = co.slots() == 0 ? ParameterValues.empty()
        : co.decode(out.params()[best][row], 0);
    return new Decision(best, pv);
  }

  /**
   * A routing decision.
   *
   * @param candidate the candidate index
   * @param params the decoded parameters
   * @since 0.1.0
   */
  public record Decision(int candidate, ParameterValues params) {}
}
