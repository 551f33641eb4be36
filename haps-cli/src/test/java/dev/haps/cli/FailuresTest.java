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

  // Issue 16.10: an argument check's message is complete; no class name, no --verbose hint.
  @Test
  void describe_illegalArgument_isItsMessageAlone() {
    assertThat(Failures.describe(new IllegalArgumentException("log x has no valid query")))
        .isEqualTo("log x has no valid query");
  }

  // Issue 16.10: with --verbose given, do not ask for it.
  @Test
  void describe_verbose_doesNotSayRerunWithVerbose() {
    assertThat(Failures.describe(new IllegalStateException("boom"), true))
        .isEqualTo("IllegalStateException: boom");
  }

  // Issue 16.12: a path alone says nothing; say what is wrong with it.
  @Test
  void describe_fileSystemProblems_sayWhatIsWrongWithThePath() {
    assertThat(Failures.describe(new java.nio.file.FileAlreadyExistsException("/etc/passwd")))
        .isEqualTo("already exists and is not what was expected there: /etc/passwd; give a new"
            + " path or a folder");
    assertThat(Failures.describe(new java.nio.file.NotDirectoryException("/etc/passwd")))
        .isEqualTo("not a folder: /etc/passwd; give a folder (or a path that does not exist"
            + " yet)");
    assertThat(Failures.describe(new java.nio.file.FileSystemException("/proc/x", null,
        "Read-only file system"))).isEqualTo("cannot use /proc/x: Read-only file system");
  }

  @Test
  void describe_unexpectedException_keepsItsTypeAndPointsToVerbose() {
    assertThat(Failures.describe(new IllegalStateException("boom")))
        .isEqualTo("IllegalStateException: boom (rerun with --verbose for the stack trace)");
    assertThat(Failures.describe(new NullPointerException()))
        .isEqualTo("NullPointerException (rerun with --verbose for the stack trace)");
  }
}
