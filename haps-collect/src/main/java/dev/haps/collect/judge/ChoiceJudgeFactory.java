package dev.haps.collect.judge;

import dev.haps.api.error.ConfigurationException;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judge type {@value #TYPE}: multiple choice. 1 when the choice letter the response gives is
 * the reference's letter, else 0.
 *
 * <p>The response's letter is, in this order: the last "answer is X" / "Answer: (X)"; a reply
 * that is only the letter ({@code B}, {@code (B)}, {@code B.}); a reply that starts with the
 * letter and a {@code )}, {@code .} or {@code :}; the last letter in parentheses. A response
 * with none of these is not graded (the reason quotes its start). The reference may be the
 * letter or start with it ({@code B}, {@code (B)}, {@code B: 300}).
 *
 * <p>Settings: {@code letters} (the choice letters, default {@code ABCDEFGHIJ}; compared
 * without regard to case).
 *
 * @since 0.1.0
 */
public final class ChoiceJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "choice";

  /** Created by {@link java.util.ServiceLoader}. */
  public ChoiceJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "choice: multiple choice, 1 when the response's choice letter is the reference's";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String letters = config.get("letters").orElse("ABCDEFGHIJ").strip();
    if (!letters.matches("[A-Za-z]+")) {
      throw new ConfigurationException("judge 'choice' setting 'letters' = '" + letters
          + "' must be letters only, e.g. ABCDE");
    }
    String upper = "[" + letters.toUpperCase(java.util.Locale.ROOT) + "]";
    String cls = "[" + letters.toUpperCase(java.util.Locale.ROOT)
        + letters.toLowerCase(java.util.Locale.ROOT) + "]";
    // After "answer is" only a capital counts: "the answer is a trick" names no choice.
    List<Pattern> rules = List.of(
        Pattern.compile("(?i:\\banswer\\s*(?:is\\s*[:\\-]?|[:\\-]))\\s*\\(?\\*{0,2}(" + upper
            + ")\\b"),
        Pattern.compile("^\\s*\\(?(" + cls + ")\\)?[.:]?\\s*$"),
        Pattern.compile("^\\s*\\(?(" + cls + ")[).:]"),
        Pattern.compile("\\((" + cls + ")\\)"));
    Pattern reference = Pattern.compile("^\\s*\\(?(" + cls + ")(?:[).:\\s]|$)");
    return r -> {
      var ref = Answers.reference(r);
      if (ref.isEmpty()) {
        return Answers.noReference(r, TYPE);
      }
      Matcher rm = reference.matcher(ref.get());
      if (!rm.find()) {
        return Verdict.ungraded("reference answer '" + Answers.shorten(ref.get())
            + "' of query '" + r.queryId() + "' is not a choice letter of " + letters);
      }
      String want = rm.group(1).toUpperCase(java.util.Locale.ROOT);
      Optional<String> got = letter(r.response(), rules);
      if (got.isEmpty()) {
        return Verdict.ungraded("the response names no choice letter of " + letters + ": '"
            + Answers.shorten(r.response()) + "'");
      }
      return Verdict.graded(got.get().equals(want) ? 1.0 : 0.0, "chose " + got.get()
          + ", reference " + want);
    };
  }

  private static Optional<String> letter(String response, List<Pattern> rules) {
    for (Pattern p : rules) {
      Matcher m = p.matcher(response);
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last != null) {
        return Optional.of(last.toUpperCase(java.util.Locale.ROOT));
      }
    }
    return Optional.empty();
  }
}
