package dev.haps.collect.judge;

import dev.haps.spi.JudgeRequest;
import dev.haps.spi.Verdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text helpers shared by the built-in judges: normalisation, extraction, numbers. */
final class Answers {

  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** A number as models write it: sign, currency, thousands separators, decimals, exponent, %. */
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\w.])-?\\$?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?%?"
          + "(?:\\s*/\\s*\\d+(?:\\.\\d+)?)?");
  private static final Pattern GSM_MARK = Pattern.compile("####\\s*([^\\n]*)");
  private static final Pattern ANSWER_IS = Pattern.compile(
      "(?i)\\banswer\\s*(?:is\\s*[:\\-]?|[:\\-])\\s*([^\\n]*)");

  private Answers() {}

  /** SQuAD normalisation: lower case, no punctuation, no articles, single spaces. */
  static String normalise(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    t = PUNCTUATION.matcher(t).replaceAll(" ");
    t = ARTICLES.matcher(t).replaceAll(" ");
    return SPACES.matcher(t).replaceAll(" ").strip();
  }

  /** The normalised tokens of a text. */
  static List<String> tokens(String s) {
    String n = normalise(s);
    return n.isEmpty() ? List.of() : List.of(n.split(" "));
  }

  /**
   * The part of a response after the last occurrence of a prefix (case-insensitive), up to the
   * end of that line; the whole response when the prefix is empty or absent.
   */
  static String afterPrefix(String response, String prefix) {
    if (prefix.isEmpty()) {
      return response.strip();
    }
    int at = response.toLowerCase(Locale.ROOT).lastIndexOf(prefix.toLowerCase(Locale.ROOT));
    if (at < 0) {
      return response.strip();
    }
    String rest = response.substring(at + prefix.length());
    int nl = rest.indexOf('\n');
    return (nl < 0 ? rest : rest.substring(0, nl)).strip();
  }

  /** The reference answer, or the ungraded verdict that says it is missing. */
  static Optional<String> reference(JudgeRequest r) {
    return r.reference().filter(s -> !s.isBlank());
  }

  static Verdict noReference(JudgeRequest r, String judge) {
    return Verdict.ungraded("query '" + r.queryId() + "' has no reference answer, which judge '"
        + judge + "' needs; give 'answer' in the queries file, or use a judge that needs none"
        + " (llm, or regex without {reference})");
  }

  /** The first characters of a text on one line, for messages. */
  static String shorten(String s) {
    String one = SPACES.matcher(s.strip()).replaceAll(" ");
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }

  /**
   * The number a response gives as its answer: after a GSM8K {@code ####} mark, else after
   * "answer is"/"answer:", else the last number in the response.
   */
  static OptionalDouble answerNumber(String response) {
    Matcher gsm = GSM_MARK.matcher(response);
    String last = null;
    while (gsm.find()) {
      last = gsm.group(1);
    }
    if (last != null) {
      OptionalDouble v = firstNumber(last);
      if (v.isPresent()) {
        return v;
      }
    }
    Matcher ans = ANSWER_IS.matcher(response);
    last = null;
    while (ans.find()) {
      last = ans.group(1);
    }
    if (last != null) {
      OptionalDouble v = firstNumber(last);
      if (v.isPresent()) {
        return v;
      }
    }
    List<String> all = new ArrayList<>();
    Matcher m = NUMBER.matcher(response);
    while (m.find()) {
      all.add(m.group());
    }
    return all.isEmpty() ? OptionalDouble.empty() : parse(all.get(all.size() - 1));
  }

  /** The first number in a text (a reference answer such as "1,234" or "$5" or "3/4"). */
  static OptionalDouble firstNumber(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? parse(m.group()) : OptionalDouble.empty();
  }

  private static OptionalDouble parse(String token) {
    // "40%" answers "40" as models write it: the percent sign is dropped, not applied.
    String t = token.replace("$", "").replace(",", "").replace(" ", "").replace("%", "");
    try {
      int slash = t.indexOf('/');
      if (slash > 0) {
        double num = new BigDecimal(t.substring(0, slash)).doubleValue();
        double den = new BigDecimal(t.substring(slash + 1)).doubleValue();
        return den == 0 ? OptionalDouble.empty() : OptionalDouble.of(num / den);
      }
      double v = new BigDecimal(t).doubleValue();
      return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
