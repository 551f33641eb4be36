package dev.haps.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the records of an {@code outcomes.jsonl} file one line at a time, validating each one
 * (against a {@link CandidateSet} when given one).
 *
 * <p><b>Torn lines.</b> A process that crashes in the middle of an append leaves a last line
 * whose JSON stops short and that no newline ends. Such a line is skipped with exactly one WARN
 * log naming the file and line ({@link #tornLinesSkipped()}). {@link OutcomeLogWriter} removes a
 * torn last line before it appends, so a torn line is never followed by others.
 *
 * <p><b>Bad lines.</b> Every other line that is not a valid record (a wrong token, JSON cut short
 * in the middle of the file, a missing field, an unknown model, a score outside [0, 1], a blank
 * query) is an {@link OutcomeLogException} naming the file, the 1-based line number and the
 * problem; with {@link BadLinePolicy#SKIP} it is skipped with one WARN and counted instead
 * ({@link #badLinesSkipped()}).
 *
 * <pre>{@code
 * try (OutcomeLogReader r = OutcomeLogReader.open(feedbackFile, candidates)) {
 *   r.stream().filter(q -> q.split() == Split.TRAIN).forEach(trainer::add);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread reads one reader.
 *
 * @since 0.1.0
 */
public final class OutcomeLogReader implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeLogReader.class);

  private final String source;
  private final LineSource lines;
  private final CandidateSet candidates;
  private final BadLinePolicy policy;
  private long recordLine;
  private int tornSkipped;
  private int badSkipped;
  private boolean closed;

  private OutcomeLogReader(String source, InputStream in, CandidateSet candidates,
      BadLinePolicy policy) {
    this.source = source;
    this.lines = new LineSource(in);
    this.candidates = candidates;
    this.policy = policy;
  }

  /**
   * Opens a file for structural validation only (no candidate list): fields, types, splits and
   * score ranges are checked; model ids and parameters are taken as written.
   *
   * @param outcomesJsonl the file
   * @return the reader
   * @throws OutcomeLogException if the file cannot be opened
   */
  public static OutcomeLogReader open(Path outcomesJsonl) {
    return openFile(outcomesJsonl, null, BadLinePolicy.FAIL);
  }

  /**
   * Opens a file and validates every record against a candidate list: unknown models, undeclared
   * parameters and out-of-range values are errors, and parameter values come back in the
   * canonical form of their spec.
   *
   * @param outcomesJsonl the file
   * @param candidates the candidate list the records must agree with
   * @return the reader
   * @throws OutcomeLogException if the file cannot be opened
   */
  public static OutcomeLogReader open(Path outcomesJsonl, CandidateSet candidates) {
    return open(outcomesJsonl, candidates, BadLinePolicy.FAIL);
  }

  /**
   * Opens a file, validates every record against a candidate list, and handles bad lines by the
   * given policy.
   *
   * @param outcomesJsonl the file
   * @param candidates the candidate list the records must agree with
   * @param policy what to do with a line that is not a valid record
   * @return the reader
   * @throws OutcomeLogException if the file cannot be opened
   */
  public static OutcomeLogReader open(Path outcomesJsonl, CandidateSet candidates,
      BadLinePolicy policy) {
    return openFile(outcomesJsonl, Objects.requireNonNull(candidates, "candidates"),
        Objects.requireNonNull(policy, "policy"));
  }

  /**
   * Reads from a stream (for example a class-path resource); closing the reader closes it.
   *
   * @param sourceName the name used in messages
   * @param in the {@code outcomes.jsonl} content
   * @param candidates the candidate list the records must agree with
   * @return the reader
   */
  public static OutcomeLogReader open(String sourceName, InputStream in, CandidateSet candidates) {
    return open(sourceName, in, candidates, BadLinePolicy.FAIL);
  }

  /**
   * Reads from a stream with a bad-line policy; closing the reader closes the stream.
   *
   * @param sourceName the name used in messages
   * @param in the {@code outcomes.jsonl} content
   * @param candidates the candidate list the records must agree with
   * @param policy what to do with a line that is not a valid record
   * @return the reader
   */
  public static OutcomeLogReader open(String sourceName, InputStream in, CandidateSet candidates,
      BadLinePolicy policy) {
    return new OutcomeLogReader(Objects.requireNonNull(sourceName, "sourceName"),
        Objects.requireNonNull(in, "in"), Objects.requireNonNull(candidates, "candidates"),
        Objects.requireNonNull(policy, "policy"));
  }

  /**
   * Reads every record of a file.
   *
   * @param outcomesJsonl the file
   * @param candidates the candidate list the records must agree with
   * @return the records, in file order, torn lines skipped
   * @throws OutcomeLogException on an unreadable file or a bad line
   */
  public static List<QueryRecord> readAll(Path outcomesJsonl, CandidateSet candidates) {
    try (OutcomeLogReader r = open(outcomesJsonl, candidates)) {
      List<QueryRecord> out = new ArrayList<>();
      for (Optional<QueryRecord> q = r.next(); q.isPresent(); q = r.next()) {
        out.add(q.get());
      }
      return out;
    }
  }

  private static OutcomeLogReader openFile(Path file, CandidateSet candidates,
      BadLinePolicy policy) {
    Objects.requireNonNull(file, "outcomesJsonl");
    try {
      return new OutcomeLogReader(file.toString(), Files.newInputStream(file), candidates,
          policy);
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot open the outcome log (" + e
          + "); check the path", e);
    }
  }

  /**
   * Reads the next record.
   *
   * @return the record, or empty at the end of the file
   * @throws OutcomeLogException on a bad line or a read failure
   * @throws IllegalStateException if the reader is closed
   */
  public Optional<QueryRecord> next() {
    if (closed) {
      throw new IllegalStateException("outcome log reader for " + source + " is closed");
    }
    try {
      while (lines.next()) {
        long n = lines.number();
        if (lines.blank()) {
          bad(n, "the line is empty; every line holds one JSON object (remove blank lines)");
          continue;
        }
        JsonNode tree;
        try {
          tree = Codec.parseTree(lines.lineBuf, lines.lineOff, lines.lineLen);
        } catch (JsonProcessingException e) {
          if (!lines.terminated) {
            // The last line, with no newline after it: what a crash inside an append leaves.
            tornSkipped++;
            LOG.warn("{} line {}: skipped a torn last line ({} bytes, its JSON stops short: {});"
                + " an append was interrupted, probably by a crash; the other lines are intact",
                source, n, lines.lineLen, Codec.describe(e));
            continue;
          }
          String problem = Codec.looksTruncated(lines.lineBuf, lines.lineOff, lines.lineLen, e)
              ? "its JSON stops short (" + Codec.describe(e) + "); only the last line of a log"
                  + " can be torn by an interrupted append, so this line was damaged or edited:"
                  + " complete or delete it"
              : "not valid JSON: " + Codec.describe(e);
          bad(n, problem);
          continue;
        }
        try {
          QueryRecord r = Codec.parseRecord(tree, candidates);
          recordLine = n;
          return Optional.of(r);
        } catch (Codec.BadLine e) {
          bad(n, e.getMessage());
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw OutcomeLogException.inFile(source, "read failed after line " + lines.number()
          + " (" + e + ")", e);
    }
  }

  /**
   * The remaining records as a sequential stream; closing the stream closes this reader.
   *
   * @return the stream
   */
  public Stream<QueryRecord> stream() {
    Iterator<QueryRecord> it = new Iterator<>() {
      private Optional<QueryRecord> ahead;

      @Override
      public boolean hasNext() {
        if (ahead == null) {
          ahead = OutcomeLogReader.this.next();
        }
        return ahead.isPresent();
      }

      @Override
      public QueryRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more records in " + source);
        }
        QueryRecord r = ahead.get();
        ahead = null;
        return r;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
        Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
  }

  /**
   * The 1-based line number of the record {@link #next()} returned last.
   *
   * @return the line, or 0 before the first record
   */
  public long lineOfLastRecord() {
    return recordLine;
  }

  /**
   * How many torn last lines were skipped so far (0 or 1).
   *
   * @return the count
   */
  public int tornLinesSkipped() {
    return tornSkipped;
  }

  /**
   * How many bad lines {@link BadLinePolicy#SKIP} skipped so far (always 0 under
   * {@link BadLinePolicy#FAIL}, which throws instead).
   *
   * @return the count
   */
  public int badLinesSkipped() {
    return badSkipped;
  }

  /** Fails on a bad line, or under SKIP logs and counts it. */
  private void bad(long line, String problem) {
    if (policy == BadLinePolicy.FAIL) {
      throw OutcomeLogException.atLine(source, line, problem);
    }
    badSkipped++;
    LOG.warn("{} line {}: skipped a bad line: {}", source, line, problem);
  }

  /**
   * The file or resource name this reader reads.
   *
   * @return the name used in messages
   */
  public String source() {
    return source;
  }

  /** Closes the underlying stream; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lines.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + source, e);
    }
  }
}
