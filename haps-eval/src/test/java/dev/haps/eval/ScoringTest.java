package dev.haps.eval;

import dev.haps.eval.routing.OutcomeTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.data.OutcomeLog;
import dev.haps.data.QueryRecord;
import dev.haps.data.Split;
import dev.haps.data.tradeoff.CostTradeoff;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoringTest {

  private final double[] grid = CostTradeoff.grid(21);
  private final CostTradeoff tradeoff = CostTradeoff.withCostScale(0.02);

  @Test
  void score_oracleChoices_closeTheWholeGap() {
    OutcomeTable t = OutcomeTable.of(Fixtures.toyLog(20, 3), Split.TEST);
    Scoring s = new Scoring(t, grid, tradeoff);
    int[][] choices = new int[grid.length][];
    for (int w = 0; w < grid.length; w++) {
      choices[w] = t.oracleChoices(grid[w], tradeoff);
    }
    RouterResult r = s.score("oracle", "reference", "", choices, new GapInterval(1, 1));
    assertThat(r.metrics().gapClosed()).isCloseTo(1, within(1e-12));
    for (TaskResult tr : r.perTask().values()) {
      assertThat(tr.metrics().gapClosed()).isCloseTo(1, within(1e-12));
    }
    assertThat(r.perTask().keySet()).containsExactly("t1", "t2");
  }

  @Test
  void score_oneFixedConfiguration_givesItsPointAndFullShare() {
    OutcomeTable t = OutcomeTable.of(Fixtures.toyLog(20, 3), Split.TEST);
    Scoring s = new Scoring(t, grid, tradeoff);
    int[][] choices = new int[grid.length][t.size()];
    for (int[] row : choices) {
      java.util.Arrays.fill(row, 3);
    }
    RouterResult r = s.score("big-a", "baseline", "", choices, new GapInterval(0, 0));
    assertThat(r.points()).allSatisfy(p -> {
      assertThat(p.meanCost()).isCloseTo(t.meanCost(3), within(1e-15));
      assertThat(p.meanScore()).isCloseTo(t.meanScore(3), within(1e-15));
      assertThat(p.sharePerModel()).containsExactly(Map.entry("big", 1.0));
    });
    assertThat(r.sharePerModel()).containsExactly(Map.entry("big", 1.0));
    // A single point right of the range start loses the stretch it cannot reach.
    assertThat(r.metrics().aiq()).isLessThan(t.meanScore(3));
  }

  @Test
  void score_shuffledQueryOrder_givesTheSameNumbers() {
    OutcomeLog log = Fixtures.toyLog(40, 5);
    OutcomeTable t = OutcomeTable.of(log, Split.TEST);
    Random r = new Random(11);
    for (int trial = 0; trial < 6; trial++) {
      int[][] choices = new int[grid.length][t.size()];
      for (int[] row : choices) {
        for (int q = 0; q < row.length; q++) {
          row[q] = r.nextInt(t.configurations().size());
        }
      }
      RouterResult a = new Scoring(t, grid, tradeoff).score("x", "baseline", "", choices,
          new GapInterval(0, 0));

      // Same log with the test records in another order; choices follow their queries.
      List<QueryRecord> shuffled = new ArrayList<>(log.records(Split.TEST));
      Collections.shuffle(shuffled, r);
      List<QueryRecord> all = new ArrayList<>(log.records(Split.TRAIN));
      all.addAll(log.records(Split.VALID));
      all.addAll(shuffled);
      OutcomeTable t2 = OutcomeTable.of(OutcomeLog.of(log.candidates(), all), Split.TEST);
      Map<String, Integer> pos = new HashMap<>();
      for (int q = 0; q < t.size(); q++) {
        pos.put(t.id(q), q);
      }
      int[][] c2 = new int[grid.length][t.size()];
      for (int w = 0; w < grid.length; w++) {
        for (int q = 0; q < t2.size(); q++) {
          c2[w][q] = choices[w][pos.get(t2.id(q))];
        }
      }
      RouterResult b = new Scoring(t2, grid, tradeoff).score("x", "baseline", "", c2,
          new GapInterval(0, 0));
      assertThat(b.metrics().aiq()).isCloseTo(a.metrics().aiq(), within(1e-12));
      assertThat(b.metrics().gapClosed()).isCloseTo(a.metrics().gapClosed(), within(1e-9));
      for (String task : a.perTask().keySet()) {
        assertThat(b.perTask().get(task).metrics().aiq())
            .isCloseTo(a.perTask().get(task).metrics().aiq(), within(1e-12));
      }
    }
  }
}
