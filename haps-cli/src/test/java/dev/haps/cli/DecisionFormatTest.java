package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteTimings;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionFormatTest {

  private static RouteDecision decision() {
    RankedCandidate gpt4 = new RankedCandidate(Candidate.of("openai", "gpt-4"), 0.7,
        ParameterValues.of(Map.of("prompt_style", "concise")), 0.0688);
    RankedCandidate gpt35 = new RankedCandidate(Candidate.of("openai", "gpt-35-turbo"), 0.3,
        ParameterValues.builder().put("prompt_style", "baseline").put("temperature", 0.25)
            .put("max_tokens", 512).build(), Double.NaN);
    return new RouteDecision(List.of(gpt4, gpt35), Map.of("claude", "denied by the request"),
        new BundleInfo("haps-test", "1"), new RouteTimings(3_200_000, 150_000, 3_500_000, false));
  }

  @Test
  void text_listsModelParametersProbabilitiesAlternativesAndTimings() {
    String text = DecisionFormat.text("What is 2 + 2?", 0.5, decision());

    assertThat(text)
        .contains("model          gpt-4  (provider openai, p=0.700, expected $0.068800/call)")
        .contains("parameters     prompt_style=concise")
        .contains("probabilities  gpt-4 0.700, gpt-35-turbo 0.300")
        .contains("alternatives   #2 gpt-35-turbo  p=0.300  prompt_style=baseline,"
            + " temperature=0.25, max_tokens=512")
        .contains("excluded       claude: denied by the request")
        .contains("timings        encode 3.20 ms, infer 0.15 ms, total 3.50 ms (embedding cache"
            + " miss)")
        .contains("bundle         haps-test@1");
  }

  @Test
  void text_longQuery_isShortenedToOneLine() {
    String text = DecisionFormat.text("word\n".repeat(100), 0, decision());

    String queryLine = text.lines().findFirst().orElseThrow();
    assertThat(queryLine).startsWith("query          word word").endsWith("...").hasSize(15 + 100);
  }

  @Test
  void json_carriesEveryFieldWithTypedParameters() throws Exception {
    String line = DecisionFormat.json("What is 2 + 2?", 0.25, decision()).toString();

    JsonNode n = DecisionFormat.JSON.readTree(line);
    assertThat(n.get("query").asText()).isEqualTo("What is 2 + 2?");
    assertThat(n.get("cost_weight").asDouble()).isEqualTo(0.25);
    assertThat(n.get("model").asText()).isEqualTo("gpt-4");
    assertThat(n.get("parameters").get("prompt_style").asText()).isEqualTo("concise");
    assertThat(n.get("probabilities").get("gpt-35-turbo").asDouble()).isEqualTo(0.3);
    JsonNode alt = n.get("alternatives").get(0);
    assertThat(alt.get("rank").asInt()).isEqualTo(2);
    assertThat(alt.get("parameters").get("max_tokens").isIntegralNumber()).isTrue();
    assertThat(alt.get("parameters").get("temperature").asDouble()).isEqualTo(0.25);
    assertThat(alt.get("expected_cost_usd").isNull()).isTrue();
    assertThat(n.get("timings").get("total_ms").asDouble()).isEqualTo(3.5);
    assertThat(n.get("bundle").get("id").asText()).isEqualTo("haps-test");
    assertThat(n.get("excluded").get("claude").asText()).isEqualTo("denied by the request");
  }

  @Test
  void parameters_emptySpace_saysNone() {
    assertThat(DecisionFormat.parameters(ParameterValues.empty())).isEqualTo("(none)");
  }

  @Test
  void number_dropsTrailingZeros() {
    assertThat(DecisionFormat.number(0.5)).isEqualTo("0.5");
    assertThat(DecisionFormat.number(1)).isEqualTo("1");
    assertThat(DecisionFormat.number(0.123456)).isEqualTo("0.1235");
  }
}
