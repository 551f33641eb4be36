package dev.haps.collect.judge;

import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judge type {@value #TYPE}: token F1 between the response and the reference answer, the
 * reward of the HAPS paper (SQuAD-normalised tokens: lower case, no punctuation, no articles).
 * The score is 2PR / (P + R) over the multiset of shared tokens; 1 when both are empty, 0 when
 * only one is.
 *
 * <p>Settings: {@code answerPrefix} (score only what follows the last occurrence of this text
 * in the response, up to the end of its line; default none). A query without a reference
 * answer is not graded.
 *
 * @since 0.1.0
 */
public final class TokenF1JudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "f1";

  /** Created by {@link java.util.ServiceLoader}. */
  public TokenF1JudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "f1: token F1 between response and reference (SQuAD normalisation), the HAPS reward";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String prefix = config.get("answerPrefix").orElse("");
    return r -> {
      var ref = Answers.reference(r);
      if (ref.isEmpty()) {
        return Answers.noReference(r, TYPE);
      }
      List<String> got = Answers.tokens(Answers.afterPrefix(r.response(), prefix));
      List<String> want = Answers.tokens(ref.get());
      double f1 = f1(got, want);
      return Verdict.graded(f1, String.format(Locale.ROOT, "%d response and %d reference"
          + " tokens", got.size(), want.size()));
    };
  }

  /** Token F1 over multisets, as SQuAD's evaluation script computes it. */
  static double f1(List<String> got, List<String> want) {
    if (got.isEmpty() || want.isEmpty()) {
      return got.isEmpty() && want.isEmpty() ? 1.0 : 0.0;
    }
    Map<String, Integer> counts = new HashMap<>();
    want.forEach(t -> counts.merge(t, 1, Integer::sum));
    int common = 0;
    for (String t : got) {
      Integer n = counts.get(t);
      if (n != null && n > 0) {
        common++;
        counts.put(t, n - 1);
      }
    }
    if (common == 0) {
      return 0.0;
    }
    double p = (double) common / got.size();
    double rec = (double) common / want.size();
    return Math.min(1.0, 2 * p * rec / (p + rec));
  }
}
