package dev.haps.it;

import dev.haps.data.FeedbackLog;
import dev.haps.data.FeedbackLogWriter;
import dev.haps.data.LoggedAction;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.eval.OffPolicyReport;
import dev.haps.eval.Promoter;
import dev.haps.testing.SharedData;
import dev.haps.train.TrainOptions;
import dev.haps.train.Trainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The child of {@link LoopCrashTest}: the learning loop forever on a concise-cot slice — log
 * calls and scores (one line each, announced on stdout after the write returns), retrain a
 * candidate on the joined log, promote it — until the parent kills it. Args: work folder, seed,
 * embedding cache.
 */
public final class LoopChild {

  private LoopChild() {}

  /**
   * Runs the loop.
   *
   * @param args work folder, seed, embedding cache
   */
  public static void main(String[] args) {
    Path work = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Path cache = Path.of(args[2]);
    OutcomeLog full = OutcomeLog.load(SharedData.benchmark("concise-cot").orElseThrow());
    List<QueryRecord> pool = new ArrayList<>(full.records(Split.TRAIN).subList(0, 80));
    pool.addAll(full.records(Split.VALID).subList(0, 40));
    Random rng = new Random(seed);
    Promoter promoter = Promoter.open(work.resolve("serving"));
    System.out.println("ready");
    System.out.flush();
    for (int round = 0; ; round++) {
      try (FeedbackLogWriter w = FeedbackLogWriter.open(work.resolve("feedback"),
          full.candidates(), true)) {
        for (int i = 0; i < 40; i++) {
          QueryRecord q = pool.get(rng.nextInt(pool.size()));
          Outcome o = q.outcomes().get(rng.nextInt(q.outcomes().size()));
          String id = "s" + seed + "-r" + round + "-" + i;
          Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round * 100L + i);
          LoggedAction a = new LoggedAction(1.0 / 8, Promoter.UNIFORM, rng.nextInt(11) / 10.0,
              at, Optional.empty(), false);
          w.appendCall(new QueryRecord(id, q.task(), q.split(), q.query(), q.answer(),
              List.of(new Outcome(o.model(), o.params(), 0, o.costUsd(), -1, -1,
                  Optional.of(a)))));
          System.out.println("call " + id);
          w.appendScore(id, o.score(), at.plusSeconds(1));
          System.out.println("score " + id);
          System.out.flush();
        }
      }
      OutcomeLog log = FeedbackLog.load(work.resolve("feedback"),
          FeedbackLog.JoinPolicy.defaults(), Instant.parse("2030-01-01T00:00:00Z")).log();
      Path candidate = work.resolve("candidate-" + seed + "-" + round);
      System.out.println("training " + round);
      System.out.flush();
      Trainer.builder().log(log).output(candidate).cacheDir(cache)
          .options(TrainOptions.builder().hiddenSizes(8).epochs(2).seed(seed + round).build())
          .build().train();
      System.out.println("promoting " + round);
      System.out.flush();
      // A report that passes the guard: the crash test is about the switch, not the estimate.
      OffPolicyReport.Interval one = new OffPolicyReport.Interval(0.6, 0.5, 0.7);
      OffPolicyReport.Estimates e = new OffPolicyReport.Estimates(one, one, one);
      OffPolicyReport.Interval up = new OffPolicyReport.Interval(0.1, 0.05, 0.15);
      OffPolicyReport report = new OffPolicyReport(candidate.toString(), 100, 50, 50, 0.125,
          Map.of("dr", e), e, new OffPolicyReport.Estimates(up, up, up), true, List.of());
      promoter.consider(candidate, report, null);
      System.out.println("promoted " + round);
      System.out.flush();
    }
  }
}
