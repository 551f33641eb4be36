package dev.haps.runtime.execution;

/**
 * Where ONNX Runtime executes the encoder and the router network.
 *
 * <ul>
 *   <li>{@link #cpu()}: always available.
 *   <li>{@link #cuda(int)}: an NVIDIA GPU; needs the {@code onnxruntime_gpu} artifact on the
 *       class path instead of {@code onnxruntime}, and fails at build time if it is missing.
 *   <li>{@link #auto()}: CUDA device 0 when the ONNX Runtime on the class path offers it,
 *       otherwise CPU; logs one INFO line saying which and why.
 * </ul>
 *
 * @since 0.1.0
 */
public sealed interface ExecutionProvider
    permits ExecutionProvider.Cpu, ExecutionProvider.Cuda, ExecutionProvider.Auto {

  /**
   * The CPU execution provider.
   *
   * @return CPU
   */
  static ExecutionProvider cpu() {
    return Cpu.INSTANCE;
  }

  /**
   * The CUDA execution provider on one GPU.
   *
   * @param deviceId the CUDA device index, at least 0
   * @return CUDA on that device
   */
  static ExecutionProvider cuda(int deviceId) {
    return new Cuda(deviceId);
  }

  /**
   * CUDA device 0 when available, otherwise CPU.
   *
   * @return AUTO
   */
  static ExecutionProvider auto() {
    return Auto.INSTANCE;
  }

  /**
   * CPU execution.
   *
   * @since 0.1.0
   */
  enum Cpu implements ExecutionProvider {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "CPU";
    }
  }

  /**
   * CUDA execution on one device.
   *
   * @param deviceId the CUDA device index
   * @since 0.1.0
   */
  record Cuda(int deviceId) implements ExecutionProvider {
    /**
     * Checks the device index.
     *
     * @throws IllegalArgumentException if negative
     */
    public Cuda {
      if (deviceId < 0) {
        throw new IllegalArgumentException("CUDA device id must be >= 0, got " + deviceId);
      }
    }

    @Override
    public String toString() {
      return "CUDA(" + deviceId + ")";
    }
  }

  /**
   * CUDA when offered, otherwise CPU.
   *
   * @since 0.1.0
   */
  enum Auto implements ExecutionProvider {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "AUTO";
    }
  }
}
