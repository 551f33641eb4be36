package dev.haps.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.params.ParameterValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplorationTest {

  /** A greedy ranking with router probabilities 0.7, 0.2, 0.1 (τ = 0.1). */
  private static List<RankedCandidate> ranking() {
    return List.of(
        new RankedCandidate(Candidate.of("openai", "a"), 0.7, ParameterValues.empty(), 0.01),
        new RankedCandidate(Candidate.of("openai", "b"), 0.2, ParameterValues.empty(), 0.001),
        new RankedCandidate(Candidate.of("openai", "c"), 0.1, ParameterValues.empty(), 0.0001));
  }

  @Test
  void none_takesTheGreedyActionWithProbabilityOne() {
    assertThat(Exploration.none().probabilities(ranking(), 0.1)).containsExactly(1, 0, 0);
  }

  @Test
  void epsilonGreedy_spreadsEpsilonUniformly() {
    double[] p = Exploration.epsilonGreedy(0.3).probabilities(ranking(), 0.1);
    assertThat(p[0]).isCloseTo(0.7 + 0.1, within(1e-12));
    assertThat(p[1]).isCloseTo(0.1, within(1e-12));
    assertThat(p[2]).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void epsilonGreedy_withAMargin_exploresOnlyNearTheBest() {
    // Utilities relative to the best: 0.1·ln(0.2/0.7) = −0.125, 0.1·ln(0.1/0.7) = −0.195.
    double[] p = Exploration.epsilonGreedy(0.2, 0.15).probabilities(ranking(), 0.1);
    assertThat(p[0]).isCloseTo(0.9, within(1e-12));
    assertThat(p[1]).isCloseTo(0.1, within(1e-12));
    assertThat(p[2]).isZero();
  }

  @Test
  void softmax_followsUtilitiesAndKeepsTheFloor() {
    // At temperature 0.1 (= τ) the softmax of utilities is the router's own distribution.
    double[] p = Exploration.softmax(0.1, 0.3).probabilities(ranking(), 0.1);
    assertThat(p[0]).isCloseTo(0.7 * 0.7 + 0.1, within(1e-9));
    assertThat(p[1]).isCloseTo(0.7 * 0.2 + 0.1, within(1e-9));
    assertThat(p[2]).isCloseTo(0.7 * 0.1 + 0.1, within(1e-9));
    assertThat(p[0] + p[1] + p[2]).isCloseTo(1, within(1e-12));
  }

  @Test
  void invalidSettings_sayWhatIsAllowed() {
    assertThatThrownBy(() -> Exploration.epsilonGreedy(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> Exploration.epsilonGreedy(0.1, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 0");
    assertThatThrownBy(() -> Exploration.softmax(0, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> new Propensity(0, "x", "none", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
  }

  @Test
  void requests_carryTheirExplorationAndCompareByIt() {
    RouteRequest a = RouteRequest.builder().query("q").exploration(Exploration.none()).build();
    RouteRequest b = RouteRequest.builder().query("q").build();
    assertThat(a.exploration()).contains(Exploration.none());
    assertThat(b.exploration()).isEmpty();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.toBuilder().build()).isEqualTo(a);
  }
}
