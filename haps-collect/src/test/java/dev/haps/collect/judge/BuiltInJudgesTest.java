package dev.haps.collect.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.Judge;
import dev.haps.spi.JudgeConfig;
import dev.haps.spi.JudgeContext;
import dev.haps.spi.JudgeRegistry;
import dev.haps.spi.JudgeRequest;
import dev.haps.spi.TokenUsage;
import dev.haps.spi.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuiltInJudgesTest {

  private static final JudgeRegistry REGISTRY = JudgeRegistry.load();

  private static Judge judge(String type, Map<String, String> settings) {
    return REGISTRY.create(JudgeConfig.of(type, settings), JudgeContext.none());
  }

  private static Verdict grade(Judge j, String reference, String response) {
    return j.grade(JudgeRequest.of("q1", "the question", reference, response));
  }

  private static double score(Judge j, String reference, String response) {
    Verdict v = grade(j, reference, response);
    assertThat(v.isGraded()).as("graded: " + v).isTrue();
    return v.score().getAsDouble();
  }

  @Test
  void registry_listsEveryBuiltInJudge() {
    assertThat(REGISTRY.types()).contains("exact", "normalized", "choice", "numeric", "f1",
        "regex", "llm");
  }

  @Test
  void exact_trimsButKeepsCaseUnlessToldAndCanReadAfterAPrefix() {
    Judge j = judge("exact", Map.of());
    assertThat(score(j, "Paris", "  Paris\n")).isEqualTo(1.0);
    assertThat(score(j, "Paris", "paris")).isEqualTo(0.0);
    assertThat(score(judge("exact", Map.of("caseSensitive", "false")), "Paris", "PARIS"))
        .isEqualTo(1.0);
    Judge prefixed = judge("exact", Map.of("answerPrefix", "Answer:"));
    assertThat(score(prefixed, "42", "Six times seven.\nAnswer: 42\n")).isEqualTo(1.0);
    Verdict none = grade(j, null, "Paris");
    assertThat(none.isGraded()).isFalse();
    assertThat(none.reason()).startsWith("query 'q1' has no reference answer, which judge"
        + " 'exact' needs");
  }

  @Test
  void normalized_ignoresCasePunctuationArticlesAndSpaces() {
    Judge j = judge("normalized", Map.of());
    assertThat(score(j, "The Eiffel Tower", "eiffel   tower.")).isEqualTo(1.0);
    assertThat(score(j, "the Eiffel Tower", "Big Ben")).isEqualTo(0.0);
  }

  @Test
  void choice_findsTheLetterTheWaysModelsWriteIt() {
    Judge j = judge("choice", Map.of());
    assertThat(score(j, "B", "B")).isEqualTo(1.0);
    assertThat(score(j, "(B)", "The answer is (B).")).isEqualTo(1.0);
    assertThat(score(j, "B: 300", "Let me think... so 300.\nAnswer: B")).isEqualTo(1.0);
    assertThat(score(j, "B", "C) 280 because...")).isEqualTo(0.0);
    assertThat(score(j, "D", "Between (A) and (D), I pick (D)")).isEqualTo(1.0);
    assertThat(score(j, "B", "Answer: **B**")).isEqualTo(1.0);
    assertThat(grade(j, "B", "Answer: B").reason()).isEqualTo("chose B, reference B");
    // "the answer is a trick" names no choice: lower-case words are not letters there.
    Verdict none = grade(j, "A", "the answer is a trick question");
    assertThat(none.isGraded()).isFalse();
    assertThat(none.reason()).startsWith("the response names no choice letter of ABCDEFGHIJ");
    Verdict badRef = grade(j, "300", "B");
    assertThat(badRef.reason()).contains("reference answer '300' of query 'q1' is not a choice"
        + " letter");
    assertThatThrownBy(() -> judge("choice", Map.of("letters", "A-D")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("letters only");
  }

  @Test
  void numeric_readsTheFinalNumberInItsUsualForms() {
    Judge j = judge("numeric", Map.of());
    assertThat(score(j, "1234", "The total is 1,234.")).isEqualTo(1.0);
    assertThat(score(j, "18", "Janet sells 16 - 3 - 4 = 9 eggs... she makes $18 a day.\n#### 18"))
        .isEqualTo(1.0);
    assertThat(score(j, "0.75", "It is 3/4")).isEqualTo(1.0);
    assertThat(score(j, "40", "The answer is 40% of the total, 100")).isEqualTo(1.0);
    assertThat(score(j, "7", "I think 8")).isEqualTo(0.0);
    assertThat(score(judge("numeric", Map.of("relativeTolerance", "0.01")), "1000", "1005"))
        .isEqualTo(1.0);
    assertThat(score(j, "-3.5", "x = -3.5")).isEqualTo(1.0);
    assertThat(grade(j, "12", "twelve").reason()).isEqualTo("the response has no number:"
        + " 'twelve'");
    assertThat(grade(j, "many", "12").reason()).contains("is not a number");
    assertThatThrownBy(() -> judge("numeric", Map.of("tolerance", "-1")))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void f1_isTheSquadTokenF1() {
    Judge j = judge("f1", Map.of());
    assertThat(score(j, "the cat sat", "cat sat")).isEqualTo(1.0);
    // 1 shared token of 2 predicted and 3 gold: P 1/2, R 1/3, F1 0.4
    assertThat(score(j, "red green blue", "red yellow")).isCloseTo(0.4,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(score(j, "a b", "c")).isZero();
    assertThat(TokenF1JudgeFactory.f1(List.of(), List.of())).isEqualTo(1.0);
  }

  @Test
  void regex_matchesWithTheReferenceQuoted() {
    Judge j = judge("regex", Map.of("pattern", "(?m)^Answer:\\s*{reference}\\s*$"));
    assertThat(score(j, "3.14", "Pi is about...\nAnswer: 3.14")).isEqualTo(1.0);
    // The reference is literal: "3.14" does not match "3x14".
    assertThat(score(j, "3.14", "Answer: 3x14")).isEqualTo(0.0);
    assertThat(grade(j, null, "Answer: 1").isGraded()).isFalse();
    Judge noRef = judge("regex", Map.of("pattern", "recorded score 1\\.0", "match", "find"));
    assertThat(score(noRef, null, "[replay] gpt-4 ...: recorded score 1.0 on query x"))
        .isEqualTo(1.0);
    Judge full = judge("regex", Map.of("pattern", "yes|no", "match", "full", "ignoreCase",
        "true"));
    assertThat(score(full, null, " YES ")).isEqualTo(1.0);
    assertThat(score(full, null, "yes, no")).isEqualTo(0.0);
    assertThatThrownBy(() -> judge("regex", Map.of("pattern", "(unclosed")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not a regular expression");
    assertThatThrownBy(() -> judge("regex", Map.of()))
        .hasMessageContaining("judge 'regex' needs setting 'pattern'");
  }

  @Test
  void llm_callsTheConfiguredModelWithTheRubricAndParsesTheGrade() {
    List<ChatRequest> seen = new ArrayList<>();
    List<ParameterValues> params = new ArrayList<>();
    String[] reply = {"Grade: 8"};
    JudgeContext ctx = new JudgeContext() {
      @Override
      public Set<String> providers() {
        return Set.of("local");
      }

      @Override
      public Completion complete(String provider, ChatRequest request,
          ParameterValues parameters) {
        assertThat(provider).isEqualTo("local");
        seen.add(request);
        params.add(parameters);
        return Completion.builder(reply[0], request.model()).usage(new TokenUsage(100, 4))
            .costUsd(0.0002).latency(Duration.ZERO).build();
      }
    };
    Judge j = REGISTRY.create(JudgeConfig.of("llm", Map.of("provider", "local", "model",
        "grader", "temperature", "0", "maxTokens", "16")), ctx);
    Verdict v = j.grade(JudgeRequest.of("q1", "What is 2 + 2?", "4", "four"));
    assertThat(v.score()).hasValue(0.8);
    assertThat(v.costUsd()).isEqualTo(0.0002);
    assertThat(v.usage().inputTokens()).isEqualTo(100);
    ChatRequest r = seen.get(0);
    assertThat(r.model()).isEqualTo("grader");
    assertThat(r.messages().get(0).content()).isEqualTo(LlmJudgeFactory.defaultRubric(10));
    assertThat(r.messages().get(1).content()).isEqualTo("Question:\nWhat is 2 + 2?\n\n"
        + "Reference answer:\n4\n\nResponse:\nfour");
    assertThat(params.get(0).asMap()).isEqualTo(Map.of("temperature", 0.0, "max_tokens", 16L));

    reply[0] = "The response is wrong. Grade: 2/5";
    assertThat(j.grade(JudgeRequest.of("q1", "?", "4", "5")).score()).hasValue(0.4);
    reply[0] = "7";
    assertThat(j.grade(JudgeRequest.of("q1", "?", null, "5")).score()).hasValue(0.7);
    reply[0] = "Grade: 11";
    Verdict out = j.grade(JudgeRequest.of("q1", "?", "4", "5"));
    assertThat(out.isGraded()).isFalse();
    assertThat(out.reason()).startsWith("the judge's grade 11 is outside [0, 10]");
    assertThat(out.costUsd()).as("the call still cost money").isEqualTo(0.0002);
    reply[0] = "Looks fine to me";
    assertThat(j.grade(JudgeRequest.of("q1", "?", "4", "5")).reason())
        .isEqualTo("the judge's reply has no 'Grade: N' line: 'Looks fine to me'");
  }

  @Test
  void llm_refusesAProviderThatIsNotConfigured() {
    assertThatThrownBy(() -> REGISTRY.create(JudgeConfig.of("llm", Map.of("provider", "cloud",
        "model", "m")), JudgeContext.none()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'cloud' names no configured provider instance; configured: []");
  }
}
