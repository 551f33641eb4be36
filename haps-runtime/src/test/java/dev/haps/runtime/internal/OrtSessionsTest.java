package dev.haps.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.execution.ExecutionProvider;
import org.junit.jupiter.api.Test;

/** Provider resolution and session options on this CPU-only class path. */
class OrtSessionsTest {

  @Test
  void explain_autoOnCpuOnlyClasspath_cpuWithReason() {
    OrtSessions.Resolution r = OrtSessions.explain(ExecutionProvider.auto());
    assertThat(r.chosen()).isEqualTo(ExecutionProvider.cpu());
    assertThat(r.reason())
        .contains("offers [CPU]")
        .contains("no CUDA")
        .contains("com.microsoft.onnxruntime:onnxruntime_gpu");
  }

  @Test
  void resolve_auto_logsExactlyOneInfoLine() {
    RecordingLogger log = new RecordingLogger();
    assertThat(OrtSessions.resolve(ExecutionProvider.auto(), log)).isEqualTo(ExecutionProvider.cpu());
    assertThat(log.lines)
        .containsExactly(
            "INFO execution provider AUTO resolved to CPU: the ONNX Runtime on the class path"
                + " offers [CPU] and no CUDA; for a GPU use com.microsoft.onnxruntime:onnxruntime_gpu"
                + " (see docs/encoder.md)");
  }

  @Test
  void resolve_concreteProviders_unchangedAndSilent() {
    RecordingLogger log = new RecordingLogger();
    assertThat(OrtSessions.resolve(ExecutionProvider.cpu(), log)).isEqualTo(ExecutionProvider.cpu());
    assertThat(OrtSessions.resolve(ExecutionProvider.cuda(1), log))
        .isEqualTo(ExecutionProvider.cuda(1));
    assertThat(log.lines).isEmpty();
  }

  @Test
  void options_cuda_failsNamingGpuArtifact() {
    assertThatThrownBy(() -> OrtSessions.options(ExecutionProvider.cuda(0), 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("execution provider CUDA(0) is not available")
        .hasMessageContaining("offers only [CPU]")
        .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime_gpu")
        .hasMessageContaining("or use ExecutionProvider.cpu() or ExecutionProvider.auto()");
  }

  @Test
  void options_cpu_createsUsableOptions() {
    try (OrtSession.SessionOptions options = OrtSessions.options(ExecutionProvider.cpu(), 2)) {
      assertThat(options).isNotNull();
    }
    try (OrtSession.SessionOptions options = OrtSessions.options(ExecutionProvider.auto(), 1)) {
      assertThat(options).isNotNull();
    }
  }

  @Test
  void options_badThreads_rejected() {
    assertThatThrownBy(() -> OrtSessions.options(ExecutionProvider.cpu(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intraOpThreads must be at least 1, got 0");
    assertThatThrownBy(() -> OrtSessions.options(null, 1))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void resolution_auto_rejected() {
    assertThatThrownBy(() -> new OrtSessions.Resolution(ExecutionProvider.auto(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
