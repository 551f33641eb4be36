package dev.haps.collect.judge;

import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;
import java.util.Locale;

/**
 * Judge type {@value #TYPE}: 1 when the response equals the reference answer (surrounding
 * whitespace ignored), else 0.
 *
 * <p>Settings: {@code answerPrefix} (compare only what follows the last occurrence of this
 * text in the response, up to the end of its line, e.g. {@code Answer:}; default none: the
 * whole response), {@code caseSensitive} (default {@code true}). A query without a reference
 * answer is not graded.
 *
 * @since 0.1.0
 */
public final class ExactMatchJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "exact";

  /** Created by {@link java.util.ServiceLoader}. */
  public ExactMatchJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "exact: 1 when the response (after answerPrefix, trimmed) equals the reference";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String prefix = config.get("answerPrefix").orElse("");
    boolean caseSensitive = config.getBoolean("caseSensitive", true);
    return r -> {
      var ref = Answers.reference(r);
      if (ref.isEmpty()) {
        return Answers.noReference(r, TYPE);
      }
      String got = Answers.afterPrefix(r.response(), prefix);
      String want = ref.get().strip();
      boolean same = caseSensitive ? got.equals(want)
          : got.toLowerCase(Locale.ROOT).equals(want.toLowerCase(Locale.ROOT));
      return Verdict.graded(same ? 1.0 : 0.0);
    };
  }
}
