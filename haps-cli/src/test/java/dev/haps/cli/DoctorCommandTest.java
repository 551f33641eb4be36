package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 17 item 4: {@code haps doctor} prints what a bug report needs. */
class DoctorCommandTest {

  @Test
  void doctor_defaultBundle_versionsProvidersChecksumsCachesAndTimings() {
    CliRun run = CliRun.of("doctor");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String out = run.out();
    assertThat(out).containsPattern("(?m)^haps +\\S+")
        .containsPattern("(?m)^java +17\\.")
        .containsPattern("(?m)^onnx runtime +1\\.\\d+\\.\\d+, execution providers \\[CPU[^]]*\\];"
            + " AUTO would choose CPU")
        .containsPattern("(?m)^tokenizers +DJL tokenizers \\S+ \\(")
        .containsPattern("(?m)^bundle +haps-concise-cot@1 from ")
        .containsPattern("(?m)^bundle sha256 +router\\.onnx [0-9a-f]{64}$")
        .containsPattern("(?m)^candidates +2: openai/gpt-35-turbo, openai/gpt-4$")
        .containsPattern("(?m)^encoder +all-minilm-l6-v2-q, 384 dimensions, 128 tokens, TAIL,"
            + " on CPU$")
        .containsPattern("(?m)^encoder sha256 +[0-9a-f]{64} \\(matches the bundle\\)$")
        .containsPattern("(?m)^providers +anthropic, gemini, openai, replay ")
        .containsPattern("(?m)^embedding cache +\\S+")
        .containsPattern("(?m)^tokenizer cache +\\S+")
        .containsPattern("(?m)^onnx runtime cache +\\S+")
        .containsPattern("(?m)^model cache +\\S+")
        .containsPattern("(?m)^start-up +router loaded in \\d+ ms, first route [0-9.]+ ms");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void doctor_missingBundle_isUsageError() {
    CliRun run = CliRun.of("doctor", "--bundle", "no/such/bundle");
    assertThat(run.exitCode()).isEqualTo(2);
  }
}
