package dev.haps.collect.judge;

import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;

/**
 * Judge type {@value #TYPE}: normalised exact match, 1 when the response equals the reference
 * answer after both are lower-cased and stripped of punctuation, the articles a/an/the and
 * extra whitespace (the SQuAD normalisation), else 0.
 *
 * <p>Settings: {@code answerPrefix} (compare only what follows the last occurrence of this
 * text in the response, up to the end of its line; default none). A query without a reference
 * answer is not graded.
 *
 * @since 0.1.0
 */
public final class NormalizedMatchJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "normalized";

  /** Created by {@link java.util.ServiceLoader}. */
  public NormalizedMatchJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "normalized: exact match after lower-casing and removing punctuation, articles and"
        + " extra spaces";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String prefix = config.get("answerPrefix").orElse("");
    return r -> {
      var ref = Answers.reference(r);
      if (ref.isEmpty()) {
        return Answers.noReference(r, TYPE);
      }
      String got = Answers.normalise(Answers.afterPrefix(r.response(), prefix));
      return Verdict.graded(got.equals(Answers.normalise(ref.get())) ? 1.0 : 0.0);
    };
  }
}
