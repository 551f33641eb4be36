package dev.haps.client;

import dev.haps.api.Candidate;
import dev.haps.api.Router;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.TensorSpec;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.OutcomeLog;
import dev.haps.data.OutcomeLogWriter;
import dev.haps.data.Split;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a feedback sink a log that {@code haps train} reads as it is: a {@code
 * candidates.json} beside the {@code outcomes.jsonl} (written once, from the router's candidates
 * and parameter spaces, when missing) and a valid split (one call in five, chosen by a hash of the
 * call id so that the choice is stable and independent of the answer).
 */
final class FeedbackSinkFiles {

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackSinkFiles.class);

  /** One call id in this many lands in the valid split. */
  static final int VALID_EVERY = 5;

  private FeedbackSinkFiles() {}

  /**
   * Opens the sink and writes {@code candidates.json} beside it unless one exists.
   *
   * @param outcomesJsonl the feedback file
   * @param router the router whose candidates the lines name
   * @param benchmark the name recorded in {@code candidates.json}
   */
  static OutcomeLogWriter open(Path outcomesJsonl, Router router, String benchmark) {
    OutcomeLogWriter w = OutcomeLogWriter.open(outcomesJsonl);
    Path candidates = outcomesJsonl.toAbsolutePath().resolveSibling(OutcomeLog.CANDIDATES_FILE);
    if (!Files.exists(candidates)) {
      try {
        candidateSet(router, benchmark).write(candidates);
      } catch (RuntimeException e) {
        // Feedback still works; only retraining needs the file, and the warning says how.
        LOG.warn("could not write {} beside the feedback log ({}); write it before running"
            + " haps train on {} (the outcome-log format needs it)", candidates, e.getMessage(),
            outcomesJsonl.toAbsolutePath().getParent());
      }
    }
    return w;
  }

  /** The router's candidates with their parameter spaces; prices unknown (calls record cost). */
  static CandidateSet candidateSet(Router router, String benchmark) {
    List<CandidateModel> models = new ArrayList<>();
    for (Candidate c : router.candidates()) {
      ParameterSpace space = router.parameterSpace(c.model()).orElse(ParameterSpace.empty());
      if (space.specs().stream().anyMatch(s -> s instanceof TensorSpec)) {
        throw new IllegalArgumentException("candidate '" + c.model() + "' has a tensor"
            + " parameter, which outcome logs cannot hold");
      }
      models.add(CandidateModel.of(c.model(), Double.NaN, Double.NaN, space));
    }
    return CandidateSet.of(benchmark, models);
  }

  /** The split of a call's feedback line: valid for one call id in five, by SHA-256. */
  static Split splitOf(String callId) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(callId.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    int v = ((h[0] & 0xFF) << 8) | (h[1] & 0xFF);
    return v % VALID_EVERY == 0 ? Split.VALID : Split.TRAIN;
  }
}
