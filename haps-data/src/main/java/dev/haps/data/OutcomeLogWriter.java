package dev.haps.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link QueryRecord}s to an {@code outcomes.jsonl} file, one JSON line each, in the
 * FORMAT.md shape. Used for production feedback, so that live traffic can retrain the router.
 *
 * <pre>{@code
 * try (OutcomeLogWriter w = OutcomeLogWriter.builder(dir.resolve("outcomes.jsonl"))
 *     .candidates(candidateSet)     // validate every record before it is written
 *     .open()) {
 *   w.append(record);
 * }
 * }</pre>
 *
 * <p><b>Crash safety.</b> Each record is serialised completely to a byte array first and then
 * written with a single append to a channel opened in append mode, followed by
 * {@link FileChannel#force(boolean)} (unless disabled). A crash can therefore leave at most the
 * last line torn and never corrupts earlier lines. On open, a last line without a newline is
 * detected: if it is a torn record, one WARN is logged, its bytes are moved to a file beside the
 * log ({@code outcomes.jsonl.torn}, one line per repair, for inspection) and the log is cut back
 * to its last complete line, so that a torn line is only ever the last line of a log and readers
 * can treat any other unparsable line as damage (see {@link OutcomeLogReader}).
 *
 * <p>Thread-safe: appends from many threads are serialised and each lands as one whole line.
 * Several writers on one file in one JVM are not coordinated beyond the operating system's
 * append semantics; share one writer instead.
 *
 * @since 0.1.0
 */
public final class OutcomeLogWriter implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeLogWriter.class);

  /** A last line longer than this is not parsed on open, only treated as torn. */
  private static final int MAX_TAIL_BYTES = 64 << 20;

  private final Path file;
  private final CandidateSet candidates;
  private final boolean fsync;
  private final ReentrantLock lock = new ReentrantLock();
  private final FileChannel channel;
  private final boolean repairedTornTail;
  private volatile boolean closed;

  private OutcomeLogWriter(Builder b) {
    this.file = b.file;
    this.candidates = b.candidates;
    this.fsync = b.fsync;
    FileChannel ch = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Tail tail = inspectTail(file);
      if (tail == Tail.TORN) {
        moveTornTail(file);
      }
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      if (tail == Tail.COMPLETE) {
        // Close the open last line so the next record never glues onto it.
        ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
        while (newline.hasRemaining()) {
          ch.write(newline);
        }
        ch.force(false);
      }
      this.channel = ch;
      this.repairedTornTail = tail == Tail.TORN;
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw OutcomeLogException.inFile(file.toString(), "cannot open the outcome log for"
          + " appending (" + e + "); check the path, permissions and disk space", e);
    }
  }

  /**
   * Opens a file for appending without validation against a candidate list, forcing each
   * append to disk. The file and its directories are created if missing.
   *
   * @param outcomesJsonl the file
   * @return the writer
   * @throws OutcomeLogException if the file cannot be opened
   */
  public static OutcomeLogWriter open(Path outcomesJsonl) {
    return builder(outcomesJsonl).open();
  }

  /**
   * A builder for a writer on a file.
   *
   * @param outcomesJsonl the file to append to
   * @return the builder
   */
  public static Builder builder(Path outcomesJsonl) {
    return new Builder(Objects.requireNonNull(outcomesJsonl, "outcomesJsonl"));
  }

  /**
   * Appends one record as one line.
   *
   * @param record the record
   * @throws OutcomeLogException if the record does not agree with the candidate list (nothing is
   *     written then) or the write fails
   * @throws IllegalStateException if the writer is closed
   */
  public void append(QueryRecord record) {
    byte[] line = serialise(Objects.requireNonNull(record, "record"));
    lock.lock();
    try {
      checkOpen();
      writeFully(line);
      if (fsync) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot append query '" + record.id()
          + "' (" + e + "); check disk space and permissions", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends records in order, each as its own line, forcing to disk once at the end. All
   * records are validated before the first is written.
   *
   * @param records the records
   * @throws OutcomeLogException if a record does not agree with the candidate list (nothing is
   *     written then) or a write fails
   * @throws IllegalStateException if the writer is closed
   */
  public void appendAll(Collection<QueryRecord> records) {
    byte[][] lines = new byte[records.size()][];
    int i = 0;
    for (QueryRecord r : records) {
      lines[i++] = serialise(Objects.requireNonNull(r, "records must not contain null"));
    }
    lock.lock();
    try {
      checkOpen();
      for (byte[] line : lines) {
        writeFully(line);
      }
      if (fsync) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot append " + records.size()
          + " records (" + e + "); check disk space and permissions", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends one serialised JSON line (newline included) with the same crash safety as {@link
   * #append}; for the other files of a feedback log.
   */
  void appendLine(byte[] line, String what) {
    lock.lock();
    try {
      checkOpen();
      writeFully(line);
      if (fsync) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot append " + what + " (" + e
          + "); check disk space and permissions", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The file this writer appends to.
   *
   * @return the path
   */
  public Path file() {
    return file;
  }

  /**
   * Whether opening found a torn last line and moved it to {@link #tornFile()}.
   *
   * @return {@code true} if a torn line was found
   */
  public boolean repairedTornTail() {
    return repairedTornTail;
  }

  /**
   * Where the bytes of torn last lines go when a writer opens the log: the log's file name with
   * {@code .torn} appended, in the same folder.
   *
   * @return the path (the file exists only after a repair)
   */
  public Path tornFile() {
    return tornFileOf(file);
  }

  private static Path tornFileOf(Path log) {
    return log.resolveSibling(log.getFileName() + ".torn");
  }

  /** Forces pending bytes to disk and closes the file; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        channel.force(false);
      } finally {
        channel.close();
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot close the outcome log (" + e
          + ")", e);
    } finally {
      lock.unlock();
    }
  }

  private byte[] serialise(QueryRecord record) {
    QueryRecord r = record;
    if (candidates != null) {
      try {
        r = Codec.canonical(record, candidates);
      } catch (Codec.BadLine e) {
        throw new OutcomeLogException(file.toString(), 0, file + ": refusing to append: "
            + e.getMessage(), null);
      }
    }
    return Codec.writeRecord(r);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("outcome log writer for " + file + " is closed");
    }
  }

  // One write call in practice; the loop only guards against a short write.
  private void writeFully(byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /** What follows the last newline of an existing file. */
  private enum Tail {
    /** Nothing: no file, an empty file, or a file ending in a newline. */
    NONE,
    /** A whole JSON object that lacks only its newline (a hand-edited file). */
    COMPLETE,
    /** Part of a record: an append was interrupted. */
    TORN
  }

  /** Classifies the bytes after the file's last newline; a torn line is logged once at WARN. */
  private static Tail inspectTail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Tail.NONE;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return Tail.NONE;
      }
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, size - 1);
      if (one.get(0) == '\n') {
        return Tail.NONE;
      }
      long lineStart = lastNewline(ch, size) + 1;
      long tailLen = size - lineStart;
      boolean complete = false;
      if (tailLen <= MAX_TAIL_BYTES) {
        ByteBuffer tail = ByteBuffer.allocate((int) tailLen);
        while (tail.hasRemaining() && ch.read(tail, lineStart + tail.position()) >= 0) {
          // read until full
        }
        try {
          complete = Codec.parseTree(tail.array(), 0, (int) tailLen).isObject();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          complete = false;
        }
      }
      if (complete) {
        LOG.debug("{}: last line (at byte {}) lacks a newline; adding one before appending",
            file, lineStart);
        return Tail.COMPLETE;
      }
      LOG.warn("{}: the last line (at byte {}, {} bytes) is torn: an earlier append was"
          + " interrupted, probably by a crash; its bytes move to {} and new records follow the"
          + " last complete line", file, lineStart, tailLen, tornFileOf(file).getFileName());
      return Tail.TORN;
    }
  }

  /**
   * Appends the bytes after the last newline to the {@code .torn} file (forced to disk first, so
   * that a crash here loses nothing) and truncates the log to its last complete line.
   */
  private static void moveTornTail(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
        FileChannel torn = FileChannel.open(tornFileOf(file), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long size = ch.size();
      long lineStart = lastNewline(ch, size) + 1;
      long pos = lineStart;
      while (pos < size) {
        pos += ch.transferTo(pos, size - pos, torn);
      }
      ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
      while (newline.hasRemaining()) {
        torn.write(newline);
      }
      torn.force(false);
      ch.truncate(lineStart);
      ch.force(false);
    }
  }

  private static long lastNewline(FileChannel ch, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    long end = size;
    while (end > 0) {
      long start = Math.max(0, end - buf.capacity());
      buf.clear().limit((int) (end - start));
      while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
        // read until full
      }
      for (int i = (int) (end - start) - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return start + i;
        }
      }
      end = start;
    }
    return -1;
  }

  /**
   * Configures an {@link OutcomeLogWriter}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Path file;
    private CandidateSet candidates;
    private boolean fsync = true;

    private Builder(Path file) {
      this.file = file;
    }

    /**
     * Validates every record against this candidate list before writing it, and writes
     * parameter values in the canonical form of their spec. Default: no validation.
     *
     * @param candidates the candidate list
     * @return this builder
     */
    public Builder candidates(CandidateSet candidates) {
      this.candidates = Objects.requireNonNull(candidates, "candidates");
      return this;
    }

    /**
     * Whether each append is forced to the storage device (default {@code true}). Turning it
     * off trades durability on power loss for speed; a process crash still loses nothing that
     * {@code append} returned from.
     *
     * @param fsync whether to force after each append
     * @return this builder
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Opens the file (creating it and its directories when missing) and checks its last line.
     *
     * @return the writer
     * @throws OutcomeLogException if the file cannot be opened
     */
    public OutcomeLogWriter open() {
      return new OutcomeLogWriter(this);
    }
  }
}
