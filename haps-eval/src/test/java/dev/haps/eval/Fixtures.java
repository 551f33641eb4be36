package dev.haps.eval;

import dev.haps.eval.routing.OutcomeTable;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.CandidateSet;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small outcome logs for evaluation tests, and the shared benchmarks. */
public final class Fixtures {

  private Fixtures() {}

  /** Two models: "small" (temperature 0..1, observed 0, 0.5, 1) and "big" (style a|b). */
  public static CandidateSet twoModels() {
    return CandidateSet.of("toy", List.of(
        CandidateModel.of("small", 1, 1, ParameterSpace.of(FloatSpec.of("temperature", 0, 1, 0))),
        CandidateModel.of("big", 10, 10,
            ParameterSpace.of(CategoricalSpec.of("style", "a", "a", "b")))));
  }

  public static ParameterValues temp(double t) {
    return ParameterValues.of(java.util.Map.of("temperature", t));
  }

  public static ParameterValues style(String s) {
    return ParameterValues.of(java.util.Map.of("style", s));
  }

  /**
   * A toy log with two kinds of queries ("easy": small is right, "hard": only big/b is right),
   * {@code n} queries per split, deterministic. Costs: small 0.001 (+0.0001·t), big/a 0.01,
   * big/b 0.02.
   */
  public static OutcomeLog toyLog(int n, long seed) {
    Random r = new Random(seed);
    List<QueryRecord> recs = new ArrayList<>();
    for (Split s : Split.values()) {
      for (int i = 0; i < n; i++) {
        boolean hard = r.nextBoolean();
        String task = i % 2 == 0 ? "t1" : "t2";
        List<Outcome> o = new ArrayList<>();
        for (double t : new double[] {0, 0.5, 1}) {
          o.add(Outcome.of("small", temp(t), hard ? 0 : (t == 1 ? 0.5 : 1), 0.001 + 0.0001 * t));
        }
        o.add(Outcome.of("big", style("a"), hard ? 0.5 : 1, 0.01));
        o.add(Outcome.of("big", style("b"), 1, 0.02));
        recs.add(QueryRecord.of(s.wireName() + "-" + i, task, s,
            (hard ? "hard question number " : "easy question number ") + i, o));
      }
    }
    return OutcomeLog.of(twoModels(), recs);
  }

  /** Embeddings that separate the toy log's easy and hard queries (plus a little noise). */
  public static float[][] toyEmbeddings(OutcomeTable t, long seed) {
    Random r = new Random(seed);
    float[][] e = new float[t.size()][8];
    for (int q = 0; q < t.size(); q++) {
      boolean hard = t.text(q).startsWith("hard");
      for (int j = 0; j < 8; j++) {
        e[q][j] = (float) (r.nextGaussian() * 0.1);
      }
      e[q][hard ? 0 : 1] += 1;
    }
    return e;
  }

  /** The shared data folder: system property haps.shared.dir, else walk up to shared/data. */
  public static Path sharedData() {
    String p = System.getProperty("haps.shared.dir");
    if (p != null && Files.isDirectory(Path.of(p, "data"))) {
      return Path.of(p, "data");
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("shared/data"))) {
        return d.resolve("shared/data");
      }
    }
    throw new IllegalStateException("cannot find shared/data; set -Dhaps.shared.dir");
  }

  /** Evenly spaced queries of each split (so every task is represented), in file order. */
  public static OutcomeLog subset(OutcomeLog log, int train, int valid, int test) {
    List<QueryRecord> recs = new ArrayList<>();
    recs.addAll(spread(log.records(Split.TRAIN), train));
    recs.addAll(spread(log.records(Split.VALID), valid));
    recs.addAll(spread(log.records(Split.TEST), test));
    return OutcomeLog.of(log.candidates(), recs);
  }

  private static List<QueryRecord> spread(List<QueryRecord> all, int n) {
    List<QueryRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }
}
