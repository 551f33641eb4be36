package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * The test logger's output file: this module's test resources make slf4j-simple write every
 * level to a file, so that a test can read what was logged while it ran.
 */
final class TestLog {

  private final Path file;
  private final String marker;

  private TestLog(Path file, String marker) {
    this.file = file;
    this.marker = marker;
  }

  /**
   * Starts reading the log here: logs a unique marker line and later reads from it on. (The
   * logger creates its file afresh when it starts, possibly after this call; a byte offset taken
   * here could point past the new file's end.)
   */
  static TestLog mark() throws IOException {
    Properties p = new Properties();
    try (InputStream in = TestLog.class.getClassLoader()
        .getResourceAsStream("simplelogger.properties")) {
      assertThat(in).as("simplelogger.properties on the test class path").isNotNull();
      p.load(in);
    }
    String f = System.getProperty("org.slf4j.simpleLogger.logFile",
        p.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
    assertThat(f).as("the test logger must write to a file").doesNotStartWith("System.");
    String marker = "reliability-log-mark-" + UUID.randomUUID();
    LoggerFactory.getLogger(TestLog.class).info(marker);
    return new TestLog(Path.of(f), marker);
  }

  /** What was logged since {@link #mark()}. */
  String since() throws IOException {
    String all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int at = all.lastIndexOf(marker);
    assertThat(at).as("the log mark in " + file).isNotNegative();
    return all.substring(at + marker.length());
  }

  /** Occurrences of a text in a string. */
  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
