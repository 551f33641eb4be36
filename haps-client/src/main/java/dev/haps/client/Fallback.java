package dev.haps.client;

import dev.haps.api.RankedCandidate;
import dev.haps.spi.Completion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Falls back over the router's ranking: hands each mapped candidate, with its own parameters, to
 * the attempt chain until one answers, at most {@code maxCandidates} of them. It ends the call
 * when a stream broke after delivering output, the thread was interrupted, or the deadline
 * passed. Each fallback's reason names the candidate left and why.
 */
final class Fallback {

  /** The client's logger: one name covers every line a call logs. */
  private static final Logger LOG = LoggerFactory.getLogger(RoutingClient.class);

  private final int maxCandidates;

  Fallback(int maxCandidates) {
    this.maxCandidates = maxCandidates;
  }

  int maxCandidates() {
    return maxCandidates;
  }

  /**
   * Serves a call.
   *
   * @return the first completion
   * @throws RoutingCallException when no candidate answered, naming every attempt
   */
  Completion run(Chain chain) {
    Call call = chain.call();
    String reason = null;
    int tried = 0;
    List<RankedCandidate> ranking = call.decision().ranking();
    for (int rank = 0; rank < ranking.size() && tried < maxCandidates; rank++) {
      RankedCandidate rc = ranking.get(rank);
      Optional<CandidatePlan.Target> target = call.plan().target(rc.model());
      if (target.isEmpty()) {
        // Only a router that ignores the deny set gets here.
        LOG.debug("call {}: skipping unmapped candidate {}", call.id(), rc.model());
        continue;
      }
      tried++;
      String why = String.format(Locale.ROOT, "rank %d (p=%.3f)%s", rank + 1,
          rc.probability(), reason == null ? "" : ", fallback after " + reason);
      try {
        return chain.proceed(Step.first(rc, target.get(), why));
      } catch (StepFailed f) {
        if (call.delivered()) {
          throw call.fail("the stream broke after output was delivered, so it cannot be"
              + " retried");
        }
        if (Thread.currentThread().isInterrupted()) {
          throw call.fail("the calling thread was interrupted");
        }
        if (call.remaining() <= 0) {
          throw call.fail("the deadline of " + call.deadline() + " passed");
        }
        Attempt a = call.lastAttempt().orElseThrow();
        reason = a.candidate() + " " + a.outcome() + f.note().map(n -> ", " + n).orElse("");
      }
    }
    throw call.fail(tried == 0
        ? "no ranked candidate is mapped to a provider"
        : "no candidate answered (" + tried + " of " + ranking.size() + " tried, at most "
            + maxCandidates + ")");
  }
}
