package dev.haps.data.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random point sets: the hull's invariants and AIQ's bounds. */
class HullPropertyTest {

  private static final int CASES = 2_000;

  private static List<TradeoffPoint> randomPoints(Random r) {
    int n = 1 + r.nextInt(30);
    List<TradeoffPoint> pts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // Some duplicated costs and scores on purpose: ties are where hulls go wrong.
      double cost = r.nextInt(4) == 0 ? r.nextInt(5) : r.nextDouble() * 5;
      double score = r.nextInt(4) == 0 ? r.nextInt(3) / 2.0 : r.nextDouble();
      pts.add(new TradeoffPoint(cost, score));
    }
    return pts;
  }

  @Test
  void hull_randomPoints_isNonDecreasingConcaveAndAboveEveryPoint() {
    Random r = new Random(1);
    for (int c = 0; c < CASES; c++) {
      List<TradeoffPoint> pts = randomPoints(r);
      Hull h = Hull.of(pts);
      List<TradeoffPoint> v = h.vertices();
      for (int i = 1; i < v.size(); i++) {
        assertThat(v.get(i).cost()).isGreaterThan(v.get(i - 1).cost());
        assertThat(v.get(i).score()).isGreaterThan(v.get(i - 1).score());
      }
      for (int i = 2; i < v.size(); i++) {
        double s1 = slope(v.get(i - 2), v.get(i - 1));
        double s2 = slope(v.get(i - 1), v.get(i));
        assertThat(s2).isLessThan(s1);
      }
      assertThat(pts).containsAll(v);
      double minCost = pts.stream().mapToDouble(TradeoffPoint::cost).min().orElseThrow();
      assertThat(h.firstCost()).isEqualTo(minCost);
      for (TradeoffPoint p : pts) {
        assertThat(h.valueAt(p.cost())).isGreaterThanOrEqualTo(p.score() - 1e-12);
      }
    }
  }

  @Test
  void aiq_randomPoints_isBoundedByTheScores() {
    Random r = new Random(2);
    for (int c = 0; c < CASES; c++) {
      List<TradeoffPoint> pts = randomPoints(r);
      Hull h = Hull.of(pts);
      double lo = r.nextDouble() * 5;
      double hi = lo + r.nextDouble() * 5;
      double aiq = h.aiq(lo, hi);
      double max = pts.stream().mapToDouble(TradeoffPoint::score).max().orElseThrow();
      double min = pts.stream().mapToDouble(TradeoffPoint::score).min().orElseThrow();
      assertThat(aiq).isBetween(0.0, max + 1e-12);
      if (h.firstCost() <= lo) {
        assertThat(aiq).isGreaterThanOrEqualTo(min - 1e-12);
      }
    }
  }

  @Test
  void aiq_shuffledPoints_isUnchanged() {
    Random r = new Random(3);
    for (int c = 0; c < CASES; c++) {
      List<TradeoffPoint> pts = randomPoints(r);
      double lo = r.nextDouble() * 2;
      double hi = lo + 0.1 + r.nextDouble() * 3;
      double before = Hull.of(pts).aiq(lo, hi);
      List<TradeoffPoint> shuffled = new ArrayList<>(pts);
      Collections.shuffle(shuffled, r);
      assertThat(Hull.of(shuffled).aiq(lo, hi)).isEqualTo(before);
      assertThat(Hull.of(shuffled).vertices()).isEqualTo(Hull.of(pts).vertices());
    }
  }

  @Test
  void aiq_addingAPoint_neverLowersIt() {
    Random r = new Random(4);
    for (int c = 0; c < CASES; c++) {
      List<TradeoffPoint> pts = randomPoints(r);
      double before = Hull.of(pts).aiq(1, 4);
      pts.add(new TradeoffPoint(r.nextDouble() * 5, r.nextDouble()));
      // Adding a cheaper point may start the hull earlier but never lowers it anywhere.
      assertThat(Hull.of(pts).aiq(1, 4)).isGreaterThanOrEqualTo(before - 1e-12);
    }
  }

  @Test
  void area_splitAnywhere_adds() {
    Random r = new Random(5);
    for (int c = 0; c < CASES; c++) {
      Hull h = Hull.of(randomPoints(r));
      double a = r.nextDouble() * 5;
      double b = a + r.nextDouble() * 3;
      double e = b + r.nextDouble() * 3;
      assertThat(h.area(a, b) + h.area(b, e)).isCloseTo(h.area(a, e), within(1e-9));
    }
  }

  private static double slope(TradeoffPoint a, TradeoffPoint b) {
    return (b.score() - a.score()) / (b.cost() - a.cost());
  }
}
