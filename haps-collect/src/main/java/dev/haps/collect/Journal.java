package dev.haps.collect;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's append-only journal ({@code journal.jsonl}): one JSON line per finished
 * (query, configuration) pair, appended as the pair finishes, so that a crash loses at most the
 * calls in flight. Each line is serialised whole and written with one append, then forced to
 * disk; a crash can leave only the last line torn. Opening closes a torn last line with a
 * newline (one WARN), and reading skips lines that are not complete JSON (one WARN each). The
 * journal is locked while open: a second collector on the same folder fails at once.
 *
 * <p>Line fields: {@code v} (1), {@code query_id}, {@code query_sha}, {@code config},
 * {@code model}, {@code params}, {@code status}, {@code score}, {@code reason},
 * {@code cost_usd}, {@code input_tokens}, {@code output_tokens}, {@code judge},
 * {@code judge_cost_usd}, {@code attempts}, {@code latency_ms}, {@code response}; unknown values
 * are {@code null}. A later line for the same pair replaces an earlier one.
 */
final class Journal implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String FILE = "journal.jsonl";

  private final Path file;
  private final boolean fsync;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private Journal(Path file, boolean fsync, FileChannel channel, FileLock lock) {
    this.file = file;
    this.fsync = fsync;
    this.channel = channel;
    this.lock = lock;
  }

  /** What reading found: the rows in file order and the torn lines skipped. */
  record Contents(List<JournalRow> rows, int tornLines) {}

  /**
   * Opens the journal for appending, creating it, and closes a torn last line.
   *
   * @throws ConfigurationException if another collector holds the journal
   */
  static Journal open(Path file, boolean fsync) {
    FileChannel ch = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new ConfigurationException("another collector is writing " + file + "; wait for"
            + " it to finish, or collect into another --out folder");
      }
      if (tornTail(file)) {
        LOG.warn("{}: the last line has no newline (the collector was stopped while writing"
            + " it); a newline is added, and if the row is incomplete it is skipped and its pair"
            + " collected again", file);
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
        ch.force(false);
      }
      return new Journal(file, fsync, ch, lock);
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new ConfigurationException("cannot open the collect journal " + file + " (" + e
          + "); check the path, permissions and disk space", e);
    }
  }

  /** Whether the file's last byte is not a newline (checked under the lock). */
  private static boolean tornTail(Path file) throws IOException {
    try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = r.size();
      if (size == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      r.read(last, size - 1);
      return last.get(0) != '\n';
    }
  }

  /** Reads every complete row, warning about torn lines; a missing file reads as empty. */
  static Contents read(Path file) {
    return read(file, true);
  }

  /** Reads every complete row; a missing file reads as empty. */
  static Contents read(Path file, boolean warn) {
    if (!Files.exists(file)) {
      return new Contents(List.of(), 0);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the collect journal " + file, e);
    }
    List<JournalRow> rows = new ArrayList<>();
    int torn = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        n = null;
      }
      if (n == null || !n.isObject() || !n.has("query_id") || !n.has("config")
          || !n.has("status")) {
        torn++;
        if (warn) {
          LOG.warn("{} line {}: not a complete journal row (a torn write); skipped, its pair"
            + " will be collected again", file, i + 1);
        }
        continue;
      }
      try {
        rows.add(row(n));
      } catch (RuntimeException e) {
        throw new ConfigurationException(file + " line " + (i + 1) + ": " + e.getMessage()
            + "; the journal was edited by hand? Remove the line to collect its pair again", e);
      }
    }
    return new Contents(rows, torn);
  }

  /** Appends one row as one line and forces it to disk. */
  synchronized void append(JournalRow row) {
    if (closed) {
      throw new IllegalStateException("the collect journal " + file + " is closed");
    }
    ByteBuffer buf = ByteBuffer.wrap(line(row));
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      if (fsync) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the collect journal " + file
          + "; check disk space and permissions", e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      try {
        channel.force(false);
        lock.release();
      } finally {
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the collect journal " + file, e);
    }
  }

  static byte[] line(JournalRow r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + r.response().length() * 2);
    try (JsonGenerator g = JSON.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeStringField("query_id", r.queryId());
      g.writeStringField("query_sha", r.querySha());
      g.writeStringField("config", r.config());
      g.writeStringField("model", r.model());
      g.writeObjectFieldStart("params");
      for (Map.Entry<String, Object> e : r.params().asMap().entrySet()) {
        Object v = e.getValue();
        if (v instanceof Long) {
          g.writeNumberField(e.getKey(), (Long) v);
        } else if (v instanceof Double) {
          g.writeNumberField(e.getKey(), (Double) v);
        } else {
          g.writeStringField(e.getKey(), String.valueOf(v));
        }
      }
      g.writeEndObject();
      g.writeStringField("status", r.status().wireName());
      number(g, "score", r.score());
      g.writeStringField("reason", r.reason());
      number(g, "cost_usd", r.costUsd());
      count(g, "input_tokens", r.inputTokens());
      count(g, "output_tokens", r.outputTokens());
      g.writeStringField("judge", r.judge());
      number(g, "judge_cost_usd", r.judgeCostUsd());
      g.writeNumberField("attempts", r.attempts());
      g.writeNumberField("latency_ms", r.latencyMillis());
      g.writeStringField("response", r.response());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a journal row", e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static void number(JsonGenerator g, String field, double v) throws IOException {
    if (Double.isNaN(v)) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  private static void count(JsonGenerator g, String field, long v) throws IOException {
    if (v < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  private static JournalRow row(JsonNode n) {
    ParameterValues.Builder p = ParameterValues.builder();
    n.path("params").properties().forEach(e -> {
      JsonNode v = e.getValue();
      p.put(e.getKey(), v.isIntegralNumber() ? (Object) v.asLong()
          : v.isNumber() ? (Object) v.asDouble() : v.asText());
    });
    return new JournalRow(
        n.path("query_id").asText(),
        n.path("query_sha").asText(),
        n.path("config").asText(),
        n.path("model").asText(),
        p.build(),
        RowStatus.parse(n.path("status").asText()),
        num(n, "score"),
        n.path("reason").asText(""),
        num(n, "cost_usd"),
        n.path("input_tokens").isNumber() ? n.path("input_tokens").asLong() : -1,
        n.path("output_tokens").isNumber() ? n.path("output_tokens").asLong() : -1,
        n.path("judge").asText(""),
        num(n, "judge_cost_usd"),
        n.path("attempts").asInt(0),
        n.path("latency_ms").asLong(0),
        n.path("response").asText(""));
  }

  private static double num(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
  }
}
