package dev.haps.train;

import dev.haps.train.embed.TrainableEncoder;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.NetworkSpec;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.TrainingObjective;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.model.ValidationCurve;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;

/**
 * One training run over a {@link TrainingProblem}: every ensemble member is trained by a {@link
 * MemberTraining} (supervised warm-up, then policy gradient, checkpoints on {@code valid}), then
 * the members are assembled into the {@link TrainedModel} and validated together.
 *
 * <p>Determinism: all randomness comes from one seeded {@link Rng}, drawn on the calling thread
 * in a fixed order; gradients are computed in fixed shards ({@link ShardedGradient}) and the
 * validation sweep writes each cost weight's result to its own slot, so results do not depend on
 * the number of threads or on scheduling.
 */
final class TrainingRun {

  /**
   * The trained model and its validation.
   *
   * @param model the ensemble
   * @param curve its validation sweep
   * @param metric its validation metric
   * @param members per-member reports
   */
  record Result(TrainedModel model, ValidationCurve curve, double metric,
      List<MemberReport> members) {}

  private final TrainOptions options;
  private final TrainingObjective objective;
  private final TrainingProblem problem;
  private final NetworkSpec spec;
  private final ValidationSweep sweep;
  private final TrainingListener listener;
  private final ToDoubleFunction<ValidationCurve> metric;
  private TrainableEncoder encoder; // null: frozen encoder
  private final Map<String, Object> fineTuneReport = new LinkedHashMap<>();

  /**
   * Sets up a run: the objective of the options and the network it trains on the problem.
   *
   * @throws IllegalArgumentException if the problem cannot be trained with the objective
   */
  TrainingRun(TrainOptions options, TrainingProblem problem, double[] grid,
      TrainingListener listener, ToDoubleFunction<ValidationCurve> metric) {
    this.options = options;
    this.objective = options.objective();
    this.problem = problem;
    this.spec = objective.network(problem, options.hiddenSizesArray(),
        options.generatorHidden(), options.parameterSharing(), options.costWeightInput());
    this.sweep = new ValidationSweep(problem, grid);
    this.listener = listener;
    this.metric = metric;
  }

  /** Fine-tunes this encoder's top layers after each member's warm-up (see {@link
   * EncoderFineTuneStage}). */
  TrainingRun fineTuning(TrainableEncoder trainable) {
    this.encoder = trainable;
    return this;
  }

  /** The encoder whose layers are fine-tuned, or null. */
  TrainableEncoder fineTuning() {
    return encoder;
  }

  /** What the fine-tuning stage did (empty without one). */
  Map<String, Object> fineTuneReport() {
    return fineTuneReport;
  }

  NetworkSpec spec() {
    return spec;
  }

  TrainingObjective objective() {
    return objective;
  }

  /** Trains every member and assembles the ensemble. */
  Result run() {
    Rng rng = new Rng(options.seed());
    ExecutorService pool = options.threads() > 1
        ? Executors.newFixedThreadPool(options.threads(), r -> {
          Thread t = new Thread(r, "haps-train");
          t.setDaemon(true);
          return t;
        }) : null;
    try {
      List<HapsNetwork> members = new ArrayList<>();
      List<MemberReport> reports = new ArrayList<>();
      for (int m = 0; m < options.ensemble(); m++) {
        MemberTraining member = new MemberTraining(this, m, rng.split(), pool);
        members.add(member.train());
        reports.add(member.report());
      }
      return result(members, reports, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The result of members, trained here or fitted elsewhere (cross-validation, closed form):
   * assembled into the shipped model and swept on {@code valid}.
   */
  Result result(List<HapsNetwork> members, List<MemberReport> reports, ExecutorService pool) {
    TrainedModel model = assemble(members, true);
    ValidationCurve curve = sweep.run(model, pool);
    return new Result(model, curve, metric.applyAsDouble(curve), reports);
  }

  TrainedModel assemble(List<HapsNetwork> members, boolean round) {
    return new TrainedModel(objective, members, problem.candidates(), problem.tradeoff(),
        problem.embeddingDim(), problem.featureDim(), round);
  }

  /** The validation metric of one network on its own. */
  double validationMetric(HapsNetwork net, ExecutorService pool) {
    return metric.applyAsDouble(sweep.run(assemble(List.of(net), false), pool));
  }

  ToDoubleFunction<ValidationCurve> metric() {
    return metric;
  }

  TrainOptions options() {
    return options;
  }

  TrainingProblem problem() {
    return problem;
  }

  TrainingListener listener() {
    return listener;
  }
}
