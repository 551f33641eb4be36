package dev.haps.collect.judge;

import dev.haps.api.error.ConfigurationException;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.Verdict;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Judge type {@value #TYPE}: 1 when a regular expression matches the response, else 0.
 *
 * <p>Settings: {@code pattern} (required, Java regular-expression syntax; {@code {reference}}
 * in it stands for the query's reference answer, quoted literally, and then a query without
 * one is not graded), {@code ignoreCase} (default {@code false}), {@code match} ({@code find},
 * the default: anywhere in the response; {@code full}: the whole response, trimmed).
 *
 * <pre>{@code
 * {"type": "regex", "pattern": "(?m)^Answer:\\s*{reference}\\s*$"}
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RegexJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "regex";

  /** The placeholder for the reference answer inside {@code pattern}. */
  public static final String REFERENCE = "{reference}";

  /** Created by {@link java.util.ServiceLoader}. */
  public RegexJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "regex: 1 when the pattern (with {reference} for the reference answer) matches";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String pattern = config.require("pattern");
    int flags = config.getBoolean("ignoreCase", false)
        ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    String match = config.get("match").orElse("find");
    if (!match.equals("find") && !match.equals("full")) {
      throw new ConfigurationException("judge 'regex' setting 'match' = '" + match
          + "' is neither find nor full");
    }
    boolean full = match.equals("full");
    boolean usesReference = pattern.contains(REFERENCE);
    Pattern fixed;
    try {
      fixed = Pattern.compile(pattern.replace(REFERENCE, Pattern.quote("x")), flags);
    } catch (PatternSyntaxException e) {
      throw new ConfigurationException("judge 'regex' setting 'pattern' is not a regular"
          + " expression: " + e.getDescription() + " near index " + e.getIndex() + " of '"
          + pattern + "'", e);
    }
    return r -> {
      Pattern p = fixed;
      if (usesReference) {
        var ref = Answers.reference(r);
        if (ref.isEmpty()) {
          return Answers.noReference(r, TYPE);
        }
        p = Pattern.compile(pattern.replace(REFERENCE, Pattern.quote(ref.get().strip())), flags);
      }
      var m = p.matcher(full ? r.response().strip() : r.response());
      return Verdict.graded((full ? m.matches() : m.find()) ? 1.0 : 0.0);
    };
  }
}
