package dev.haps.train.embed;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Service provider interface: an engine that can train the top layers of the default query
 * encoder. {@code dev.haps:haps-train-torch} provides one (DJL's PyTorch engine); the trainer
 * finds it through {@link ServiceLoader} when {@code TrainOptions.fineTune()} is on, so that
 * neither the runtime nor the trainer depends on a training framework.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.haps.train.embed.EncoderFineTuning}
 * (class path) and with {@code provides} in its {@code module-info.java} (module path).
 *
 * @since 0.1.0
 */
public interface EncoderFineTuning {

  /** What to add when no provider is found. */
  String MISSING = "fine-tuning encoder layers needs dev.haps:haps-train-torch (DJL's PyTorch"
      + " engine, about 112 MB with its native library, Linux x86_64) on the class path: for"
      + " the haps command build it with ./mvnw -pl haps-train-torch -am package -DskipTests"
      + " (./haps then adds haps-train-torch/target/lib/*); from code add the Maven"
      + " dependency dev.haps:haps-train-torch (docs/training.md, 'Fine-tuning the encoder')";

  /**
   * The engine's name and version, for messages and the manifest.
   *
   * @return e.g. {@code DJL 0.36.0 PyTorch 2.7.1 (cpu)}
   */
  String name();

  /**
   * Opens a trainable encoder: the default encoder (all-MiniLM-L6-v2 int8) with its top {@link
   * FineTuneSetup#layers()} layers trainable, starting from the float32 weights of those layers,
   * the lower layers frozen as the runtime runs them.
   *
   * @param setup the texts and settings
   * @return the encoder; close it when done
   * @throws dev.haps.api.error.ConfigurationException if the engine or the model cannot be
   *     loaded, or the layer count does not fit the encoder
   */
  TrainableEncoder open(FineTuneSetup setup);

  /**
   * The first provider on the class path or module path.
   *
   * @return the provider, or empty when none is installed
   */
  static Optional<EncoderFineTuning> find() {
    return ServiceLoader.load(EncoderFineTuning.class, EncoderFineTuning.class.getClassLoader())
        .findFirst();
  }
}
