package dev.haps.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeRegistryTest {

  /** Registered in this module's test resources, META-INF/services. */
  public static final class FixtureFactory implements JudgeFactory {
    @Override
    public String type() {
      return "fixture";
    }

    @Override
    public Judge create(JudgeConfig config, JudgeContext context) {
      boolean ignoreCase = config.getBoolean("ignoreCase", false);
      return r -> r.reference()
          .map(ref -> Verdict.graded(ignoreCase ? (ref.equalsIgnoreCase(r.response()) ? 1 : 0)
              : (ref.equals(r.response()) ? 1 : 0)))
          .orElse(Verdict.ungraded("query '" + r.queryId() + "' has no reference answer"));
    }
  }

  static final class OtherFixtureFactory implements JudgeFactory {
    @Override
    public String type() {
      return "fixture";
    }

    @Override
    public Judge create(JudgeConfig config, JudgeContext context) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void load_findsTheServiceLoaderRegisteredFactoryAndCreatesAWorkingJudge() {
    JudgeRegistry r = JudgeRegistry.load();
    assertThat(r.types()).contains("fixture");
    try (Judge j = r.create(JudgeConfig.of("fixture", Map.of("ignoreCase", "true")),
        JudgeContext.none())) {
      assertThat(j.grade(JudgeRequest.of("q1", "2+2?", "Four", "four")).score())
          .hasValue(1.0);
      Verdict none = j.grade(JudgeRequest.of("q2", "?", null, "x"));
      assertThat(none.isGraded()).isFalse();
      assertThat(none.reason()).isEqualTo("query 'q2' has no reference answer");
    }
  }

  @Test
  void of_twoFactoriesClaimingOneType_failsNamingBothClasses() {
    assertThatThrownBy(() -> JudgeRegistry.of(List.of(new FixtureFactory(),
        new OtherFixtureFactory())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("two judge factories claim type 'fixture'")
        .hasMessageContaining(FixtureFactory.class.getName())
        .hasMessageContaining(OtherFixtureFactory.class.getName());
  }

  @Test
  void factory_unknownType_listsTheInstalledOnes() {
    assertThatThrownBy(() -> JudgeRegistry.of(List.of(new FixtureFactory())).factory("llm"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no judge of type 'llm' is installed; installed: [fixture]");
  }

  @Test
  void config_typedGettersNameTheJudgeTheSettingAndTheValue() {
    JudgeConfig c = JudgeConfig.of("numeric", Map.of("tolerance", "abc", "n", "2.0",
        "flag", "yes"));
    assertThat(c.getLong("n", 0)).isEqualTo(2);
    assertThat(c.getDouble("missing", 0.5)).isEqualTo(0.5);
    assertThatThrownBy(() -> c.getDouble("tolerance", 0))
        .hasMessage("judge 'numeric' setting 'tolerance' = 'abc' is not a finite number");
    assertThatThrownBy(() -> c.getBoolean("flag", false))
        .hasMessage("judge 'numeric' setting 'flag' = 'yes' is not a boolean; use true or false");
    assertThatThrownBy(() -> c.require("pattern"))
        .hasMessageContaining("judge 'numeric' needs setting 'pattern'");
    assertThat(c).hasToString("numeric{flag=yes, n=2.0, tolerance=abc}");
    assertThat(c).isEqualTo(JudgeConfig.of("numeric", Map.of("n", "2.0", "tolerance", "abc",
        "flag", "yes")));
  }

  @Test
  void verdict_gradedUngradedAndCost() {
    assertThat(Verdict.graded(0.5).score()).hasValue(0.5);
    assertThat(Verdict.ungraded("no letter").score()).isEmpty();
    assertThatThrownBy(() -> Verdict.graded(1.5))
        .hasMessageContaining("must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> Verdict.ungraded(" "))
        .hasMessageContaining("needs a reason");
    Verdict v = Verdict.graded(1).withCost(0.002, new TokenUsage(100, 5));
    assertThat(v.costUsd()).isEqualTo(0.002);
    assertThat(v.usage().totalTokens()).isEqualTo(105);
    assertThat(Verdict.graded(1).costUsd()).isZero();
  }

  @Test
  void none_contextRefusesCallsNamingTheProvider() {
    assertThatThrownBy(() -> JudgeContext.none().complete("local",
        ChatRequest.of("m", List.of(dev.haps.api.ChatMessage.user("hi"))),
        ParameterValues.empty()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("provider 'local'");
  }
}
