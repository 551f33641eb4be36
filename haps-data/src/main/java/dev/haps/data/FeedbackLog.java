package dev.haps.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bandit feedback log: the calls a router made in production, each with the probability of
 * the action it took, joined with the scores that arrived later. A feedback log is a folder:
 *
 * <ul>
 *   <li>{@code candidates.json}: the candidate list (written by the client from its bundle);
 *   <li>{@code calls.jsonl}: one outcome-log line per call, written when the call returns, with
 *       its one outcome's {@code logged} object and no score;
 *   <li>{@code scores.jsonl}: one line per reported score, {@code {"call_id", "score",
 *       "scored_at"}};
 *   <li>optionally {@code outcomes.jsonl}: full-information lines (every configuration run),
 *       which are loaded as they are and mixed in.
 * </ul>
 *
 * <p><b>Join.</b> A call takes the first score reported for it within the {@link JoinPolicy}'s
 * window; later scores are ignored (counted as late). A call without a score whose window has
 * passed gets the policy's default score (when one is set; {@code scored_at} is then null), or is
 * dropped; a call still inside its window is pending and left out. {@link OutcomeLog#load(Path)}
 * joins a folder that holds {@code calls.jsonl} with {@link JoinPolicy#defaults()}.
 *
 * <p>Torn last lines of either file (an append cut by a crash) are skipped with a WARN, as in
 * {@link OutcomeLogReader}.
 *
 * @since 0.1.0
 */
public final class FeedbackLog {

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackLog.class);

  /** The calls file of a feedback log folder. */
  public static final String CALLS_FILE = "calls.jsonl";

  /** The scores file of a feedback log folder. */
  public static final String SCORES_FILE = "scores.jsonl";

  /** The share of queries a feedback log marks {@code valid}. */
  public static final double VALID_SHARE = 0.2;

  private FeedbackLog() {}

  /**
   * The split a feedback log gives a call: a stable hash of its routing text puts 1 in 5 queries
   * in {@code valid}, so that every call of a repeated query lands in the same split and a
   * candidate is never checked on queries it was trained on. Writers of {@code calls.jsonl} (the
   * routing client, the simulator) use it so that their logs split alike.
   *
   * @param routingText the text the router read
   * @return {@link Split#VALID} or {@link Split#TRAIN}
   */
  public static Split split(String routingText) {
    int h = routingText.hashCode() * 0x9E3779B1;
    return Integer.remainderUnsigned(h >>> 8, 1000) < VALID_SHARE * 1000 ? Split.VALID
        : Split.TRAIN;
  }

  /**
   * How calls and scores are joined.
   *
   * @param window how long after a call its score is accepted
   * @param defaultScore the score of a call that got none within the window, in [0, 1]; NaN to
   *     drop such calls
   * @since 0.1.0
   */
  public record JoinPolicy(Duration window, double defaultScore) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the window is not positive or the default score is
     *     outside [0, 1] and not NaN
     */
    public JoinPolicy {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("join window " + window + " must be positive");
      }
      if (!Double.isNaN(defaultScore) && !(defaultScore >= 0 && defaultScore <= 1)) {
        throw new IllegalArgumentException("default score " + defaultScore
            + " is outside [0, 1]; use NaN to drop calls that get no feedback");
      }
    }

    /**
     * The defaults: a 1-hour window (the client's feedback window), and calls without
     * feedback dropped.
     *
     * @return the policy
     */
    public static JoinPolicy defaults() {
      return new JoinPolicy(Duration.ofHours(1), Double.NaN);
    }
  }

  /**
   * A joined feedback log and what the join did.
   *
   * @param log the outcome log: joined calls (one logged outcome each) and any full-information
   *     lines
   * @param calls calls read
   * @param scored calls joined with a score
   * @param defaulted calls given the default score
   * @param pending calls still inside their window without a score (left out)
   * @param dropped calls past their window without a score and no default (left out)
   * @param lateOrRepeated score lines ignored: after the window, repeated, or for no known call
   * @since 0.1.0
   */
  public record Joined(OutcomeLog log, int calls, int scored, int defaulted, int pending,
      int dropped, int lateOrRepeated) {}

  /**
   * Whether a folder is a feedback log (holds {@code calls.jsonl}).
   *
   * @param dir the folder
   * @return {@code true} if it holds a calls file
   */
  public static boolean isFeedbackLog(Path dir) {
    return Files.isRegularFile(dir.resolve(CALLS_FILE));
  }

  /**
   * Joins a feedback log folder.
   *
   * @param dir the folder
   * @param policy the join window and default score
   * @param now the time against which windows are judged
   * @return the joined log
   * @throws OutcomeLogException if a file is missing or a line is bad
   */
  public static Joined load(Path dir, JoinPolicy policy, Instant now) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    CandidateSet cands = CandidateSet.read(dir.resolve(OutcomeLog.CANDIDATES_FILE));
    Map<String, FeedbackCodec.ScoreLine> scores = new HashMap<>();
    int[] ignored = {0};
    Path scoreFile = dir.resolve(SCORES_FILE);
    if (Files.exists(scoreFile)) {
      readLines(scoreFile, (node) -> {
        FeedbackCodec.ScoreLine s = FeedbackCodec.parseScore(node);
        if (scores.putIfAbsent(s.callId(), s) != null) {
          ignored[0]++;
        }
      });
    }
    List<QueryRecord> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int[] n = new int[5]; // calls, scored, defaulted, pending, dropped
    readLines(dir.resolve(CALLS_FILE), node -> {
      QueryRecord call = Codec.parseRecord(node, cands, true);
      if (call.outcomes().size() != 1) {
        throw new Codec.BadLine("call '" + call.id() + "' has " + call.outcomes().size()
            + " outcomes; a call line holds exactly the one action taken");
      }
      if (!ids.add(call.id())) {
        throw new Codec.BadLine("duplicate call id '" + call.id() + "'");
      }
      n[0]++;
      Outcome o = call.outcomes().get(0);
      LoggedAction a = o.logged().orElseThrow();
      Instant deadline = a.calledAt().plus(policy.window());
      FeedbackCodec.ScoreLine s = scores.remove(call.id());
      if (s != null && !s.scoredAt().isAfter(deadline)) {
        n[1]++;
        out.add(with(call, o.withFeedback(s.score(), a.withScoredAt(Optional.of(s.scoredAt())))));
        return;
      }
      if (s != null) {
        ignored[0]++;
      }
      if (now.isBefore(deadline)) {
        n[3]++;
      } else if (Double.isNaN(policy.defaultScore())) {
        n[4]++;
      } else {
        n[2]++;
        out.add(with(call, o.withFeedback(policy.defaultScore(), a.withScoredAt(Optional.empty()))));
      }
    });
    ignored[0] += scores.size();
    Path full = dir.resolve(OutcomeLog.OUTCOMES_FILE);
    if (Files.exists(full)) {
      out.addAll(OutcomeLogReader.readAll(full, cands));
    }
    OutcomeLog log = OutcomeLog.of(cands, out);
    if (n[3] + n[4] > 0 || ignored[0] > 0) {
      LOG.info("{}: {} calls, {} scored, {} given the default score, {} pending, {} dropped"
          + " without feedback, {} score lines late, repeated or unmatched", dir, n[0], n[1],
          n[2], n[3], n[4], ignored[0]);
    }
    return new Joined(log, n[0], n[1], n[2], n[3], n[4], ignored[0]);
  }

  private static QueryRecord with(QueryRecord call, Outcome o) {
    return new QueryRecord(call.id(), call.task(), call.split(), call.query(), call.answer(),
        List.of(o));
  }

  /** Reads JSON lines, skipping torn ones with a WARN; bad lines fail with file and line. */
  private static void readLines(Path file, Consumer<JsonNode> each) {
    try (InputStream in = Files.newInputStream(file); LineSource lines = new LineSource(in)) {
      while (lines.next()) {
        long n = lines.number();
        if (lines.blank()) {
          continue;
        }
        JsonNode tree;
        try {
          tree = Codec.parseTree(lines.lineBuf, lines.lineOff, lines.lineLen);
        } catch (JsonProcessingException e) {
          if (!lines.terminated
              || Codec.looksTruncated(lines.lineBuf, lines.lineOff, lines.lineLen, e)) {
            LOG.warn("{} line {}: skipped a torn line ({} bytes: {}); an append was"
                + " interrupted, probably by a crash", file, n, lines.lineLen, Codec.describe(e));
            continue;
          }
          throw OutcomeLogException.atLine(file.toString(), n, "not valid JSON: "
              + Codec.describe(e));
        }
        try {
          each.accept(tree);
        } catch (Codec.BadLine e) {
          throw OutcomeLogException.atLine(file.toString(), n, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw OutcomeLogException.inFile(file.toString(), "cannot read (" + e + ")", e);
    }
  }
}
