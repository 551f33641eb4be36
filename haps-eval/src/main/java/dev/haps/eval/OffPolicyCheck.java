package dev.haps.eval;

import dev.haps.api.Exploration;
import dev.haps.data.Configuration;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.TextNormalizer;
import dev.haps.spi.QueryEncoder;
import dev.haps.train.embed.EmbeddingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Checks the off-policy estimates against the truth on a full-information benchmark: each run
 * logs one uniformly drawn action per query of a split (a seeded cost weight from the grid
 * each), estimates a fixed candidate's mean reward from that log with DR (95 % bootstrap
 * interval), and compares it with the candidate's true mean reward on the same queries and cost
 * weights, computed from the full log.
 *
 * @since 0.1.0
 */
public final class OffPolicyCheck {

  private OffPolicyCheck() {}

  /**
   * One run's figures.
   *
   * @param seed the run's seed
   * @param truth the candidate's true mean reward on the run's rows
   * @param dr the DR estimate with its interval
   * @param ips the IPS estimate with its interval
   * @since 0.1.0
   */
  public record Run(long seed, double truth, OffPolicyReport.Interval dr,
      OffPolicyReport.Interval ips) {

    /**
     * Whether the DR interval holds the truth.
     *
     * @return the flag
     */
    public boolean covered() {
      return dr.covers(truth);
    }
  }

  /**
   * Runs the check.
   *
   * @param data the benchmark folder
   * @param split the split whose queries are logged
   * @param candidate the fixed candidate bundle
   * @param runs how many seeded runs (seeds 1 … runs)
   * @param cacheDir the embedding cache
   * @param progress where a line per run goes
   * @return the runs
   */
  public static List<Run> run(Path data, Split split, Path candidate, int runs, Path cacheDir,
      Consumer<String> progress) {
    OutcomeLog log = OutcomeLog.load(data);
    List<Configuration> configs = OutcomeTable.configurations(log);
    OutcomeTable table = OutcomeTable.of(log, split, configs);
    OutcomeTable train = OutcomeTable.of(log, Split.TRAIN, configs);
    CostTradeoff tradeoff = CostTradeoff.withCostScale(train.maxMeanCost());
    RouterBundle bundle = RouterBundle.load(candidate);
    // The encoder the bundle names, its fine-tuned top layers included.
    QueryEncoder enc = Evaluation.encoderLike(bundle.encoder(), bundle.encoderTop());
    try {
      EmbeddingStore store = EmbeddingStore.open(enc, cacheDir);
      List<String> texts = new ArrayList<>();
      for (int q = 0; q < table.size(); q++) {
        texts.add(TextNormalizer.normalize(table.text(q)));
      }
      float[][] emb = store.embed(texts);
      Map<String, float[]> byText = new HashMap<>();
      for (int i = 0; i < texts.size(); i++) {
        byText.put(texts.get(i), emb[i]);
      }
      FixedEncoder fixed = new FixedEncoder(enc.info(), byText);
      double[] grid = CostTradeoff.grid(21);
      int g = configs.size();
      List<Run> out = new ArrayList<>();
      try (BundlePolicy policy = new BundlePolicy(bundle, Exploration.none(), fixed)) {
        for (long seed = 1; seed <= runs; seed++) {
          SplittableRandom rng = new SplittableRandom(seed * 1_000_003L);
          List<LoggedRow> rows = new ArrayList<>();
          double[] w = new double[table.size()];
          for (int q = 0; q < table.size(); q++) {
            w[q] = grid[rng.nextInt(grid.length)];
            Configuration c = configs.get(rng.nextInt(g));
            int ci = table.snap(Decision.of(c));
            rows.add(new LoggedRow("q" + q, split, table.text(q), c.model(), c.params(),
                table.score(q, ci), table.cost(q, ci), 1.0 / g, w[q], Promoter.UNIFORM));
          }
          BundlePolicy.Row[] target = policy.rows(emb, w, tradeoff);
          double truth = 0;
          for (int q = 0; q < table.size(); q++) {
            var top = target[q].ranking().get(0);
            int ci = table.snap(new Decision(top.model(), top.parameters()));
            truth += tradeoff.reward(table.score(q, ci), table.cost(q, ci), w[q]);
          }
          truth /= table.size();
          OffPolicyReport r = OffPolicyEstimator.estimate(candidate.toString(), rows, target,
              tradeoff, policy.hasDirectModel(), 1000, seed);
          Run run = new Run(seed, truth, r.dr().reward(), r.estimates().get("ips").reward());
          out.add(run);
          progress.accept(String.format(java.util.Locale.ROOT, "run %d: truth %.4f, DR %.4f"
              + " [%.4f, %.4f] %s, IPS %.4f [%.4f, %.4f]", seed, truth, run.dr().value(),
              run.dr().low(), run.dr().high(), run.covered() ? "covers" : "MISSES",
              run.ips().value(), run.ips().low(), run.ips().high()));
        }
      }
      return out;
    } finally {
      enc.close();
    }
  }

}
