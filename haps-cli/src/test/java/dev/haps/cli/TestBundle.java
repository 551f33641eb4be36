package dev.haps.cli;

import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.SharedData;
import dev.haps.data.Split;
import dev.haps.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small bundle trained in-process on part of the concise-cot log (train and valid only), for
 * the end-to-end tests of route, ask and demo. Trained once per test JVM into target/; embeddings
 * are cached under target/ too, so reruns are quick.
 *
 * <p>Test fixture only: real use goes through the default bundle or {@code haps train}.
 */
final class TestBundle {

  private static Path bundle;

  private TestBundle() {}

  static synchronized Path get() {
    if (bundle == null) {
      bundle = train();
    }
    return bundle;
  }

  private static Path train() {
    Path data = SharedData.benchmark("concise-cot").orElseThrow(() -> new IllegalStateException(
        "shared/data/concise-cot not found; run the tests from the repository"));
    OutcomeLog full = OutcomeLog.load(data);
    // Every fourth train/valid question keeps the fixture fast; test questions are left out.
    List<QueryRecord> subset = new ArrayList<>();
    for (QueryRecord r : full.records()) {
      if (r.split() != Split.TEST && Math.floorMod(r.id().hashCode(), 4) == 0) {
        subset.add(r);
      }
    }
    Path target = Path.of("target");
    Path out = target.resolve("test-bundle");
    Trainer.builder()
        .log(OutcomeLog.of(full.candidates(), subset))
        .output(out)
        .cacheDir(target.resolve("embedding-cache"))
        .seed(7)
        .ensemble(1)
        .hiddenSizes(32)
        .epochs(10)
        .rlSteps(0)
        // The runtime does not read extra query features yet (manifest "features" must be []).
        .features(false)
        .build()
        .train();
    return out;
  }
}
