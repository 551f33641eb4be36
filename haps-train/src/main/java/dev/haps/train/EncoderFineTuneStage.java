package dev.haps.train;

import dev.haps.train.embed.TrainableEncoder;
import dev.haps.train.model.HapsNetwork;
import dev.haps.train.model.Minibatch;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.TrainingProblem;
import dev.haps.train.nn.Adam;
import dev.haps.train.nn.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.DoubleSupplier;

/**
 * The fine-tuning stage: after the warm-up on the frozen encoder's embeddings, the encoder's
 * trainable top layers and the network train together on the warm-up loss (LP-FT: the heads
 * start from their frozen-encoder checkpoint). Each step embeds the minibatch through the layers,
 * computes the heads' gradient and the gradient with respect to the embeddings in one pass,
 * updates the heads, and hands the embedding gradient back to the encoder, which updates its
 * layers. The encoder's learning rate rises linearly over the first {@code warmupEpochs}.
 *
 * <p>Checkpoints are judged after every epoch exactly as the warm-up judges its own (minus the
 * {@code valid} selection loss, or the validation metric), with the {@code valid} embeddings
 * recomputed through the current layers; the frozen checkpoint is the one to beat, and {@code
 * patience} epochs without a better one stop the stage. At the end the train and valid tables
 * hold the embeddings of the chosen checkpoint, for the policy-gradient phase and the export.
 *
 * <p>Randomness: its own {@link Rng} stream from the seed, so that frozen-encoder runs draw
 * exactly what they drew before this stage existed.
 */
final class EncoderFineTuneStage {

  /** Mixed into the seed for this stage's own random stream. */
  private static final long STREAM = 0x5EEDF17E7E2AL;

  private final TrainableEncoder encoder;
  private final FineTuneOptions f;
  private final TrainOptions o;
  private final TrainingProblem problem;
  private final int[] trainItems;
  private final int[] validItems;
  private final Map<String, Object> report = new LinkedHashMap<>();

  /**
   * @param encoder the trainable encoder; items {@code 0 … train.n − 1} are the train rows,
   *     the next {@code valid.n} the valid rows
   */
  EncoderFineTuneStage(TrainableEncoder encoder, TrainOptions options, TrainingProblem problem) {
    this.encoder = encoder;
    this.o = options;
    this.f = options.fineTune();
    this.problem = problem;
    int nt = problem.train().n();
    int nv = problem.valid().n();
    trainItems = range(0, nt);
    validItems = range(nt, nt + nv);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /**
   * Runs the stage on a network at its warm-up checkpoint.
   *
   * @param net the network; left at the chosen checkpoint
   * @param run the training run (objective, listener)
   * @param member the member index, for progress
   * @param pool the gradient pool, or null
   * @param score the current checkpoint's score on {@code valid}, higher is better
   * @param measure what {@code score} measures, for progress ("valid loss", "valid AIQ")
   * @param byLoss whether {@code score} is minus a loss (progress shows the loss)
   * @return the chosen checkpoint's network parameters
   */
  double[] run(HapsNetwork net, TrainingRun run, int member, ExecutorService pool,
      DoubleSupplier score, String measure, boolean byLoss) {
    SplitTable train = problem.train();
    SplitTable valid = problem.valid();
    int e = problem.embeddingDim();
    Rng rng = new Rng(o.seed() ^ STREAM);
    Adam adam = net.optimiser();
    ShardedGradient gradient = new ShardedGradient(run.objective(), problem, pool,
        net.parameterCount());
    double[] g = new double[net.parameterCount()];
    int n = train.n();
    int b = Math.min(f.batchSize(), n);
    int stepsPerEpoch = (n + b - 1) / b;
    long warmSteps = Math.round(f.warmupEpochs() * stepsPerEpoch);

    // The frozen checkpoint is judged on the frozen encoder's own embeddings, each epoch on the
    // layers' embeddings: each candidate as it would be deployed.
    double initial = score.getAsDouble();
    double[] frozenTrain = train.x().clone();
    double[] frozenValid = valid.x().clone();
    double best = initial;
    double[] bestParams = net.parameters();
    Object bestEncoder = encoder.checkpoint();
    int bestEpoch = 0;
    int since = 0;
    int[] order = range(0, n);
    long step = 0;
    List<Double> trainLoss = new ArrayList<>();
    List<Double> validScore = new ArrayList<>();
    double cpu = 0;
    double wall = 0;
    int epochs = 0;
    for (int epoch = 1; epoch <= f.epochs() && since < f.patience(); epoch++) {
      long w0 = System.nanoTime();
      long c0 = cpuNanos();
      rng.shuffle(order);
      double lossSum = 0;
      for (int s = 0; s < n; s += b) {
        int[] rows = Arrays.copyOfRange(order, s, Math.min(n, s + b));
        double[] cw = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
          cw[i] = rng.uniform() < o.zeroCostWeightShare() ? 0.0 : rng.uniform();
        }
        double[] dx = new double[rows.length * train.baseDim()];
        Minibatch batch = new Minibatch(rows, cw, new long[rows.length], dx);
        double lr = warmSteps == 0 ? f.learningRate()
            : f.learningRate() * Math.min(1.0, (step + 1) / (double) warmSteps);
        double[] loss = {0};
        encoder.step(rows, emb -> {
          write(train, rows, emb, e);
          loss[0] = gradient.compute(net, batch, false, g);
          net.step(adam, g, f.headLearningRate(), o.weightDecay());
          // The heads' gradient is the batch mean; so is the loss the encoder descends.
          float[][] out = new float[rows.length][e];
          double inv = 1.0 / rows.length;
          int w = train.baseDim();
          for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < e; j++) {
              out[i][j] = (float) (dx[i * w + j] * inv);
            }
          }
          return out;
        }, lr);
        lossSum += loss[0] * rows.length;
        step++;
      }
      wall += (System.nanoTime() - w0) / 1e9;
      cpu += (cpuNanos() - c0) / 1e9;
      epochs++;
      write(valid, range(0, valid.n()), encoder.embed(validItems), e);
      double m = score.getAsDouble();
      trainLoss.add(lossSum / n);
      validScore.add(byLoss ? -m : m);
      if (m > best) {
        best = m;
        bestParams = net.parameters();
        bestEncoder = encoder.checkpoint();
        bestEpoch = epoch;
        since = 0;
      } else {
        since++;
      }
      run.listener().training("fine-tune", member, 1, epoch, f.epochs(), measure,
          byLoss ? -m : m, byLoss ? -best : best);
    }
    net.setParameters(bestParams);
    if (bestEpoch > 0) {
      encoder.restore(bestEncoder);
      write(train, trainItems, encoder.embed(trainItems), e);
      write(valid, range(0, valid.n()), encoder.embed(validItems), e);
    } else {
      // No epoch beat the frozen checkpoint: the run goes on exactly as a frozen-encoder run
      // (same embeddings, same heads, same random draws) and the bundle has no fine-tuned layers.
      System.arraycopy(frozenTrain, 0, train.x(), 0, frozenTrain.length);
      System.arraycopy(frozenValid, 0, valid.x(), 0, frozenValid.length);
    }

    report.put("epochs", epochs);
    report.put("bestEpoch", bestEpoch);
    report.put("kept", bestEpoch > 0);
    report.put("measure", measure);
    report.put("initial", byLoss ? -initial : initial);
    report.put("best", byLoss ? -best : best);
    report.put("trainLossPerEpoch", rounded(trainLoss));
    report.put("validPerEpoch", rounded(validScore));
    report.put("stepsPerEpoch", stepsPerEpoch);
    // No timings here: they go to the listener, so that bundles stay byte-identical.
    run.listener().status(String.format(Locale.ROOT, "fine-tuning: %d epoch(s), best %s %.4f"
        + " at epoch %d (frozen checkpoint %.4f)%s; per epoch %.0f s CPU, %.0f s wall", epochs,
        measure, byLoss ? -best : best, bestEpoch, byLoss ? -initial : initial,
        bestEpoch == 0 ? ", kept the frozen checkpoint" : "", epochs == 0 ? 0 : cpu / epochs,
        epochs == 0 ? 0 : wall / epochs));
    return bestParams;
  }

  /** What the stage did, for the manifest. */
  Map<String, Object> report() {
    return report;
  }

  /** Writes embeddings into the first {@code e} columns of the given rows of the table. */
  private static void write(SplitTable t, int[] rows, float[][] emb, int e) {
    int w = t.baseDim();
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      for (int j = 0; j < e; j++) {
        t.x()[r * w + j] = emb[i][j];
      }
    }
  }

  private static List<Double> rounded(List<Double> values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(round(v));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The process's CPU time (all threads: the heads' pool and the engine's). */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos)
        .orElse(0L);
  }
}
