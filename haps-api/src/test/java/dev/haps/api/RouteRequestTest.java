package dev.haps.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.params.ParameterValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteRequestTest {

  @Test
  void routingText_defaultsToLastUserTurn_ignoringHarnessBoilerplate() {
    RouteRequest r = RouteRequest.builder().messages(List.of(
        ChatMessage.system("You are a helpful agent. Tools: ... (5,000 words)"),
        ChatMessage.user("first question"),
        ChatMessage.assistant("first answer"),
        ChatMessage.user("what is 2+2?"),
        ChatMessage.assistant(""))).build();
    assertThat(r.routingText()).isEqualTo("what is 2+2?");
    assertThat(r.routingTextPolicy()).isEqualTo(RoutingText.LAST_USER_TURN);
  }

  @Test
  void routingText_allUserTurns_joinsOldestFirst() {
    RouteRequest r = RouteRequest.builder()
        .messages(List.of(ChatMessage.user("a"), ChatMessage.assistant("x"), ChatMessage.user("b")))
        .routingText(RoutingText.ALL_USER_TURNS).build();
    assertThat(r.routingText()).isEqualTo("a\n\nb");
  }

  @Test
  void build_blankQuery_failsClearly() {
    assertThatThrownBy(() -> RouteRequest.of("   "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("route request has an empty query: the LAST_USER_TURN text is blank; give the"
            + " router a non-blank user turn");
    assertThatThrownBy(() -> RouteRequest.builder().build())
        .hasMessageContaining("route request has no query");
    assertThatThrownBy(() -> RouteRequest.builder()
            .messages(List.of(ChatMessage.system("only a system prompt"))).build())
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void build_costWeightOutsideUnitInterval_fails() {
    for (double w : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> RouteRequest.of("q", w))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("cost weight " + w + " is outside [0, 1]: use 0 for quality only, 1 for cost"
              + " first");
    }
    assertThat(RouteRequest.of("q", 0).costWeight()).isZero();
    assertThat(RouteRequest.of("q", 1).costWeight()).isEqualTo(1.0);
    assertThat(RouteRequest.of("q").costWeight()).isEqualTo(RouteRequest.DEFAULT_COST_WEIGHT);
  }

  @Test
  void build_maxCost_mustBePositiveAndFinite_evenNaN() {
    assertThatThrownBy(() -> RouteRequest.builder().query("q").maxCostPerCallUsd(0).build())
        .hasMessage("maxCostPerCallUsd 0.0 must be positive and finite");
    assertThatThrownBy(() -> RouteRequest.builder().query("q").maxCostPerCallUsd(Double.NaN).build())
        .hasMessage("maxCostPerCallUsd NaN must be positive and finite");
    assertThat(RouteRequest.builder().query("q").maxCostPerCallUsd(0.01).build().maxCostPerCallUsd())
        .hasValue(0.01);
    assertThat(RouteRequest.of("q").maxCostPerCallUsd()).isEmpty();
  }

  @Test
  void valueSemantics_andToBuilderRoundTrip() {
    RouteRequest r = RouteRequest.builder().query("q").costWeight(0.2).allow("a", "b").deny("c")
        .maxCostPerCallUsd(0.5).build();
    assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
    assertThat(r.toBuilder().costWeight(0.3).build()).isNotEqualTo(r);
    assertThat(r.allowedModels()).containsExactlyInAnyOrder("a", "b");
    assertThat(r.toString()).contains("costWeight=0.2", "denied=[c]", "maxCostPerCallUsd=0.5");
  }

  @Test
  void decision_exposesChosenAlternativesAndProbabilities() {
    RankedCandidate first = new RankedCandidate(Candidate.of("openai", "gpt-4"), 0.7,
        ParameterValues.builder().put("prompt_style", "concise").build(), 0.07);
    RankedCandidate second = new RankedCandidate(Candidate.of("openai", "gpt-35-turbo"), 0.3,
        ParameterValues.empty(), Double.NaN);
    RouteDecision d = new RouteDecision(List.of(first, second), Map.of(),
        new BundleInfo("b", "1"), new RouteTimings(10, 5, 20, false));
    assertThat(d.model()).isEqualTo("gpt-4");
    assertThat(d.parameters().getString("prompt_style")).isEqualTo("concise");
    assertThat(d.alternatives()).containsExactly(second);
    assertThat(d.probabilities()).containsExactly(Map.entry("gpt-4", 0.7),
        Map.entry("gpt-35-turbo", 0.3));
    assertThat(d.bundle().toString()).isEqualTo("b@1");
    assertThatThrownBy(() -> new RouteDecision(List.of(), Map.of(), new BundleInfo("b", "1"),
        new RouteTimings(0, 0, 0, false))).hasMessageContaining("at least one ranked candidate");
    assertThatThrownBy(() -> new RankedCandidate(Candidate.of("p", "m"), 1.5,
        ParameterValues.empty(), 0)).hasMessage("probability 1.5 is outside [0, 1]");
  }

  @Test
  void noEligibleCandidate_listsEveryReason() {
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("gpt-4", "denied by request");
    reasons.put("gpt-35-turbo", "expected cost $0.004 > maxCostPerCallUsd $0.001");
    NoEligibleCandidateException e = new NoEligibleCandidateException(reasons);
    assertThat(e).hasMessage("no candidate model is eligible for this request; excluded: gpt-4"
        + " (denied by request); gpt-35-turbo (expected cost $0.004 > maxCostPerCallUsd $0.001)."
        + " Relax the request's allow(...)/deny(...) lists or raise maxCostPerCallUsd.");
    assertThat(e.reasons()).containsOnlyKeys("gpt-4", "gpt-35-turbo");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void candidate_blankIds_rejected() {
    assertThatThrownBy(() -> Candidate.of("", "m")).hasMessage("candidate provider id must not be blank");
    assertThat(Candidate.of("openai", "gpt-4").toString()).isEqualTo("openai/gpt-4");
  }
}
