package dev.haps.train;

import dev.haps.runtime.encoder.Truncation;
import dev.haps.train.model.HeadKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * A command-line entry to {@link Trainer}, usable before (and beside) the {@code haps} CLI:
 *
 * <pre>
 * java -cp haps-train.jar:... dev.haps.train.TrainMain --data DIR --out BUNDLE [--seed N]
 *     [--quiet] [--ensemble N] [--epochs N] [--rl-steps N] [--hidden 256,128] [--head value|policy]
 *     [--max-tokens N] [--truncation head|tail|head_tail] [--no-sharing] [--no-low-level]
 *     [--warmup-only] [--failure-augmentation] [--features] [--created-at 2026-01-01T00:00:00Z]
 *     [--cache DIR]
 * </pre>
 *
 * <p>Progress goes to standard error (a carriage-return bar, none with {@code --quiet}); the
 * summary (bundle path, validation AIQ and gap closed, wall times) to standard output. Exit code
 * 0 on success, 2 on bad usage, 1 on failure.
 *
 * @since 0.1.0
 */
public final class TrainMain {

  private TrainMain() {}

  /**
   * Runs the trainer.
   *
   * @param args the options above
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Trainer.Builder b = Trainer.builder();
    boolean quiet = false;
    boolean data = false;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--data" -> {
            b.data(Path.of(value(args, ++i, a)));
            data = true;
          }
          case "--out" -> b.output(Path.of(value(args, ++i, a)));
          case "--seed" -> b.seed(Long.parseLong(value(args, ++i, a)));
          case "--quiet" -> quiet = true;
          case "--ensemble" -> b.ensemble(Integer.parseInt(value(args, ++i, a)));
          case "--epochs" -> b.epochs(Integer.parseInt(value(args, ++i, a)));
          case "--rl-steps" -> b.rlSteps(Integer.parseInt(value(args, ++i, a)));
          case "--hidden" -> b.hiddenSizes(Arrays.stream(value(args, ++i, a).split(","))
              .mapToInt(Integer::parseInt).toArray());
          case "--head" -> b.head(HeadKind.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT)));
          case "--max-tokens" -> b.maxTokens(Integer.parseInt(value(args, ++i, a)));
          case "--truncation" -> b.truncation(Truncation.fromManifest(value(args, ++i, a)));
          case "--no-sharing" -> b.parameterSharing(false);
          case "--no-low-level" -> b.lowLevelRouter(false);
          case "--warmup-only" -> b.warmupOnly(true);
          case "--failure-augmentation" -> b.failureAugmentation(true);
          case "--features" -> b.features(true);
          case "--created-at" -> b.createdAt(Instant.parse(value(args, ++i, a)));
          case "--cache" -> b.cacheDir(Path.of(value(args, ++i, a)));
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (!data) {
        throw new IllegalArgumentException("--data DIR is required");
      }
    } catch (RuntimeException e) {
      err.println("haps-train: " + e.getMessage());
      err.println("usage: TrainMain --data DIR [--out BUNDLE] [--seed N] [--quiet] [options];"
          + " see the class documentation");
      return 2;
    }
    b.listener(quiet ? TrainingListener.NONE : TrainingListener.console());
    try {
      TrainResult r = b.build().train();
      out.printf(Locale.ROOT, "benchmark %s, seed %d%n", r.benchmark(), r.seed());
      r.bundle().ifPresent(p -> out.println("bundle " + p.toAbsolutePath()));
      out.printf(Locale.ROOT, "valid AIQ %.4f, gap closed %.3f, mean reward %.4f%n",
          r.validMetric(), r.validGapClosed(), r.validMeanReward());
      out.printf(Locale.ROOT, "wall time %.1f s (embedding %.1f s, training %.1f s)%n",
          r.totalSeconds(), r.embedSeconds(), r.trainSeconds());
      return 0;
    } catch (RuntimeException e) {
      err.println();
      err.println("haps-train: training failed: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
