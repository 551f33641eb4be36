package dev.haps.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures of one reliability run, logged at INFO and written to
 * {@code target/reliability/<name>.properties} so that docs/reliability.md can quote a run.
 */
final class Report {

  private static final Logger LOG = LoggerFactory.getLogger(Report.class);
  static final Path DIR = Path.of("target", "reliability");

  private final String name;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  Report(String name) {
    this.name = name;
  }

  Report put(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  Object get(String key) {
    return figures.get(key);
  }

  /** Logs the figures and writes the file; returns the file. */
  Path write() {
    StringBuilder sb = new StringBuilder("# ").append(name).append(", ")
        .append(Instant.now()).append('\n');
    figures.forEach((k, v) -> sb.append(k).append(" = ")
        .append(String.valueOf(v).replace("\n", "\\n")).append('\n'));
    LOG.info("reliability run {}:\n{}", name, sb);
    try {
      Files.createDirectories(DIR);
      Path file = DIR.resolve(name + ".properties");
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
