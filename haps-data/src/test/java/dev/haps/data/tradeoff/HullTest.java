package dev.haps.data.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HullTest {

  private static TradeoffPoint p(double cost, double score) {
    return new TradeoffPoint(cost, score);
  }

  @Test
  void of_concavePoints_keepsEveryPoint() {
    Hull h = Hull.of(List.of(p(3, 0.8), p(1, 0.5), p(2, 0.7)));
    assertThat(h.vertices()).containsExactly(p(1, 0.5), p(2, 0.7), p(3, 0.8));
    // [1,2]: (0.5+0.7)/2 = 0.6; [2,3]: 0.75 -> 1.35 over a width of 2.
    assertThat(h.aiq(1, 3)).isCloseTo(0.675, within(1e-12));
  }

  @Test
  void of_dominatedAndBelowChordPoints_areDropped() {
    Hull h = Hull.of(List.of(p(1, 0.5), p(2, 0.55), p(3, 0.8), p(4, 0.7)));
    assertThat(h.vertices()).containsExactly(p(1, 0.5), p(3, 0.8));
    // [1,3]: 2 * 0.65 = 1.3; [3,4] flat at 0.8 -> 2.1 over 3.
    assertThat(h.aiq(1, 4)).isCloseTo(0.7, within(1e-12));
  }

  @Test
  void of_collinearMiddlePoint_isDropped() {
    assertThat(Hull.of(List.of(p(0, 0), p(1, 1), p(2, 2))).vertices())
        .containsExactly(p(0, 0), p(2, 2));
  }

  @Test
  void of_equalCosts_keepsTheBetterScore() {
    assertThat(Hull.of(List.of(p(1, 0.5), p(1, 0.7))).vertices()).containsExactly(p(1, 0.7));
  }

  @Test
  void of_cheapestPointIsNotTheWorst_startsThereAnyway() {
    // The cheapest point scores best: everything else is dominated.
    assertThat(Hull.of(List.of(p(1, 0.9), p(2, 0.5), p(3, 0.8))).vertices())
        .containsExactly(p(1, 0.9));
  }

  @Test
  void aiq_hullStartsRightOfRange_countsTheGapAsZero() {
    Hull h = Hull.of(List.of(p(2, 0.6), p(4, 0.8)));
    // Nothing on [1,2]; [2,4]: 2 * 0.7 = 1.4 -> 1.4 / 3.
    assertThat(h.aiq(1, 4)).isCloseTo(1.4 / 3, within(1e-12));
    assertThat(h.valueAt(1.5)).isNaN();
  }

  @Test
  void aiq_hullStartsLeftOfRange_isClippedAtTheRange() {
    Hull h = Hull.of(List.of(p(0, 0.2), p(2, 0.6)));
    // value at 1 = 0.4; [1,2]: 0.5; [2,3] flat: 0.6 -> 1.1 / 2.
    assertThat(h.aiq(1, 3)).isCloseTo(0.55, within(1e-12));
  }

  @Test
  void aiq_singlePoint_isFlatFromThePoint() {
    Hull h = Hull.of(List.of(p(1, 0.7)));
    assertThat(h.aiq(1, 5)).isCloseTo(0.7, within(1e-12));
    assertThat(h.aiq(0, 2)).isCloseTo(0.35, within(1e-12));
  }

  @Test
  void aiq_zeroWidthRange_isTheValueThere() {
    Hull h = Hull.of(List.of(p(1, 0.5), p(3, 0.9)));
    assertThat(h.aiq(2, 2)).isCloseTo(0.7, within(1e-12));
    assertThat(h.aiq(0.5, 0.5)).isZero();
  }

  @Test
  void aiq_reversedRange_isRejectedWithTheRange() {
    Hull h = Hull.of(List.of(p(1, 0.5)));
    assertThatThrownBy(() -> h.aiq(3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[3.0, 1.0]")
        .hasMessageContaining("lo <= hi");
  }

  @Test
  void valueAt_interpolatesAndIsFlatBeyondTheLastVertex() {
    Hull h = Hull.of(List.of(p(1, 0.5), p(3, 0.8)));
    assertThat(h.valueAt(2)).isCloseTo(0.65, within(1e-12));
    assertThat(h.valueAt(1)).isEqualTo(0.5);
    assertThat(h.valueAt(100)).isEqualTo(0.8);
    assertThat(h.valueAt(0.999)).isNaN();
  }

  @Test
  void costToReach_interpolatesOnTheHull() {
    Hull h = Hull.of(List.of(p(1, 0.5), p(3, 0.8)));
    assertThat(h.costToReach(0.65).getAsDouble()).isCloseTo(2, within(1e-12));
    assertThat(h.costToReach(0.4).getAsDouble()).isEqualTo(1);
    assertThat(h.costToReach(0.8).getAsDouble()).isEqualTo(3);
    assertThat(h.costToReach(0.81)).isEmpty();
  }

  @Test
  void of_noPoints_isRejected() {
    assertThatThrownBy(() -> Hull.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void of_mismatchedArrays_isRejectedWithBothLengths() {
    assertThatThrownBy(() -> Hull.of(new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 costs and 3 scores");
  }

  @Test
  void tradeoffPoint_nonFinite_isRejectedWithTheValues() {
    assertThatThrownBy(() -> new TradeoffPoint(Double.NaN, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cost NaN and score 0.5");
  }
}
