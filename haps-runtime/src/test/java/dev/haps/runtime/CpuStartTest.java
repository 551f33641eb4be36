package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.RouteRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 2: a normal CPU start logs no warning. DJL's native loader probes for CUDA
 * through JNA and warns ({@code Failed to detect GPU count}) wherever a CUDA runtime without a
 * usable driver is installed; the tokenizer never needs it, so the probe must not run at all. A
 * child JVM (fresh class loading, INFO logging) starts the default router and routes once; its
 * class-loading log shows whether the probe's classes were touched.
 */
class CpuStartTest {

  /** The child: the default router, one route. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) {
      try (HapsRouter r = HapsRouter.withDefaults()) {
        System.out.println("routed to " + r.route(RouteRequest.of("What is 17 * 23?", 0.3))
            .model());
      }
    }
  }

  private static Process child(Path dir, Path cache, String name) throws Exception {
    return new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-verbose:class", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.logFile=System.err", "-Dhaps.cache.dir=" + cache,
        "-cp", System.getProperty("java.class.path"), Child.class.getName())
        .redirectError(dir.resolve(name + ".err").toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile()).start();
  }

  @Test
  void defaultRouterOnCpu_noWarningNoCudaProbeOneProviderLine(@TempDir Path dir)
      throws Exception {
    Path cache = dir.resolve("cache");
    // Twice: a cold cache (unpacking) and a warm one (reading what the first start unpacked).
    for (String run : List.of("cold", "warm")) {
      Process p = child(dir, cache, run);
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
      check(Files.readString(dir.resolve(run + ".out"), StandardCharsets.UTF_8),
          Files.readAllLines(dir.resolve(run + ".err"), StandardCharsets.UTF_8));
    }
    // Issue 17 item 3: ONNX Runtime's libraries and the encoder model were unpacked once.
    try (java.util.stream.Stream<Path> s = Files.walk(cache)) {
      assertThat(s.map(f -> f.getFileName().toString()))
          .contains(System.mapLibraryName("onnxruntime"),
              System.mapLibraryName("onnxruntime4j_jni"))
          .anyMatch(f -> f.endsWith("all-minilm-l6-v2-q.onnx"));
    }
  }

  private static void check(String stdout, List<String> logged) {
    assertThat(stdout).contains("routed to gpt-");
    assertThat(stdout).doesNotContain("ai.djl.util.cuda.CudaUtils")
        .doesNotContain("ai.djl.huggingface.tokenizers.jni.LibUtils")
        .doesNotContain("com.sun.jna.Native ");
    assertThat(logged).noneMatch(l -> l.contains("WARN") || l.contains("ERROR"));
    assertThat(logged).filteredOn(l -> l.contains("runs on CPU")).singleElement().asString()
        .contains("query encoder all-minilm-l6-v2-q runs on CPU: the default");
  }
}
