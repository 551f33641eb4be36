package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TallyTest {

  @Test
  void add_computesMeansAndSharesLargestFirst() {
    Tally t = new Tally();
    t.add("b", 1.0, 0.02);
    t.add("a", 0.0, 0.01);
    t.add("b", 1.0, Double.NaN);
    t.add("b", 0.5, 0.03);

    assertThat(t.calls()).isEqualTo(4);
    assertThat(t.meanScore()).isCloseTo(0.625, within(1e-12));
    assertThat(t.meanCost()).isCloseTo(0.02, within(1e-12));
    assertThat(t.sharesText()).isEqualTo("b 75%, a 25%");
  }

  @Test
  void meanScore_noCalls_isNaN() {
    assertThat(new Tally().meanScore()).isNaN();
  }
}
