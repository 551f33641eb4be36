package dev.haps.runtime;

import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.runtime.internal.CacheFolders;
import dev.haps.runtime.internal.OrtNative;
import dev.haps.runtime.internal.OrtSessions;
import dev.haps.runtime.internal.StartupTrace;
import dev.haps.runtime.internal.TokenizerNative;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime knows about its own installation, for bug reports ({@code haps doctor}) and
 * start-up measurements: where native libraries and caches live, which execution provider
 * {@code AUTO} would pick and why, and the steps of the last start-up. Nothing here loads a model
 * or changes state, except {@link #tokenizerLibrary()}, which unpacks the tokenizer's native
 * library into its cache folder if it is not there yet (what the first router does anyway).
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class RuntimeDiagnostics {

  private RuntimeDiagnostics() {}

  /**
   * Which execution provider {@link ExecutionProvider#auto()} resolves to on this machine, and
   * why (the same rule routers apply, without the log line).
   *
   * @return the choice
   */
  public static ExecutionChoice autoExecutionProvider() {
    OrtSessions.Resolution r = OrtSessions.explain(ExecutionProvider.auto());
    return new ExecutionChoice(r.chosen(), r.reason());
  }

  /**
   * The folder ONNX Runtime's native libraries are loaded from when the runtime unpacked them
   * into its cache; empty when ONNX Runtime unpacks them itself (the GPU build, the cache turned
   * off, or {@code onnxruntime.native.path} set by the application).
   *
   * @return the folder, if the runtime chose it
   */
  public static Optional<Path> onnxRuntimeLibraries() {
    return OrtNative.folder();
  }

  /**
   * The runtime's cache root ({@code ~/.cache/haps} unless {@code HAPS_CACHE_DIR} or {@code
   * -Dhaps.cache.dir} moves it).
   *
   * @return the folder (it may not exist)
   */
  public static Path cacheRoot() {
    return CacheFolders.root();
  }

  /**
   * Where the encoder's model is unpacked to once.
   *
   * @return the folder (it may not exist)
   */
  public static Path modelCache() {
    return CacheFolders.root().resolve("models");
  }

  /**
   * Where ONNX Runtime's native libraries are unpacked to once.
   *
   * @return the folder (it may not exist)
   */
  public static Path onnxRuntimeCache() {
    return OrtNative.cacheRoot();
  }

  /**
   * Where the tokenizer's native library is unpacked to.
   *
   * @return the folder (it may not exist)
   */
  public static Path tokenizerCache() {
    return TokenizerNative.cacheDir();
  }

  /**
   * The tokenizer's native library: its version, platform and file.
   *
   * @return the library
   * @throws IOException if the library cannot be read or unpacked
   */
  public static TokenizerLibrary tokenizerLibrary() throws IOException {
    String version = TokenizerNative.version();
    String classifier = TokenizerNative.classifier();
    return new TokenizerLibrary(version == null ? "unknown" : version,
        classifier == null ? "unsupported platform" : classifier,
        Optional.ofNullable(TokenizerNative.extract()));
  }

  /**
   * The start-up steps recorded in this JVM, in the order they ended; empty unless the JVM runs
   * with {@code -Dhaps.startup.trace=true} (recording costs nothing when it is off).
   *
   * @return the steps
   */
  public static List<StartupStep> startupSteps() {
    return StartupTrace.spans().stream()
        .map(s -> new StartupStep(s.step(), s.thread(), s.startNanos(), s.endNanos(),
            s.cpuNanos()))
        .toList();
  }

  /**
   * An execution provider choice.
   *
   * @param chosen the provider
   * @param reason why, in words
   * @since 0.1.0
   */
  public record ExecutionChoice(ExecutionProvider chosen, String reason) {}

  /**
   * The tokenizer's native library.
   *
   * @param version e.g. {@code 0.21.0-0.38.0}
   * @param classifier e.g. {@code linux-x86_64}
   * @param file the unpacked library; empty when DJL's own loader loads it
   * @since 0.1.0
   */
  public record TokenizerLibrary(String version, String classifier, Optional<Path> file) {}

  /**
   * One timed start-up step.
   *
   * @param step what ran
   * @param thread the thread it ran on
   * @param startNanos {@link System#nanoTime()} at its start
   * @param endNanos {@link System#nanoTime()} at its end
   * @param cpuNanos CPU time its thread used meanwhile (less sensitive than wall time to other
   *     processes on a busy machine)
   * @since 0.1.0
   */
  public record StartupStep(String step, String thread, long startNanos, long endNanos,
      long cpuNanos) {}
}
