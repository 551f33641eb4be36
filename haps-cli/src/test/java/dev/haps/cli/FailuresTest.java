package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.error.ConfigurationException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void describe_ourException_isItsMessageOnOneLine() {
    assertThat(Failures.describe(new ConfigurationException(
        "cannot serve bundle b:\n  candidate 'x': bad\n  candidate 'y': worse\nFix it.")))
        .isEqualTo("cannot serve bundle b: candidate 'x': bad; candidate 'y': worse; Fix it.");
  }

  @Test
  void describe_missingFile_namesThePath() {
    assertThat(Failures.describe(new UncheckedIOException(new NoSuchFileException("/x/y.json"))))
        .isEqualTo("file not found: /x/y.json; check the path and try again");
  }

  @Test
  void describe_unexpectedException_keepsItsTypeAndPointsToVerbose() {
    assertThat(Failures.describe(new IllegalStateException("boom")))
        .isEqualTo("IllegalStateException: boom (rerun with --verbose for the stack trace)");
    assertThat(Failures.describe(new NullPointerException()))
        .isEqualTo("NullPointerException (rerun with --verbose for the stack trace)");
  }
}
