package dev.haps.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that routes with one bundle: which bundle, which trade-off. */
final class RouterOptions {

  @Option(
      names = "--bundle",
      paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "Router bundle to use: a directory or .zip holding manifest.json and"
          + " router.onnx (as written by 'haps train'). Default: the bundle shipped with the SDK"
          + " (trained on concise-cot).")
  Path bundle;

  @Option(
      names = "--cost-weight",
      paramLabel = "W",
      defaultValue = "0.5",
      converter = Converters.CostWeight.class,
      description = "Cost/quality trade-off in [0, 1]: 0 = best quality whatever the cost,"
          + " 1 = lowest cost. Default: ${DEFAULT-VALUE}.")
  double costWeight;

  /** Created by picocli. */
  RouterOptions() {}
}
