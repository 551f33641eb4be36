package dev.haps.eval;

import dev.haps.eval.routing.OutcomeTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  private final OutcomeTable table = OutcomeTable.of(Fixtures.toyLog(60, 7), Split.TEST);
  private final CostTradeoff tradeoff = CostTradeoff.withCostScale(table.maxMeanCost());
  private final double[] grid = CostTradeoff.grid(21);

  private int[][] oracle() {
    int[][] c = new int[grid.length][];
    for (int w = 0; w < grid.length; w++) {
      c[w] = table.oracleChoices(grid[w], tradeoff);
    }
    return c;
  }

  private int[][] fixed(int configuration) {
    int[][] c = new int[grid.length][table.size()];
    for (int[] row : c) {
      java.util.Arrays.fill(row, configuration);
    }
    return c;
  }

  private int[][] random(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int k = table.configurations().size();
    int[][] c = new int[grid.length][table.size()];
    for (int[] row : c) {
      for (int q = 0; q < row.length; q++) {
        row[q] = r.nextInt(k);
      }
    }
    return c;
  }

  @Test
  void oracle_isOneOnEveryResample_andAFixedConfigurationNeverAboveZero() {
    Bootstrap b = Bootstrap.run(table, grid, tradeoff,
        List.of(oracle(), fixed(0), fixed(table.configurations().size() - 1)), 200, 3);
    assertThat(b.interval(0).low()).isCloseTo(1, within(1e-12));
    assertThat(b.interval(0).high()).isCloseTo(1, within(1e-12));
    // One configuration's points lie on or under the fixed hull of every resample.
    assertThat(b.interval(1).high()).isLessThanOrEqualTo(1e-12);
    assertThat(b.interval(2).high()).isLessThanOrEqualTo(1e-12);
  }

  @Test
  void paired_withItself_isZeroAndAlwaysAhead_andOracleBeatsEverything() {
    Bootstrap b = Bootstrap.run(table, grid, tradeoff, List.of(random(1), oracle(), random(2)),
        200, 5);
    PairedGap self = b.paired(0, "r1", 0, "r1");
    assertThat(self.difference()).isEqualTo(new GapInterval(0, 0));
    assertThat(self.shareAhead()).isEqualTo(1.0);
    PairedGap vsOracle = b.paired(1, "oracle", 2, "r2");
    assertThat(vsOracle.shareAhead()).isEqualTo(1.0);
    assertThat(vsOracle.difference().low()).isGreaterThan(0);
    PairedGap behind = b.paired(2, "r2", 1, "oracle");
    assertThat(behind.shareAhead()).isEqualTo(0.0);
    assertThat(behind.router()).isEqualTo("r2");
    assertThat(behind.versus()).isEqualTo("oracle");
  }

  @Test
  void intervals_areOrderedDeterministicAndDependOnTheSeed() {
    List<int[][]> routers = List.of(random(1), random(2), random(3));
    Bootstrap a = Bootstrap.run(table, grid, tradeoff, routers, 300, 11);
    Bootstrap again = Bootstrap.run(table, grid, tradeoff, routers, 300, 11);
    Bootstrap other = Bootstrap.run(table, grid, tradeoff, routers, 300, 12);
    boolean anyDifferent = false;
    for (int r = 0; r < routers.size(); r++) {
      assertThat(a.interval(r).low()).isLessThanOrEqualTo(a.interval(r).high());
      assertThat(again.interval(r)).isEqualTo(a.interval(r));
      anyDifferent |= !other.interval(r).equals(a.interval(r));
    }
    assertThat(anyDifferent).isTrue();
  }

  @Test
  void moreResamples_narrowAroundTheSameCentre() {
    // Property: with the same routers the interval is stable in where it sits.
    List<int[][]> routers = List.<int[][]>of(random(4));
    GapInterval small = Bootstrap.run(table, grid, tradeoff, routers, 200, 1).interval(0);
    GapInterval large = Bootstrap.run(table, grid, tradeoff, routers, 2000, 1).interval(0);
    double mid = (large.low() + large.high()) / 2;
    assertThat(mid).isBetween(small.low(), small.high());
  }

  @Test
  void badInput_isRefusedWithAMessage() {
    assertThatThrownBy(() -> Bootstrap.run(table, grid, tradeoff, List.<int[][]>of(oracle()), 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resamples must be at least 1, got 0");
    assertThatThrownBy(() -> new GapInterval(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval needs low <= high, got [1.0, 0.0]");
  }
}
