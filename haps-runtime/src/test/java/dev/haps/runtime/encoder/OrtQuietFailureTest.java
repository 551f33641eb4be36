package dev.haps.runtime.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.13: a model that cannot run the requested budget fails with our one message only.
 * ONNX Runtime logs a failed run natively (multi-line, coloured, straight to file descriptor 2),
 * which no Java code can intercept, so the check runs in a child JVM and reads its stderr.
 */
class OrtQuietFailureTest {

  /** The child: builds a file-model encoder at 600 tokens and prints the failure's message. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) {
      try {
        OnnxQueryEncoder.builder().model(Path.of(args[0])).tokenizer(Path.of(args[1]))
            .maxTokens(600).build().close();
        System.out.println("built");
      } catch (RuntimeException e) {
        System.out.println("failed: " + e.getMessage());
      }
    }
  }

  @Test
  void failedWarmUpRun_printsNothingNativeOnStderr(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("minilm.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    copy("all-minilm-l6-v2-q.onnx", model);
    copy("all-minilm-l6-v2-q-tokenizer.json", tokenizer);
    Path err = dir.resolve("err.txt");
    Path out = dir.resolve("out.txt");
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        Child.class.getName(), model.toString(), tokenizer.toString())
        .redirectError(err.toFile()).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(out, StandardCharsets.UTF_8))
        .startsWith("failed: encoder model file " + model).contains("cannot run 600 tokens");
    assertThat(Files.readString(err, StandardCharsets.UTF_8)).isEmpty();
  }

  private static void copy(String resource, Path to) throws Exception {
    try (InputStream in = OrtQuietFailureTest.class.getClassLoader()
        .getResourceAsStream(resource)) {
      Files.copy(in, to);
    }
  }
}
