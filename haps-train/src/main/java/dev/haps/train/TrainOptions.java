package dev.haps.train;

import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.Truncation;
import dev.haps.train.model.PolicyObjective;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.ValueObjective;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every option of a training run, immutable: the one definition that the {@link Trainer}, the
 * training loop, the bundle manifest ({@link #hyperParameters()}) and {@code haps train} read.
 * Defaults live in {@link Builder} and nowhere else; {@code docs/training.md} explains the numbers
 * behind them.
 *
 * <pre>{@code
 * TrainOptions options = TrainOptions.builder()
 *     .seed(7)
 *     .hiddenSizes(64)
 *     .epochs(20)
 *     .build();
 * }</pre>
 *
 * <p>The canonical constructor checks every value (so does {@link Builder#build()}, which calls
 * it); {@code warmupOnly} sets {@code rlSteps} to 0.
 *
 * @param head which heads to train; mapped to a {@link TrainingObjective} by {@link #objective()}
 * @param hiddenSizes trunk hidden sizes (ReLU after each)
 * @param generatorHidden hidden size of each parameter generator's own layer; 0 makes generators
 *     linear readouts of the trunk
 * @param parameterSharing whether the generators read the shared trunk; {@code false} is the "no
 *     sharing" ablation (each generator, and the policy head, gets its own trunk)
 * @param lowLevelRouter whether the router generates parameters; {@code false} is the "no
 *     low-level router" ablation (every model runs with its default parameters)
 * @param warmupOnly the "warm-up only" ablation: no policy-gradient phase
 * @param failureAugmentation HAPS's failure augmentation: a score of 0 counts as −1 in training
 *     targets and rewards
 * @param features whether the trunk also reads text features ({@code log_chars}, {@code
 *     log_lines}); runtimes of bundle format 1 accept no features
 * @param costWeightInput whether the trunk reads the cost weight (value heads always apply it
 *     through λ; policy heads always read it)
 * @param ensemble networks trained from different seeds and averaged inside the exported graph
 * @param batchSize queries per minibatch
 * @param learningRate Adam learning rate of the warm-up
 * @param weightDecay decoupled weight decay on weight matrices
 * @param epochs warm-up epochs: fixed with {@code linearPath}, else the maximum (early stopping
 *     usually ends sooner)
 * @param rlSteps policy-gradient steps after the warm-up (0 with {@code warmupOnly})
 * @param rlLearningRate Adam learning rate of the policy-gradient phase
 * @param entropyBonus β of the entropy bonus in policy gradient
 * @param auxWeight weight of the warm-up loss kept during policy gradient (an anchor against
 *     drift)
 * @param validateEvery steps between validations on the {@code valid} split
 * @param patience validations without improvement after which a phase stops
 * @param costLossWeight weight of the log-cost regression of value heads
 * @param policyLossWeight weight of value heads' cross-entropy toward the λ-best configuration
 * @param temperature τ of value heads: logits are utilities divided by τ
 * @param zeroCostWeightShare share of training rows whose cost weight is exactly 0 (λ = 0 is a
 *     point of the evaluation grid); the other rows draw it uniformly from [0, 1]
 * @param selectByLoss how value heads pick warm-up checkpoints and stop early: by the {@code
 *     valid} split's regression loss, or by AIQ on {@code valid} (policy heads always use AIQ)
 * @param banditTargets how value heads learn from bandit feedback rows (outcomes logged with a
 *     propensity); full-information rows are unaffected
 * @param propensityClip the largest inverse-propensity weight of a bandit row (IPS and doubly
 *     robust targets), at least 1
 * @param maxTokens token budget of the default encoder, special tokens included
 * @param truncation how the default encoder cuts long queries
 * @param fineTune whether and how the top layers of the encoder are fine-tuned with the heads
 *     ({@link FineTuneOptions#NONE}: frozen encoder); recorded in the manifest only when on
 * @param seed the seed of every random choice (initialisation, minibatches, cost weights,
 *     sampling)
 * @param threads worker threads for gradients and validation; results do not depend on it
 * @param linearPath the value-head recipe of issue 19: a closed-form, frozen linear path from
 *     the embedding into every generator plus a residual (trunk and generators) trained for a
 *     fixed number of epochs, with α and γ chosen by K-fold cross-validation over train+valid
 *     and the model refit on train+valid; {@code false} trains the network alone with
 *     checkpoints on {@code valid} (the "no linear path" ablation, and policy heads)
 * @param cvFolds K of the cross-validation (with {@code linearPath})
 * @param linearAlpha ridge penalty α of the linear path; 0 chooses it by cross-validation
 * @param residualScale scale γ of the trained residual relative to the linear path; negative
 *     chooses it by cross-validation, 0 is the "linear path only" ablation
 * @since 0.1.0
 */
public record TrainOptions(
    HeadKind head,
    List<Integer> hiddenSizes,
    int generatorHidden,
    boolean parameterSharing,
    boolean lowLevelRouter,
    boolean warmupOnly,
    boolean failureAugmentation,
    boolean features,
    boolean costWeightInput,
    int ensemble,
    int batchSize,
    double learningRate,
    double weightDecay,
    int epochs,
    int rlSteps,
    double rlLearningRate,
    double entropyBonus,
    double auxWeight,
    int validateEvery,
    int patience,
    double costLossWeight,
    double policyLossWeight,
    double temperature,
    double zeroCostWeightShare,
    boolean selectByLoss,
    BanditTargets banditTargets,
    double propensityClip,
    int maxTokens,
    Truncation truncation,
    FineTuneOptions fineTune,
    long seed,
    int threads,
    boolean linearPath,
    int cvFolds,
    double linearAlpha,
    double residualScale) {

  /**
   * Components that are not hyper-parameters of the result: the seed has its own manifest field
   * ({@code training.seed}) and the thread count does not change the bundle.
   */
  private static final Set<String> NOT_HYPER_PARAMETERS = Set.of("seed", "threads");

  /** Recorded only when on, so that frozen-encoder manifests stay as they were. */
  private static final String FINE_TUNE = "fineTune";

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException for a value out of its range, naming the option and what it
   *     accepts
   * @throws NullPointerException if {@code head}, {@code hiddenSizes} or {@code truncation} is
   *     null
   */
  public TrainOptions {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(truncation, "truncation");
    Objects.requireNonNull(banditTargets, "banditTargets");
    if (!(propensityClip >= 1) || !Double.isFinite(propensityClip)) {
      throw new IllegalArgumentException("propensityClip must be finite and at least 1, got "
          + propensityClip);
    }
    Objects.requireNonNull(fineTune, "fineTune");
    hiddenSizes = List.copyOf(hiddenSizes);
    if (hiddenSizes.isEmpty()) {
      throw new IllegalArgumentException("hiddenSizes needs at least one size, got none");
    }
    for (int s : hiddenSizes) {
      atLeast("hidden size", s, 1);
    }
    atLeast("generatorHidden", generatorHidden, 0);
    atLeast("ensemble", ensemble, 1);
    atLeast("batchSize", batchSize, 1);
    positive("learningRate", learningRate);
    nonNegative("weightDecay", weightDecay);
    atLeast("epochs", epochs, 0);
    atLeast("rlSteps", rlSteps, 0);
    positive("rlLearningRate", rlLearningRate);
    nonNegative("entropyBonus", entropyBonus);
    nonNegative("auxWeight", auxWeight);
    atLeast("validateEvery", validateEvery, 1);
    atLeast("patience", patience, 1);
    nonNegative("costLossWeight", costLossWeight);
    nonNegative("policyLossWeight", policyLossWeight);
    positive("temperature", temperature);
    if (!(zeroCostWeightShare >= 0 && zeroCostWeightShare <= 1)) {
      throw new IllegalArgumentException("zeroCostWeightShare must be in [0, 1], got "
          + zeroCostWeightShare);
    }
    atLeast("maxTokens", maxTokens, 4);
    atLeast("threads", threads, 1);
    atLeast("cvFolds", cvFolds, 2);
    nonNegative("linearAlpha", linearAlpha);
    if (!Double.isFinite(residualScale)) {
      throw new IllegalArgumentException("residualScale must be finite (negative: chosen by"
          + " cross-validation), got " + residualScale);
    }
    if (fineTune.enabled() && ensemble != 1) {
      throw new IllegalArgumentException("fine-tuning " + fineTune.layers() + " encoder layer(s)"
          + " trains one encoder with one network; ensemble must be 1, got " + ensemble);
    }
    if (warmupOnly) {
      rlSteps = 0;
    }
  }

  /**
   * Whether this run uses the cross-validated value-head recipe ({@link #linearPath()} with
   * value heads).
   *
   * @return true for the linear-path recipe
   */
  public boolean crossValidated() {
    return linearPath && head == HeadKind.VALUE;
  }

  private static void atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + v);
    }
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and at least 0, got " + v);
    }
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
    }
  }

  /**
   * Every option at its default.
   *
   * @return the defaults
   */
  public static TrainOptions defaults() {
    return builder().build();
  }

  /**
   * A new builder with every option at its default.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options; every option can still be set once.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.head = head;
    b.hiddenSizes = hiddenSizes.stream().mapToInt(Integer::intValue).toArray();
    b.generatorHidden = generatorHidden;
    b.parameterSharing = parameterSharing;
    b.lowLevelRouter = lowLevelRouter;
    b.warmupOnly = warmupOnly;
    b.failureAugmentation = failureAugmentation;
    b.features = features;
    b.costWeightInput = costWeightInput;
    b.ensemble = ensemble;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.weightDecay = weightDecay;
    b.epochs = epochs;
    b.rlSteps = rlSteps;
    b.rlLearningRate = rlLearningRate;
    b.entropyBonus = entropyBonus;
    b.auxWeight = auxWeight;
    b.validateEvery = validateEvery;
    b.patience = patience;
    b.costLossWeight = costLossWeight;
    b.policyLossWeight = policyLossWeight;
    b.temperature = temperature;
    b.zeroCostWeightShare = zeroCostWeightShare;
    b.selectByLoss = selectByLoss;
    b.banditTargets = banditTargets;
    b.propensityClip = propensityClip;
    b.maxTokens = maxTokens;
    b.truncation = truncation;
    b.fineTune = fineTune;
    b.seed = seed;
    b.threads = threads;
    b.linearPath = linearPath;
    b.cvFolds = cvFolds;
    b.linearAlpha = linearAlpha;
    b.residualScale = residualScale;
    return b;
  }

  /**
   * The training objective of {@link #head()} with these options' loss weights: the one place a
   * head kind becomes an objective.
   *
   * @return the objective
   */
  public TrainingObjective objective() {
    return switch (head) {
      case VALUE -> new ValueObjective(temperature, costLossWeight, policyLossWeight, auxWeight,
          entropyBonus, selectByLoss);
      case POLICY -> new PolicyObjective(auxWeight, entropyBonus);
    };
  }

  /**
   * The trunk's hidden sizes as an array.
   *
   * @return a new array
   */
  int[] hiddenSizesArray() {
    return hiddenSizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The hyper-parameters as the manifest records them ({@code training.hyperParameters}): every
   * component but {@code seed} and {@code threads}, in declaration order, so that a new option is
   * recorded without further code. Enums are written as the manifest spells them ({@code value},
   * {@code tail}).
   *
   * @return an ordered map of plain values (numbers, booleans, strings, a list of sizes)
   */
  public Map<String, Object> hyperParameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RecordComponent c : TrainOptions.class.getRecordComponents()) {
      if (NOT_HYPER_PARAMETERS.contains(c.getName())
          || (c.getName().equals(FINE_TUNE) && !fineTune.enabled())) {
        continue;
      }
      m.put(c.getName(), manifestValue(value(c)));
    }
    return m;
  }

  private Object value(RecordComponent c) {
    try {
      return c.getAccessor().invoke(this);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read option " + c.getName(), e);
    }
  }

  private static Object manifestValue(Object v) {
    if (v instanceof HeadKind h) {
      return h.name().toLowerCase(Locale.ROOT);
    }
    if (v instanceof BanditTargets t) {
      return t.name().toLowerCase(Locale.ROOT);
    }
    if (v instanceof Truncation t) {
      return t.manifestName();
    }
    if (v instanceof FineTuneOptions f) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layers", f.layers());
      m.put("learningRate", f.learningRate());
      m.put("headLearningRate", f.headLearningRate());
      m.put("epochs", f.epochs());
      m.put("batchSize", f.batchSize());
      m.put("patience", f.patience());
      m.put("warmupEpochs", f.warmupEpochs());
      return m;
    }
    return v;
  }

  /**
   * Options of a training run, each at its default until set. Each can be set once; {@link
   * #build()} checks the values.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private HeadKind head = HeadKind.VALUE;
    private int[] hiddenSizes = {256};
    private int generatorHidden = 0;
    private boolean parameterSharing = true;
    private boolean lowLevelRouter = true;
    private boolean warmupOnly = false;
    private boolean failureAugmentation = false;
    private boolean features = false;
    private boolean costWeightInput = false;
    private int ensemble = 1;
    private int batchSize = 64;
    private double learningRate = 1e-3;
    private double weightDecay = 1.0;
    private int epochs = 30;
    private int rlSteps = 0;
    private double rlLearningRate = 2e-4;
    private double entropyBonus = 0.01;
    private double auxWeight = 1.0;
    private int validateEvery = 25;
    private int patience = 8;
    private double costLossWeight = 1.0;
    private double policyLossWeight = 0.0;
    private double temperature = 0.1;
    private double zeroCostWeightShare = 0.1;
    private boolean selectByLoss = true;
    private BanditTargets banditTargets = BanditTargets.DIRECT;
    private double propensityClip = 20;
    // The encoder's own defaults, so that an encoder built with defaults embeds alike.
    private int maxTokens = OnnxQueryEncoder.DEFAULT_MAX_TOKENS;
    private Truncation truncation = OnnxQueryEncoder.DEFAULT_TRUNCATION;
    private FineTuneOptions fineTune = FineTuneOptions.NONE;
    private long seed = 42;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private boolean linearPath = true;
    private int cvFolds = 5;
    private double linearAlpha = 0;
    private double residualScale = -1;

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /**
     * Which heads to train. Default {@link HeadKind#VALUE}.
     *
     * @param head policy (the paper's heads) or value (structured)
     * @return this builder
     */
    public Builder head(HeadKind head) {
      once("head");
      this.head = Objects.requireNonNull(head, "head");
      return this;
    }

    /**
     * Trunk hidden sizes (ReLU after each). Default one layer of 256.
     *
     * @param sizes one or more positive sizes
     * @return this builder
     */
    public Builder hiddenSizes(int... sizes) {
      once("hiddenSizes");
      this.hiddenSizes = sizes.clone();
      return this;
    }

    /**
     * Hidden size of each parameter generator's own layer; 0 makes generators linear readouts
     * of the trunk. Default 0.
     *
     * @param size at least 0
     * @return this builder
     */
    public Builder generatorHidden(int size) {
      once("generatorHidden");
      this.generatorHidden = size;
      return this;
    }

    /**
     * Parameter sharing: generators read the shared trunk. Default true.
     *
     * @param on the switch; false is the "no sharing" ablation
     * @return this builder
     */
    public Builder parameterSharing(boolean on) {
      once("parameterSharing");
      this.parameterSharing = on;
      return this;
    }

    /**
     * The low-level router. Default true.
     *
     * @param on the switch; false is the "no low-level router" ablation (default parameters)
     * @return this builder
     */
    public Builder lowLevelRouter(boolean on) {
      once("lowLevelRouter");
      this.lowLevelRouter = on;
      return this;
    }

    /**
     * The "warm-up only" ablation: no policy-gradient phase. Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder warmupOnly(boolean on) {
      once("warmupOnly");
      this.warmupOnly = on;
      return this;
    }

    /**
     * HAPS's failure augmentation: a score of 0 counts as −1 in training targets and rewards.
     * Default false (it lost on validation; see {@code docs/training.md}).
     *
     * @param on the switch
     * @return this builder
     */
    public Builder failureAugmentation(boolean on) {
      once("failureAugmentation");
      this.failureAugmentation = on;
      return this;
    }

    /**
     * Whether the trunk also reads text features ({@code log_chars}, {@code log_lines}).
     * Default false: runtimes of bundle format 1 accept no features.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder features(boolean on) {
      once("features");
      this.features = on;
      return this;
    }

    /**
     * Whether the trunk reads the cost weight (value heads always apply it through λ; policy
     * heads always read it). Default false.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder costWeightInput(boolean on) {
      once("costWeightInput");
      this.costWeightInput = on;
      return this;
    }

    /**
     * Networks trained from different seeds and averaged inside the exported graph. Default 1
     * (it beat four on valid).
     *
     * @param members at least 1
     * @return this builder
     */
    public Builder ensemble(int members) {
      once("ensemble");
      this.ensemble = members;
      return this;
    }

    /**
     * Queries per minibatch. Default 64.
     *
     * @param size at least 1
     * @return this builder
     */
    public Builder batchSize(int size) {
      once("batchSize");
      this.batchSize = size;
      return this;
    }

    /**
     * Adam learning rate of the warm-up. Default 1e-3.
     *
     * @param lr positive
     * @return this builder
     */
    public Builder learningRate(double lr) {
      once("learningRate");
      this.learningRate = lr;
      return this;
    }

    /**
     * Decoupled weight decay on weight matrices. Default 1.0 (the cross-validated recipe; the
     * checkpointed one used 1e-4).
     *
     * @param wd at least 0
     * @return this builder
     */
    public Builder weightDecay(double wd) {
      once("weightDecay");
      this.weightDecay = wd;
      return this;
    }

    /**
     * Warm-up epochs: fixed with {@code linearPath}, else the maximum (early stopping usually
     * ends sooner). Default 30.
     *
     * @param epochs at least 0
     * @return this builder
     */
    public Builder epochs(int epochs) {
      once("epochs");
      this.epochs = epochs;
      return this;
    }

    /**
     * Policy-gradient steps after the warm-up. Default 0 (the cross-validated recipe has none;
     * the checkpointed one used 300).
     *
     * @param steps at least 0
     * @return this builder
     */
    public Builder rlSteps(int steps) {
      once("rlSteps");
      this.rlSteps = steps;
      return this;
    }

    /**
     * Adam learning rate of the policy-gradient phase. Default 2e-4.
     *
     * @param lr positive
     * @return this builder
     */
    public Builder rlLearningRate(double lr) {
      once("rlLearningRate");
      this.rlLearningRate = lr;
      return this;
    }

    /**
     * β of the entropy bonus in policy gradient. Default 0.01.
     *
     * @param beta at least 0
     * @return this builder
     */
    public Builder entropyBonus(double beta) {
      once("entropyBonus");
      this.entropyBonus = beta;
      return this;
    }

    /**
     * Weight of the warm-up loss kept during policy gradient (an anchor against drift).
     * Default 1.
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder auxWeight(double weight) {
      once("auxWeight");
      this.auxWeight = weight;
      return this;
    }

    /**
     * Steps between validations on the {@code valid} split. Default 25.
     *
     * @param steps at least 1
     * @return this builder
     */
    public Builder validateEvery(int steps) {
      once("validateEvery");
      this.validateEvery = steps;
      return this;
    }

    /**
     * Validations without improvement after which a phase stops. Default 8.
     *
     * @param validations at least 1
     * @return this builder
     */
    public Builder patience(int validations) {
      once("patience");
      this.patience = validations;
      return this;
    }

    /**
     * Weight of the log-cost regression of value heads. Default 1.
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder costLossWeight(double weight) {
      once("costLossWeight");
      this.costLossWeight = weight;
      return this;
    }

    /**
     * Weight of value heads' cross-entropy toward the λ-best configuration. Default 0 (0.5 lost
     * on valid: the router collapsed to the cheapest configuration; see {@code docs/training.md}).
     *
     * @param weight at least 0
     * @return this builder
     */
    public Builder policyLossWeight(double weight) {
      once("policyLossWeight");
      this.policyLossWeight = weight;
      return this;
    }

    /**
     * τ of value heads: logits are utilities divided by τ. Default 0.1.
     *
     * @param tau positive
     * @return this builder
     */
    public Builder temperature(double tau) {
      once("temperature");
      this.temperature = tau;
      return this;
    }

    /**
     * Share of training rows whose cost weight is exactly 0. Default 0.1.
     *
     * @param share in [0, 1]
     * @return this builder
     */
    public Builder zeroCostWeightShare(double share) {
      once("zeroCostWeightShare");
      this.zeroCostWeightShare = share;
      return this;
    }

    /**
     * How value heads pick checkpoints and stop early: by the {@code valid} split's regression
     * loss ({@code true}, default) or by AIQ on {@code valid} ({@code false}). AIQ on a few
     * hundred queries is noisy, and picking the checkpoint that maximises it overfits the
     * validation split.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder selectByLoss(boolean on) {
      once("selectByLoss");
      this.selectByLoss = on;
      return this;
    }

    /**
     * How value heads learn from bandit feedback rows. Default {@link BanditTargets#DIRECT}
     * (measured in {@code docs/learning-loop.md}).
     *
     * @param targets the rule
     * @return this builder
     */
    public Builder banditTargets(BanditTargets targets) {
      once("banditTargets");
      this.banditTargets = Objects.requireNonNull(targets, "targets");
      return this;
    }

    /**
     * The largest inverse-propensity weight of a bandit row. Default 20.
     *
     * @param clip at least 1
     * @return this builder
     */
    public Builder propensityClip(double clip) {
      once("propensityClip");
      this.propensityClip = clip;
      return this;
    }

    /**
     * Token budget of the default encoder, special tokens included. Default: the encoder's own
     * ({@value OnnxQueryEncoder#DEFAULT_MAX_TOKENS}).
     *
     * @param maxTokens at least 4
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      once("maxTokens");
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * How the default encoder cuts long queries. Default {@link Truncation#TAIL}: benchmark
     * prompts often start with the same few-shot examples and end with the actual question.
     *
     * @param truncation the rule
     * @return this builder
     */
    public Builder truncation(Truncation truncation) {
      once("truncation");
      this.truncation = Objects.requireNonNull(truncation, "truncation");
      return this;
    }

    /**
     * Fine-tuning of the encoder's top layers with the heads. Default {@link
     * FineTuneOptions#NONE} (frozen encoder). Needs {@code dev.haps:haps-train-torch} on the
     * class path when on.
     *
     * @param options the fine-tuning options
     * @return this builder
     */
    public Builder fineTune(FineTuneOptions options) {
      once("fineTune");
      this.fineTune = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The seed of every random choice. Default 42.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      once("seed");
      this.seed = seed;
      return this;
    }

    /**
     * Worker threads for gradients and validation. Results do not depend on it. Default
     * min(2, available processors).
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder threads(int threads) {
      once("threads");
      this.threads = threads;
      return this;
    }

    /**
     * The cross-validated value-head recipe: a closed-form linear path plus a trained residual,
     * α and γ chosen by K-fold cross-validation, refit on train+valid. Default true; false
     * trains the network alone with checkpoints on {@code valid}.
     *
     * @param on the switch
     * @return this builder
     */
    public Builder linearPath(boolean on) {
      once("linearPath");
      this.linearPath = on;
      return this;
    }

    /**
     * K of the cross-validation. Default 5.
     *
     * @param folds at least 2
     * @return this builder
     */
    public Builder cvFolds(int folds) {
      once("cvFolds");
      this.cvFolds = folds;
      return this;
    }

    /**
     * Ridge penalty α of the linear path. Default 0: chosen by cross-validation from {10, 20,
     * 30, 50, 100} (30 unless another beats it by more than one standard error).
     *
     * @param alpha positive, or 0 for cross-validation
     * @return this builder
     */
    public Builder linearAlpha(double alpha) {
      once("linearAlpha");
      this.linearAlpha = alpha;
      return this;
    }

    /**
     * Scale γ of the trained residual relative to the linear path. Default −1: chosen by
     * cross-validation from {0, ¼, ½, 1} (the smallest within one standard error of the best);
     * 0 is the "linear path only" ablation.
     *
     * @param gamma at least 0, or negative for cross-validation
     * @return this builder
     */
    public Builder residualScale(double gamma) {
      once("residualScale");
      this.residualScale = gamma;
      return this;
    }

    /**
     * Builds the options; the builder stays usable.
     *
     * @return the options
     * @throws IllegalArgumentException for a value out of its range, naming the option and what
     *     it accepts
     */
    public TrainOptions build() {
      return new TrainOptions(head, Arrays.stream(hiddenSizes).boxed().toList(), generatorHidden,
          parameterSharing, lowLevelRouter, warmupOnly, failureAugmentation, features,
          costWeightInput, ensemble, batchSize, learningRate, weightDecay, epochs, rlSteps,
          rlLearningRate, entropyBonus, auxWeight, validateEvery, patience, costLossWeight,
          policyLossWeight, temperature, zeroCostWeightShare, selectByLoss, banditTargets,
          propensityClip, maxTokens, truncation, fineTune, seed, threads, linearPath, cvFolds,
          linearAlpha, residualScale);
    }
  }
}
