package dev.haps.data.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class YardstickTest {

  private static TradeoffPoint p(double cost, double score) {
    return new TradeoffPoint(cost, score);
  }

  // Fixed configs: (1, .5), (2, .7), (3, .6); oracle reaches .9 from cost 1.5.
  private final Yardstick y =
      Yardstick.of(List.of(p(1, 0.5), p(2, 0.7), p(3, 0.6)), List.of(p(1.5, 0.9), p(3, 0.9)));

  @Test
  void of_handComputedCase_givesRangeBestSingleAndAiqs() {
    assertThat(y.lo()).isEqualTo(1);
    assertThat(y.hi()).isEqualTo(3);
    assertThat(y.bestSingle()).isEqualTo(p(2, 0.7));
    // Fixed hull (1,.5)-(2,.7) then flat: (0.6 + 0.7) / 2.
    assertThat(y.aiqFixed()).isCloseTo(0.65, within(1e-12));
    // Oracle from 1.5 at 0.9: 1.5 * 0.9 / 2.
    assertThat(y.aiqOracle()).isCloseTo(0.675, within(1e-12));
  }

  @Test
  void measure_handComputedRouter_givesEveryNumber() {
    RouterMetrics m = y.measure(List.of(p(1, 0.6), p(2, 0.72)));
    // [1,2]: 0.66, [2,3]: 0.72 -> 1.38 / 2.
    assertThat(m.aiq()).isCloseTo(0.69, within(1e-12));
    assertThat(m.gapClosed()).isCloseTo((0.69 - 0.65) / (0.675 - 0.65), within(1e-9));
    assertThat(m.scoreAtBestSingleCost()).isCloseTo(0.72, within(1e-12));
    // Reaches 0.7 on the segment (1,.6)-(2,.72): 1 + 0.1/0.12.
    assertThat(m.costToMatchBestSingle()).isCloseTo(1 + 0.1 / 0.12, within(1e-12));
  }

  @Test
  void measure_fixedHullItself_closesNoGapAndOracleClosesAll() {
    assertThat(y.measure(List.of(p(1, 0.5), p(2, 0.7), p(3, 0.6))).gapClosed()).isZero();
    assertThat(y.measure(y.oracle()).gapClosed()).isCloseTo(1, within(1e-12));
  }

  @Test
  void measure_routerThatNeverMatches_reportsNaN() {
    RouterMetrics m = y.measure(List.of(p(2.5, 0.65)));
    assertThat(m.costToMatchBestSingle()).isNaN();
    assertThat(m.costToMatch()).isEmpty();
    assertThat(m.scoreAtBestSingleCost()).isNaN();
  }

  @Test
  void gapClosed_oracleNoBetterThanFixed_isNaN() {
    Yardstick flat = Yardstick.of(List.of(p(1, 0.5), p(2, 0.7)), List.of(p(1, 0.5), p(2, 0.7)));
    assertThat(flat.gapClosed(0.6)).isNaN();
  }

  @Test
  void of_bestSingleTie_goesToTheCheaperConfiguration() {
    Yardstick t = Yardstick.of(List.of(p(3, 0.7), p(2, 0.7), p(1, 0.4)), List.of(p(1, 0.9)));
    assertThat(t.bestSingle()).isEqualTo(p(2, 0.7));
  }
}
