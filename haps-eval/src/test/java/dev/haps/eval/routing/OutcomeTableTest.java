package dev.haps.eval.routing;

import static dev.haps.eval.Fixtures.style;
import static dev.haps.eval.Fixtures.temp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.params.ParameterValues;
import dev.haps.data.Configuration;
import dev.haps.data.Outcome;
import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.eval.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTableTest {

  private final OutcomeLog log = Fixtures.toyLog(10, 1);
  private final OutcomeTable test = OutcomeTable.of(log, Split.TEST);

  @Test
  void configurations_followCandidateOrderThenFirstAppearance() {
    assertThat(test.configurations()).extracting(Configuration::label).containsExactly(
        "small (temperature=0.0)", "small (temperature=0.5)", "small (temperature=1.0)",
        "big (style=a)", "big (style=b)");
  }

  @Test
  void snap_exactConfiguration_isThatConfiguration() {
    assertThat(test.snap(new Decision("big", style("b")))).isEqualTo(4);
    assertThat(test.snap(new Decision("small", temp(0.5)))).isEqualTo(1);
  }

  @Test
  void snap_continuousValue_goesToTheNearestObservedValue() {
    assertThat(test.snap(new Decision("small", temp(0.7)))).isEqualTo(1);
    assertThat(test.snap(new Decision("small", temp(0.8)))).isEqualTo(2);
    // Exactly between 0 and 0.5: the smaller observed value wins, as in the offline environment.
    assertThat(test.snap(new Decision("small", temp(0.25)))).isEqualTo(0);
  }

  @Test
  void snap_unsetParameter_readsAsItsDefault() {
    assertThat(test.snap(new Decision("small", ParameterValues.empty()))).isEqualTo(0);
    assertThat(test.snap(new Decision("big", ParameterValues.empty()))).isEqualTo(3);
  }

  @Test
  void snap_unknownModel_isRejectedListingTheRecordedModels() {
    assertThatThrownBy(() -> test.snap(new Decision("gpt-9", ParameterValues.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gpt-9'")
        .hasMessageContaining("[small, big]");
  }

  @Test
  void of_queryMissingAConfiguration_isRejectedNamingQueryAndConfiguration() {
    List<QueryRecord> recs = new java.util.ArrayList<>(log.records());
    QueryRecord first = log.records(Split.TEST).get(0);
    List<Outcome> fewer = first.outcomes().subList(0, 4);
    recs.set(recs.indexOf(first),
        QueryRecord.of(first.id(), first.task(), first.split(), first.query(), fewer));
    OutcomeLog holey = OutcomeLog.of(log.candidates(), recs);
    assertThatThrownBy(() -> OutcomeTable.of(holey, Split.TEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + first.id() + "'")
        .hasMessageContaining("big (style=b)");
  }

  @Test
  void point_meansOfTheChosenOutcomes() {
    int[] choices = new int[test.size()];
    java.util.Arrays.fill(choices, 4);
    assertThat(test.point(choices).cost()).isCloseTo(0.02, within(1e-15));
    assertThat(test.point(choices).score()).isEqualTo(1.0);
  }

  @Test
  void oracleChoices_atZeroWeight_takeTheCheapestBestScore() {
    int[] o = test.oracleChoices(0, CostTradeoff.withCostScale(0.02));
    for (int q = 0; q < test.size(); q++) {
      boolean hard = test.text(q).startsWith("hard");
      // Easy: small at t=0 scores 1 and is the cheapest; hard: only big/b scores 1.
      assertThat(o[q]).isEqualTo(hard ? 4 : 0);
    }
  }

  @Test
  void yardstick_rangeIsCheapestToMostExpensiveConfiguration() {
    var y = test.yardstick(CostTradeoff.grid(21), CostTradeoff.withCostScale(0.02));
    assertThat(y.lo()).isCloseTo(0.001, within(1e-15));
    assertThat(y.hi()).isCloseTo(0.02, within(1e-15));
    assertThat(y.bestSingle().score()).isEqualTo(1.0);
    assertThat(y.aiqOracle()).isGreaterThan(y.aiqFixed());
  }

  @Test
  void subset_keepsRowsInTheGivenOrder() {
    OutcomeTable s = test.subset(new int[] {3, 1});
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.id(0)).isEqualTo(test.id(3));
    assertThat(s.score(1, 4)).isEqualTo(test.score(1, 4));
  }
}
