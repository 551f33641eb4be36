package dev.haps.runtime.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.execution.ExecutionProvider;
import java.util.EnumSet;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session options for ONNX Runtime, shared by the query encoder and the router network so that
 * both run where the caller asked, with the same threading rules.
 *
 * <p>Usage: resolve the requested provider once per component, then create options for the
 * concrete provider. Keep the options open until every session built from them is closed (an
 * ONNX Runtime rule).
 *
 * <pre>{@code
 * ExecutionProvider ep = OrtSessions.resolve(ExecutionProvider.auto()); // logs one INFO line
 * OrtSession.SessionOptions options = OrtSessions.options(ep, 1);
 * OrtSession session = OrtSessions.environment().createSession(modelBytes, options);
 * }</pre>
 *
 * <p>Internal to the HAPS runtime: not a supported API. Thread-safe (stateless).
 *
 * @since 0.1.0
 */
public final class OrtSessions {

  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  /** The Maven coordinates a user needs for CUDA; named in every CUDA error. */
  static final String GPU_ARTIFACT = "com.microsoft.onnxruntime:onnxruntime_gpu";

  static {
    // Before any ONNX Runtime class initialises: its libraries from a cache, not a fresh copy.
    long t = StartupTrace.start();
    OrtNative.prepare();
    StartupTrace.end("onnx runtime native libraries", t);
  }

  private OrtSessions() {}

  /**
   * The outcome of resolving a requested execution provider: the concrete provider and why.
   *
   * @param chosen {@link ExecutionProvider#cpu()} or a {@link ExecutionProvider.Cuda}; never AUTO
   * @param reason one sentence saying why, e.g. that the ONNX Runtime on the class path offers
   *     only CPU
   * @since 0.1.0
   */
  public record Resolution(ExecutionProvider chosen, String reason) {
    /**
     * Checks the fields.
     *
     * @param chosen the concrete provider
     * @param reason why it was chosen
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if {@code chosen} is AUTO
     */
    public Resolution {
      Objects.requireNonNull(chosen, "chosen");
      Objects.requireNonNull(reason, "reason");
      if (chosen instanceof ExecutionProvider.Auto) {
        throw new IllegalArgumentException("a resolution must be concrete, got AUTO");
      }
    }
  }

  /**
   * The shared ONNX Runtime environment (created on first use, never closed).
   *
   * @return the environment
   */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Resolves AUTO to CUDA device 0 or CPU and logs exactly one INFO line saying which and why; CPU
   * and CUDA are returned unchanged and log nothing. Call it once per component and pass the
   * result on, so that a process logs the choice once per component.
   *
   * @param requested the provider asked for
   * @return a concrete provider: CPU or CUDA
   * @throws NullPointerException if {@code requested} is null
   */
  public static ExecutionProvider resolve(ExecutionProvider requested) {
    return resolve(requested, LOG);
  }

  // The logger is a parameter so that tests can record the line whatever binding is installed.
  static ExecutionProvider resolve(ExecutionProvider requested, Logger log) {
    Resolution resolution = explain(requested);
    if (requested instanceof ExecutionProvider.Auto) {
      log.info("execution provider AUTO resolved to {}: {}", resolution.chosen(), resolution.reason());
    }
    return resolution.chosen();
  }

  /**
   * Resolves like {@link #resolve(ExecutionProvider)} but logs nothing and also returns the
   * reason. AUTO picks CUDA device 0 only when the ONNX Runtime on the class path lists the CUDA
   * provider and can register it; otherwise CPU.
   *
   * @param requested the provider asked for
   * @return the concrete provider and the reason
   * @throws NullPointerException if {@code requested} is null
   */
  public static Resolution explain(ExecutionProvider requested) {
    Objects.requireNonNull(requested, "requested execution provider");
    if (requested instanceof ExecutionProvider.Cpu) {
      return new Resolution(requested, "CPU was requested");
    }
    if (requested instanceof ExecutionProvider.Cuda) {
      return new Resolution(requested, requested + " was requested");
    }
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    if (!available.contains(OrtProvider.CUDA)) {
      return new Resolution(
          ExecutionProvider.cpu(),
          "the ONNX Runtime on the class path offers "
              + available
              + " and no CUDA; for a GPU use "
              + GPU_ARTIFACT
              + " (see docs/encoder.md)");
    }
    // The GPU build lists CUDA even where the CUDA libraries or the driver are missing;
    // registering the provider loads them, so a failure here means "no usable GPU".
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      probe.addCUDA(0);
      return new Resolution(
          ExecutionProvider.cuda(0), "the ONNX Runtime on the class path offers CUDA: " + available);
    } catch (OrtException | RuntimeException e) {
      return new Resolution(
          ExecutionProvider.cpu(),
          "the ONNX Runtime on the class path lists CUDA but registering device 0 failed ("
              + e.getMessage()
              + ")");
    }
  }

  /**
   * Creates session options for one provider: graph optimisation level ALL, sequential
   * execution, {@code intraOpThreads} threads per run and one inter-op thread, warnings from ONNX
   * Runtime's own log suppressed (errors still reach its log). AUTO is resolved first (one INFO
   * line).
   *
   * <p>One intra-op thread per run is usually best for a service: each caller thread runs its
   * own inference, so throughput grows with caller threads instead of threads fighting over cores.
   *
   * @param provider where to run; AUTO is resolved with {@link #resolve(ExecutionProvider)}
   * @param intraOpThreads threads per run, at least 1
   * @return new options; the caller closes them after the sessions built from them
   * @throws NullPointerException if {@code provider} is null
   * @throws IllegalArgumentException if {@code intraOpThreads} is below 1
   * @throws ConfigurationException if CUDA is requested but the ONNX Runtime on the class path
   *     does not offer it or cannot register the device; the message says how to switch to
   *     {@code onnxruntime_gpu}
   */
  public static OrtSession.SessionOptions options(ExecutionProvider provider, int intraOpThreads) {
    Objects.requireNonNull(provider, "provider");
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException(
          "intraOpThreads must be at least 1, got " + intraOpThreads);
    }
    ExecutionProvider concrete = resolve(provider);
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      // Failures reach the caller as exceptions with our context; ONNX Runtime's own logging of
      // the same failure (multi-line, coloured, on stderr) would only duplicate them.
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      if (concrete instanceof ExecutionProvider.Cuda cuda) {
        addCuda(options, cuda.deviceId());
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw new ConfigurationException(
          "could not configure ONNX Runtime session options for "
              + concrete
              + " with "
              + intraOpThreads
              + " intra-op threads: "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static void addCuda(OrtSession.SessionOptions options, int deviceId) {
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    if (!available.contains(OrtProvider.CUDA)) {
      throw new ConfigurationException(cudaUnavailable(deviceId, "offers only " + available));
    }
    try {
      options.addCUDA(deviceId);
    } catch (OrtException | RuntimeException e) {
      throw new ConfigurationException(
          cudaUnavailable(
              deviceId, "lists CUDA but could not register device " + deviceId + ": " + e.getMessage()),
          e);
    }
  }

  static String cudaUnavailable(int deviceId, String what) {
    return "execution provider CUDA("
        + deviceId
        + ") is not available: the ONNX Runtime on the class path "
        + what
        + ". To run on an NVIDIA GPU, replace the dependency com.microsoft.onnxruntime:onnxruntime"
        + " with "
        + GPU_ARTIFACT
        + " (same version; exclude onnxruntime from dev.haps:haps-runtime), install the CUDA 12"
        + " runtime and cuDNN 9 that this ONNX Runtime release expects, and check the device id;"
        + " or use ExecutionProvider.cpu() or ExecutionProvider.auto(). See docs/encoder.md.";
  }
}
