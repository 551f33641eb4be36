package dev.haps.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes a bandit feedback log folder ({@link FeedbackLog}): the candidate list once, a call
 * line when each call returns and a score line when its feedback arrives. Both files are
 * appended to like {@link OutcomeLogWriter}: one write and one {@code force} per line, so a
 * crash loses at most a line being written and never an earlier one, and a write failure (a
 * full disk) is thrown, never swallowed.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class FeedbackLogWriter implements Closeable {

  private final Path dir;
  private final CandidateSet candidates;
  private final OutcomeLogWriter calls;
  private final OutcomeLogWriter scores;

  private FeedbackLogWriter(Path dir, CandidateSet candidates, boolean fsync) {
    this.dir = dir;
    this.candidates = candidates;
    try {
      Files.createDirectories(dir);
      Path cands = dir.resolve(OutcomeLog.CANDIDATES_FILE);
      if (!Files.exists(cands)) {
        // Written whole to a temporary file and renamed, so that no reader sees half of it.
        Path tmp = dir.resolve(OutcomeLog.CANDIDATES_FILE + ".tmp");
        candidates.write(tmp);
        Files.move(tmp, cands, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(dir.toString(), "cannot create the feedback log folder ("
          + e + "); check the path, permissions and disk space", e);
    }
    this.calls = OutcomeLogWriter.builder(dir.resolve(FeedbackLog.CALLS_FILE))
        .candidates(candidates).fsync(fsync).open();
    this.scores = OutcomeLogWriter.builder(dir.resolve(FeedbackLog.SCORES_FILE))
        .fsync(fsync).open();
  }

  /**
   * Opens (creating when missing) a feedback log folder; the candidate list is written when the
   * folder has none.
   *
   * @param dir the folder
   * @param candidates the candidates the calls choose from
   * @param fsync whether each line is forced to the storage device
   * @return the writer
   * @throws OutcomeLogException if the folder or a file cannot be created or opened
   */
  public static FeedbackLogWriter open(Path dir, CandidateSet candidates, boolean fsync) {
    return new FeedbackLogWriter(Objects.requireNonNull(dir, "dir"),
        Objects.requireNonNull(candidates, "candidates"), fsync);
  }

  /**
   * Appends a call: a record with exactly one outcome carrying its {@link LoggedAction}; its
   * score is not written (it arrives with {@link #appendScore}).
   *
   * @param call the call
   * @throws IllegalArgumentException if the record does not hold exactly one logged outcome
   * @throws OutcomeLogException if the write fails (disk full, permissions) or the record does
   *     not agree with the candidates
   */
  public void appendCall(QueryRecord call) {
    if (call.outcomes().size() != 1 || !call.outcomes().get(0).isLogged()) {
      throw new IllegalArgumentException("call '" + call.id() + "' must hold exactly one outcome"
          + " with its logged action (propensity, policy, cost weight, call time)");
    }
    QueryRecord c;
    try {
      c = Codec.canonical(call, candidates);
    } catch (Codec.BadLine e) {
      throw new OutcomeLogException(calls.file().toString(), 0, calls.file()
          + ": refusing to append: " + e.getMessage(), null);
    }
    calls.appendLine(Codec.writeRecord(c, true), "call '" + call.id() + "'");
  }

  /**
   * Appends a score for a call.
   *
   * @param callId the call's id
   * @param score the score in [0, 1]
   * @param at when it arrived
   * @throws IllegalArgumentException if the score is outside [0, 1]
   * @throws OutcomeLogException if the write fails
   */
  public void appendScore(String callId, double score, Instant at) {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score " + score + " for call " + callId
          + " is outside [0, 1]");
    }
    scores.appendLine(FeedbackCodec.writeScore(callId, score, at), "the score of call '"
        + callId + "'");
  }

  /**
   * The folder.
   *
   * @return the path
   */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      calls.close();
    } finally {
      scores.close();
    }
  }
}
