package dev.haps.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.ParameterValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateCoverageTest {

  private final FixedRouter router = new FixedRouter()
      .rank("gpt-4", 0.6, ParameterValues.empty())
      .rank("mixtral", 0.3, ParameterValues.empty())
      .rank("claude", 0.1, ParameterValues.empty());

  @Test
  void check_returnsTheUnmappedCandidatesInBundleOrder() {
    assertThat(CandidateCoverage.check(router, List.of("mixtral"), "T"))
        .containsExactly("gpt-4", "claude");
    assertThat(CandidateCoverage.check(router, List.of("claude", "gpt-4", "mixtral"), "T"))
        .isEmpty();
  }

  @Test
  void check_refusesAModelTheBundleNeverSaw_withTheWayForward() {
    assertThatThrownBy(() -> CandidateCoverage.check(router, List.of("gpt-4", "my-llama"), "T"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[my-llama] is not a candidate of the router bundle fixed@1")
        .hasMessageContaining("[gpt-4, mixtral, claude]")
        .hasMessageContaining("train a bundle that includes them");
  }

  @Test
  void check_refusesAnEmptyMapping() {
    assertThatThrownBy(() -> CandidateCoverage.check(router, List.of(), "T"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("T has no model");
  }
}
