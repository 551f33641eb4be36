package dev.haps.train.model;

import dev.haps.data.Configuration;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a training run learns from: the {@code train} and {@code valid} tables, the candidates'
 * output layouts, the configurations (the tables' columns, grouped by candidate), how a generated
 * decision maps onto a configuration, and the reward. Every {@link TrainingObjective} reads it.
 *
 * <pre>{@code
 * TrainingProblem p = TrainingProblem.builder()
 *     .train(train).valid(valid)
 *     .candidates(candidates).configurations(configurations)
 *     .resolver(resolver).tradeoff(tradeoff)
 *     .embeddingDim(384)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TrainingProblem {

  private final SplitTable train;
  private final SplitTable valid;
  private final List<CandidateOutputs> candidates;
  private final List<Configuration> configurations;
  private final ConfigResolver resolver;
  private final CostTradeoff tradeoff;
  private final int embeddingDim;
  private final boolean failureAugmentation;
  /** Per configuration, its candidate's index. */
  private final int[] cfgCand;
  /** Per configuration, its index among its candidate's configurations. */
  private final int[] cfgLocal;
  /** Per candidate, its configurations' indices. */
  private final int[][] byCand;
  /** Per configuration, its raw parameter encoding with numeric slots squashed to (0, 1). */
  private final double[][] cfgTarget;

  private TrainingProblem(Builder b) {
    this.train = b.train;
    this.valid = b.valid;
    this.candidates = List.copyOf(b.candidates);
    this.configurations = List.copyOf(b.configurations);
    this.resolver = b.resolver;
    this.tradeoff = b.tradeoff;
    this.embeddingDim = b.embeddingDim;
    this.failureAugmentation = b.failureAugmentation;
    int k = candidates.size();
    int g = configurations.size();
    if (train.configurations() != g || valid.configurations() != g) {
      throw new IllegalArgumentException("tables have " + train.configurations() + "/"
          + valid.configurations() + " configurations, expected " + g);
    }
    if (train.baseDim() != valid.baseDim() || embeddingDim > train.baseDim()) {
      throw new IllegalArgumentException("tables have input widths " + train.baseDim() + "/"
          + valid.baseDim() + "; both must be the embedding width " + embeddingDim
          + " plus the features");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < k; c++) {
      index.put(candidates.get(c).model(), c);
    }
    this.cfgCand = new int[g];
    this.cfgLocal = new int[g];
    int[] count = new int[k];
    for (int i = 0; i < g; i++) {
      Integer c = index.get(configurations.get(i).model());
      if (c == null) {
        throw new IllegalArgumentException("configuration " + configurations.get(i)
            + " is of no candidate; candidates: "
            + candidates.stream().map(CandidateOutputs::model).toList());
      }
      cfgCand[i] = c;
      if (i > 0 && cfgCand[i] < cfgCand[i - 1]) {
        throw new IllegalArgumentException("configurations must be grouped by candidate");
      }
      cfgLocal[i] = count[c]++;
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
      CandidateOutputs co = candidates.get(cfgCand[i]);
      double[] enc = co.encode(configurations.get(i).params());
      for (int s : co.numericSlots()) {
        enc[s] = CandidateOutputs.sigmoid(enc[s]);
      }
      cfgTarget[i] = enc;
    }
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The table the networks learn from.
   *
   * @return the {@code train} table
   */
  public SplitTable train() {
    return train;
  }

  /**
   * The table checkpoints are chosen on.
   *
   * @return the {@code valid} table
   */
  public SplitTable valid() {
    return valid;
  }

  /**
   * Per candidate, its output layout (and the configurations its value head scores).
   *
   * @return an unmodifiable list, in candidate order
   */
  public List<CandidateOutputs> candidates() {
    return candidates;
  }

  /**
   * The configurations: the tables' columns, grouped by candidate.
   *
   * @return an unmodifiable list
   */
  public List<Configuration> configurations() {
    return configurations;
  }

  /**
   * The λ mapping and cost scale of the reward.
   *
   * @return the trade-off
   */
  public CostTradeoff tradeoff() {
    return tradeoff;
  }

  /**
   * Maps generated decisions onto configurations.
   *
   * @return the resolver
   */
  public ConfigResolver resolver() {
    return resolver;
  }

  /**
   * E, the embedding width at the start of each input row.
   *
   * @return the width
   */
  public int embeddingDim() {
    return embeddingDim;
  }

  /**
   * F, the number of query features after the embedding.
   *
   * @return the count
   */
  public int featureDim() {
    return train.baseDim() - embeddingDim;
  }

  boolean failureAugmentation() {
    return failureAugmentation;
  }

  int candidateCount() {
    return candidates.size();
  }

  int configurationCount() {
    return cfgCand.length;
  }

  /** The candidate of configuration {@code g}. */
  int candidateOf(int g) {
    return cfgCand[g];
  }

  /** The index of configuration {@code g} among its candidate's configurations. */
  int localIndex(int g) {
    return cfgLocal[g];
  }

  /** The configurations of candidate {@code c}, in order (not copied). */
  int[] configurationsOf(int c) {
    return byCand[c];
  }

  /** The raw target encoding of configuration {@code g} (not copied). */
  double[] target(int g) {
    return cfgTarget[g];
  }

  /**
   * The training reward of configuration {@code cfg} on a row: score − λ·cost (cost in cost-scale
   * units), a score of 0 counting as −1 under failure augmentation; NaN without an outcome.
   */
  double reward(SplitTable t, int row, int cfg, double lambda) {
    int g = t.configurations();
    double s = t.score()[row * g + cfg];
    double c = t.cost()[row * g + cfg];
    if (Double.isNaN(s)) {
      return Double.NaN;
    }
    if (failureAugmentation && s == 0) {
      s = -1;
    }
    return s - lambda * c;
  }

  /**
   * Options of a {@link TrainingProblem}; every one but {@link #failureAugmentation} is required.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private SplitTable train;
    private SplitTable valid;
    private List<CandidateOutputs> candidates;
    private List<Configuration> configurations;
    private ConfigResolver resolver;
    private CostTradeoff tradeoff;
    private int embeddingDim = -1;
    private boolean failureAugmentation;

    private Builder() {}

    /**
     * The table to learn from.
     *
     * @param table the {@code train} table
     * @return this builder
     */
    public Builder train(SplitTable table) {
      this.train = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * The table to choose checkpoints on.
     *
     * @param table the {@code valid} table
     * @return this builder
     */
    public Builder valid(SplitTable table) {
      this.valid = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Per candidate, its output layout (value heads: its configurations, in the order of the
     * tables).
     *
     * @param candidates the layouts, in candidate order
     * @return this builder
     */
    public Builder candidates(List<CandidateOutputs> candidates) {
      this.candidates = Objects.requireNonNull(candidates, "candidates");
      return this;
    }

    /**
     * The tables' columns, grouped by candidate (complete parameters).
     *
     * @param configurations the configurations
     * @return this builder
     */
    public Builder configurations(List<Configuration> configurations) {
      this.configurations = Objects.requireNonNull(configurations, "configurations");
      return this;
    }

    /**
     * How a generated decision maps onto a configuration.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(ConfigResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The λ mapping and cost scale.
     *
     * @param tradeoff the trade-off
     * @return this builder
     */
    public Builder tradeoff(CostTradeoff tradeoff) {
      this.tradeoff = Objects.requireNonNull(tradeoff, "tradeoff");
      return this;
    }

    /**
     * The embedding width E; the rest of each table row are features.
     *
     * @param dim at least 1
     * @return this builder
     */
    public Builder embeddingDim(int dim) {
      if (dim < 1) {
        throw new IllegalArgumentException("embeddingDim must be at least 1, got " + dim);
      }
      this.embeddingDim = dim;
      return this;
    }

    /**
     * HAPS's failure augmentation: a score of 0 counts as −1 in training rewards. Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder failureAugmentation(boolean on) {
      this.failureAugmentation = on;
      return this;
    }

    /**
     * Builds the problem.
     *
     * @return the problem
     * @throws IllegalStateException if an option is missing
     * @throws IllegalArgumentException if the tables and configurations disagree, or the
     *     configurations are not grouped by candidate
     */
    public TrainingProblem build() {
      if (train == null || valid == null || candidates == null || configurations == null
          || resolver == null || tradeoff == null || embeddingDim < 0) {
        throw new IllegalStateException("set train, valid, candidates, configurations, resolver,"
            + " tradeoff and embeddingDim before build()");
      }
      return new TrainingProblem(this);
    }
  }
}
