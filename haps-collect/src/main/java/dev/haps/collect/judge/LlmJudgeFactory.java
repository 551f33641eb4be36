package dev.haps.collect.judge;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeFactory;
import dev.haps.spi.JudgeRequest;
import dev.haps.spi.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judge type {@value #TYPE}: asks a model of any configured provider to grade the response
 * against a rubric, and parses its grade. The call goes through the collector's retry,
 * circuit-breaker and deadline policies; its cost is the judge's own, recorded apart from the
 * answer's.
 *
 * <p>Settings: {@code provider} and {@code model} (required: the provider instance and the
 * backend model that grades), {@code scale} (the top grade, default 10; the score is
 * grade / scale), {@code rubric} (the system prompt; the default asks for one line
 * {@code Grade: N} from 0 to the scale, comparing with the reference answer when there is
 * one), {@code temperature} and {@code maxTokens} (sent as the parameters {@code temperature}
 * and {@code max_tokens} when set; nothing is sent otherwise). The call is bounded by the
 * collection's {@code deadline}.
 *
 * <p>The grade is the last {@code Grade: N} (or {@code Grade: N/M}) in the reply, else a reply
 * that is only a number. A reply without one, or a grade outside [0, scale], is not graded and
 * the reason quotes the reply's start; the call's cost is still recorded.
 *
 * @since 0.1.0
 */
public final class LlmJudgeFactory implements JudgeFactory {

  /** The judge type. */
  public static final String TYPE = "llm";

  private static final Pattern GRADE = Pattern.compile(
      "(?i)\\bgrade\\s*[:=]?\\s*\\**\\s*(-?\\d+(?:\\.\\d+)?)(?:\\s*/\\s*(\\d+(?:\\.\\d+)?))?");
  private static final Pattern ONLY_NUMBER = Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)\\s*$");

  /** Created by {@link java.util.ServiceLoader}. */
  public LlmJudgeFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "llm: a configured model grades the response with a rubric (its cost recorded"
        + " separately)";
  }

  /**
   * The default rubric for a scale.
   *
   * @param scale the top grade
   * @return the system prompt
   */
  public static String defaultRubric(long scale) {
    return "You grade a response to a question. When a reference answer is given, the response"
        + " is correct if it reaches the same final answer; otherwise judge whether it answers"
        + " the question correctly and completely. Reply with exactly one line 'Grade: N',"
        + " where N is a whole number from 0 (wrong) to " + scale + " (fully correct).";
  }

  @Override
  public Judge create(JudgeConfig config, JudgeContext context) {
    String provider = config.require("provider");
    String model = config.require("model");
    if (!context.providers().contains(provider)) {
      throw new ConfigurationException("judge 'llm' setting 'provider' = '" + provider
          + "' names no configured provider instance; configured: " + context.providers());
    }
    long scale = config.getLong("scale", 10);
    if (scale < 1) {
      throw new ConfigurationException("judge 'llm' setting 'scale' = " + scale
          + " must be at least 1");
    }
    String rubric = config.get("rubric").orElse(defaultRubric(scale));
    ParameterValues.Builder pb = ParameterValues.builder();
    if (config.get("temperature").isPresent()) {
      pb.put("temperature", config.getDouble("temperature", 0));
    }
    if (config.get("maxTokens").isPresent()) {
      pb.put("max_tokens", config.getLong("maxTokens", 0));
    }
    ParameterValues params = pb.build();
    return r -> {
      ChatRequest request = ChatRequest.of(model, List.of(ChatMessage.system(rubric),
          ChatMessage.user(prompt(r))));
      Completion c = context.complete(provider, request, params);
      return parse(c.text(), scale).withCost(c.costUsd(), c.usage());
    };
  }

  static String prompt(JudgeRequest r) {
    return "Question:\n" + r.query() + "\n\nReference answer:\n"
        + r.reference().filter(s -> !s.isBlank()).orElse("(none)") + "\n\nResponse:\n"
        + r.response();
  }

  /** The grade in a judge's reply, as a verdict. */
  static Verdict parse(String reply, long scale) {
    Matcher m = GRADE.matcher(reply);
    String grade = null;
    String outOf = null;
    while (m.find()) {
      grade = m.group(1);
      outOf = m.group(2);
    }
    if (grade == null) {
      Matcher only = ONLY_NUMBER.matcher(reply);
      if (only.find()) {
        grade = only.group(1);
      }
    }
    if (grade == null) {
      return Verdict.ungraded("the judge's reply has no 'Grade: N' line: '"
          + Answers.shorten(reply) + "'");
    }
    double g = Double.parseDouble(grade);
    double top = outOf == null ? scale : Double.parseDouble(outOf);
    if (!(top > 0) || g < 0 || g > top) {
      return Verdict.ungraded("the judge's grade " + grade + (outOf == null ? "" : "/" + outOf)
          + " is outside [0, " + (outOf == null ? Long.toString(scale) : outOf) + "]: '"
          + Answers.shorten(reply) + "'");
    }
    return Verdict.graded(g / top, String.format(Locale.ROOT, "grade %s of %s", grade,
        outOf == null ? Long.toString(scale) : outOf));
  }
}
