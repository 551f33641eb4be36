package dev.haps.train.torch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.train.embed.EncoderFineTuning;
import dev.haps.train.embed.FineTuneSetup;
import dev.haps.train.embed.TrainableEncoder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tunes the top layers of the default encoder (all-MiniLM-L6-v2, int8 lower layers as the
 * runtime runs them, float32 top layers) with DJL's PyTorch engine on the CPU. Found by the
 * trainer through {@link java.util.ServiceLoader}.
 *
 * <p>The engine runs offline ({@code ai.djl.offline=true} unless set): its native library comes
 * from the {@code pytorch-native-cpu} jar on the class path and is extracted once to {@code
 * ~/.djl.ai} (or {@code ENGINE_CACHE_DIR}); nothing is downloaded. PyTorch uses one thread unless
 * {@code ai.djl.pytorch.num_threads} says otherwise: on a shared 2-core machine a second thread
 * costs about twice the CPU for the same work, and one thread keeps the result bit-identical from
 * run to run.
 *
 * @since 0.1.0
 */
public final class TorchEncoderFineTuning implements EncoderFineTuning {

  /** Used by {@link java.util.ServiceLoader}. */
  public TorchEncoderFineTuning() {}

  @Override
  public String name() {
    Engine e = engine();
    return "DJL " + Engine.getDjlVersion() + " PyTorch " + e.getVersion() + " (cpu)";
  }

  /** The PyTorch engine, offline and single-threaded unless configured. */
  static Engine engine() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "1");
    }
    try {
      // By name: DJL's tokenizers register an engine of their own.
      return Engine.getEngine("PyTorch");
    } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
      throw new ConfigurationException("DJL's PyTorch engine could not start (" + e + "); it"
          + " needs ai.djl.pytorch:pytorch-jni and pytorch-native-cpu (classifier linux-x86_64)"
          + " on the class path, which haps-train-torch declares; other platforms need their own"
          + " pytorch-native-cpu classifier", e);
    }
  }

  @Override
  public TrainableEncoder open(FineTuneSetup setup) {
    int n = setup.layers();
    if (n >= MiniLmWeights.LAYERS) {
      throw new ConfigurationException("cannot fine-tune " + n + " layers of all-MiniLM-L6-v2:"
          + " it has " + MiniLmWeights.LAYERS + " and at least one must stay frozen below the"
          + " cut; use 1 to " + (MiniLmWeights.LAYERS - 1));
    }
    Engine engine = engine();
    long t0 = System.nanoTime();
    String cut = LowerStates.layerOutput(MiniLmWeights.LAYERS - n - 1);
    byte[] base = LowerStates.baseModel();
    String baseSha = LowerStates.sha256(base);
    float[][] states;
    try (OnnxQueryEncoder enc = OnnxQueryEncoder.builder().defaultModel()
        .maxTokens(setup.maxTokens()).truncation(setup.truncation()).build()) {
      if (!enc.info().sha256().equalsIgnoreCase(baseSha)) {
        throw new IllegalStateException("the default encoder's model (SHA-256 "
            + enc.info().sha256() + ") is not " + LowerStates.BASE_RESOURCE + " (" + baseSha
            + ")");
      }
      states = LowerStates.compute(enc, base, baseSha, cut, setup.texts(), setup.cacheDir(),
          setup.status());
    }
    MiniLmWeights weights = MiniLmWeights.load();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("engine", "DJL " + Engine.getDjlVersion() + " PyTorch " + engine.getVersion());
    report.put("threads", Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads")));
    report.put("layers", n);
    report.put("cut", cut);
    report.put("startFrom", MiniLmWeights.RESOURCE + " (float32)");
    report.put("lowerLayers", LowerStates.BASE_RESOURCE + " (as the runtime runs them)");
    setup.status().accept(String.format(Locale.ROOT, "fine-tuning: top %d layer(s) of"
        + " all-MiniLM-L6-v2 with %s, ready in %.1f s", n, report.get("engine"),
        (System.nanoTime() - t0) / 1e9));
    return new TorchTrainableEncoder(engine, weights, states, baseSha, cut, n,
        Engine.getDjlVersion(), report);
  }
}
