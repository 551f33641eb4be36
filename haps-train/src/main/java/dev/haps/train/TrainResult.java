package dev.haps.train;

import dev.haps.data.Configuration;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.spi.EncoderInfo;
import dev.haps.train.model.TrainedModel;
import dev.haps.train.model.ValidationCurve;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Trainer#train()} produced.
 *
 * @param bundle the written bundle directory, when an output was set
 * @param model the trained router (ensemble, heads, candidate layouts)
 * @param validation the router's greedy sweep on the {@code valid} split
 * @param validMetric the model-selection metric: AIQ of the sweep on {@code valid}, with the
 *     evaluation's hull and yardstick
 * @param validGapClosed gap closed on {@code valid}
 * @param validMeanReward mean reward over the sweep on {@code valid}
 * @param benchmark the benchmark name
 * @param dataSha256 the outcome log's checksum
 * @param options the options the run used (with a given encoder, its token budget and
 *     truncation); the manifest records them
 * @param encoder the encoder the embeddings came from
 * @param features names of the extra query features, in input order
 * @param configurations the (model, parameters) configurations the router chooses among
 * @param members per ensemble member, what its warm-up and policy-gradient phases reached
 * @param embedSeconds wall time spent embedding queries (cache hits included)
 * @param trainSeconds wall time spent training
 * @param totalSeconds wall time of the whole call, export included
 * @param crossValidation the cross-validated estimate and the choices it made, when the run
 *     used the cross-validated recipe ({@link TrainOptions#linearPath()}); then the model is
 *     refit on train+valid and {@code validation} is measured on queries it was trained on
 * @param encoderTop the encoder's fine-tuned top layers ({@link TrainOptions#fineTune()}), which
 *     the bundle carries as {@code encoder-top.onnx}; empty for a frozen encoder
 * @param fineTune what the fine-tuning did (engine, epochs, checkpoint), for the manifest;
 *     empty for a frozen encoder
 * @param banditLinear the penalties of the linear values fitted on bandit feedback, when the
 *     run used that recipe (a feedback log with {@link BanditTargets#DIRECT} targets)
 * @since 0.1.0
 */
public record TrainResult(
    Optional<Path> bundle,
    TrainedModel model,
    ValidationCurve validation,
    double validMetric,
    double validGapClosed,
    double validMeanReward,
    String benchmark,
    String dataSha256,
    TrainOptions options,
    EncoderInfo encoder,
    List<String> features,
    List<Configuration> configurations,
    List<MemberReport> members,
    double embedSeconds,
    double trainSeconds,
    double totalSeconds,
    Optional<CvEstimate> crossValidation,
    Optional<EncoderTop> encoderTop,
    Map<String, Object> fineTune,
    Optional<BanditPenalties> banditLinear) {

  /** Copies the collections. */
  public TrainResult {
    features = List.copyOf(features);
    configurations = List.copyOf(configurations);
    members = List.copyOf(members);
    java.util.Objects.requireNonNull(encoderTop, "encoderTop");
    java.util.Objects.requireNonNull(banditLinear, "banditLinear");
    fineTune = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fineTune));
  }

  /**
   * A result without a cross-validated estimate and with a frozen encoder.
   *
   * @param bundle where the bundle was written, if it was
   * @param model the trained model
   * @param validation its validation sweep
   * @param validMetric the validation metric
   * @param validGapClosed the gap closed on valid
   * @param validMeanReward the mean reward on valid
   * @param benchmark the benchmark name
   * @param dataSha256 the log's SHA-256
   * @param options the options used
   * @param encoder the encoder
   * @param features the extra features
   * @param configurations the configurations
   * @param members per-member reports
   * @param embedSeconds embedding time
   * @param trainSeconds training time
   * @param totalSeconds total time
   */
  public TrainResult(Optional<Path> bundle, TrainedModel model, ValidationCurve validation,
      double validMetric, double validGapClosed, double validMeanReward, String benchmark,
      String dataSha256, TrainOptions options, EncoderInfo encoder, List<String> features,
      List<Configuration> configurations, List<MemberReport> members, double embedSeconds,
      double trainSeconds, double totalSeconds) {
    this(bundle, model, validation, validMetric, validGapClosed, validMeanReward, benchmark,
        dataSha256, options, encoder, features, configurations, members, embedSeconds,
        trainSeconds, totalSeconds, Optional.empty(), Optional.empty(), Map.of(),
        Optional.empty());
  }

  /**
   * A copy with the bundle path and total time set.
   *
   * @param path the bundle directory
   * @param total the total wall time
   * @return the new result
   */
  TrainResult withBundle(Path path, double total) {
    return new TrainResult(Optional.of(path), model, validation, validMetric, validGapClosed,
        validMeanReward, benchmark,
        dataSha256, options, encoder, features, configurations, members,
        embedSeconds, trainSeconds, total, crossValidation, encoderTop, fineTune, banditLinear);
  }
}
