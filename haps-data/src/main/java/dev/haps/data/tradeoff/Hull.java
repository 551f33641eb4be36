package dev.haps.data.tradeoff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The non-decreasing upper convex hull of a set of cost/quality points, read as a function of cost.
 *
 * <p>Construction: points that another point dominates (costs no more and scores at least as much)
 * are dropped, then the upper convex hull of the rest is kept. The vertices therefore have strictly
 * increasing cost and strictly increasing score, and the slopes between them strictly decrease.
 * Between two vertices the hull is the straight line joining them: a router can reach any point on
 * it by mixing its two neighbouring operating points.
 *
 * <p>As a function of cost ({@link #valueAt(double)}):
 *
 * <ul>
 *   <li><b>right of the last vertex</b> the hull is flat at the maximum score: a larger budget can
 *       always be left unspent;
 *   <li><b>left of the first vertex</b> (the cheapest non-dominated point) the hull is undefined
 *       ({@code NaN}): the router has no operating point that cheap, and mixing it with some
 *       other router would measure that other router, not this one. {@link #area(double, double)}
 *       counts that stretch as zero, so a router that cannot run as cheaply as the cheapest fixed
 *       configuration loses AIQ over the part of the common range it cannot reach.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Hull {

  private final double[] xs;
  private final double[] ys;

  private Hull(double[] xs, double[] ys) {
    this.xs = xs;
    this.ys = ys;
  }

  /**
   * Builds the hull of some points. The order of the points does not matter.
   *
   * @param points at least one point
   * @return the hull
   * @throws IllegalArgumentException if {@code points} is empty
   * @throws NullPointerException if {@code points} or one of its elements is null
   */
  public static Hull of(Collection<TradeoffPoint> points) {
    Objects.requireNonNull(points, "points");
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "a hull needs at least one cost/quality point, got none; sweep the router first");
    }
    List<TradeoffPoint> sorted = new ArrayList<>(points.size());
    for (TradeoffPoint p : points) {
      sorted.add(Objects.requireNonNull(p, "point"));
    }
    // Cheapest first; among equal costs the best score first, so the dominance filter keeps it.
    sorted.sort(
        Comparator.comparingDouble(TradeoffPoint::cost)
            .thenComparing(Comparator.comparingDouble(TradeoffPoint::score).reversed()));
    double[] hx = new double[sorted.size()];
    double[] hy = new double[sorted.size()];
    int n = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (TradeoffPoint p : sorted) {
      if (p.score() <= best) {
        continue; // dominated: a cheaper (or equally cheap) point scores at least as much
      }
      best = p.score();
      // Upper hull, left to right: drop the last vertex while it lies on or below the chord.
      while (n >= 2 && cross(hx[n - 2], hy[n - 2], hx[n - 1], hy[n - 1], p.cost(), p.score()) >= 0) {
        n--;
      }
      hx[n] = p.cost();
      hy[n] = p.score();
      n++;
    }
    return new Hull(java.util.Arrays.copyOf(hx, n), java.util.Arrays.copyOf(hy, n));
  }

  /**
   * Builds the hull of the points {@code (costs[i], scores[i])}.
   *
   * @param costs mean costs
   * @param scores mean scores, as many as costs
   * @return the hull
   * @throws IllegalArgumentException if the arrays differ in length, are empty or hold a
   *     non-finite value
   */
  public static Hull of(double[] costs, double[] scores) {
    if (costs.length != scores.length) {
      throw new IllegalArgumentException(
          "costs and scores must pair up, got "
              + costs.length
              + " costs and "
              + scores.length
              + " scores");
    }
    List<TradeoffPoint> points = new ArrayList<>(costs.length);
    for (int i = 0; i < costs.length; i++) {
      points.add(new TradeoffPoint(costs[i], scores[i]));
    }
    return of(points);
  }

  // > 0: counter-clockwise turn a -> b -> c (b lies below the chord a-c on a left-to-right walk).
  private static double cross(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  }

  /**
   * The hull's vertices, cheapest first; cost and score both strictly increase.
   *
   * @return an immutable list with at least one point
   */
  public List<TradeoffPoint> vertices() {
    List<TradeoffPoint> out = new ArrayList<>(xs.length);
    for (int i = 0; i < xs.length; i++) {
      out.add(new TradeoffPoint(xs[i], ys[i]));
    }
    return List.copyOf(out);
  }

  /**
   * The cost of the cheapest vertex: where the hull starts.
   *
   * @return the first vertex's cost
   */
  public double firstCost() {
    return xs[0];
  }

  /**
   * The cost of the last vertex: beyond it the hull is flat.
   *
   * @return the last vertex's cost
   */
  public double lastCost() {
    return xs[xs.length - 1];
  }

  /**
   * The highest score on the hull (the last vertex's score).
   *
   * @return the maximum score
   */
  public double maxScore() {
    return ys[ys.length - 1];
  }

  /**
   * The hull's score at a cost: linear between vertices, flat beyond the last one.
   *
   * @param cost a cost
   * @return the score, or {@code NaN} when {@code cost} is below {@link #firstCost()} or is NaN
   */
  public double valueAt(double cost) {
    if (Double.isNaN(cost) || cost < xs[0]) {
      return Double.NaN;
    }
    int last = xs.length - 1;
    if (cost >= xs[last]) {
      return ys[last];
    }
    int i = segmentOf(cost);
    double t = (cost - xs[i]) / (xs[i + 1] - xs[i]);
    return ys[i] + t * (ys[i + 1] - ys[i]);
  }

  // Index i with xs[i] <= cost < xs[i + 1]; requires xs[0] <= cost < xs[last].
  private int segmentOf(double cost) {
    int lo = 0;
    int hi = xs.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] <= cost) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The integral of the hull over {@code [lo, hi]}, counting the stretch left of the first vertex
   * as zero.
   *
   * @param lo the lower cost
   * @param hi the upper cost, at least {@code lo}
   * @return the area
   * @throws IllegalArgumentException if the bounds are not finite or {@code hi < lo}
   */
  public double area(double lo, double hi) {
    checkRange(lo, hi);
    double a = Math.max(lo, xs[0]);
    if (hi <= a) {
      return 0;
    }
    double total = 0;
    // Piecewise-linear part: each segment clipped to [a, hi]; the integrand is linear on it.
    for (int i = 0; i + 1 < xs.length; i++) {
      double s = Math.max(a, xs[i]);
      double e = Math.min(hi, xs[i + 1]);
      if (e > s) {
        total += (e - s) * (valueAt(s) + valueAt(e)) / 2;
      }
    }
    // Flat part beyond the last vertex.
    double flatStart = Math.max(a, xs[xs.length - 1]);
    if (hi > flatStart) {
      total += (hi - flatStart) * maxScore();
    }
    return total;
  }

  /**
   * AIQ over a cost range: {@link #area(double, double)} divided by the range's width. A zero-width
   * range (all fixed configurations cost the same) gives the hull's value there, or 0 where the
   * hull has not started.
   *
   * @param lo the lower cost (the cheapest fixed configuration's mean cost)
   * @param hi the upper cost (the most expensive fixed configuration's mean cost)
   * @return the mean score of the hull over the range
   * @throws IllegalArgumentException if the bounds are not finite or {@code hi < lo}
   */
  public double aiq(double lo, double hi) {
    checkRange(lo, hi);
    if (hi == lo) {
      double v = valueAt(lo);
      return Double.isNaN(v) ? 0 : v;
    }
    return area(lo, hi) / (hi - lo);
  }

  /**
   * The smallest cost at which the hull reaches a score.
   *
   * @param score the score to reach
   * @return that cost, or empty when the hull never reaches it
   */
  public OptionalDouble costToReach(double score) {
    if (Double.isNaN(score) || score > maxScore()) {
      return OptionalDouble.empty();
    }
    if (score <= ys[0]) {
      return OptionalDouble.of(xs[0]);
    }
    for (int i = 0; i + 1 < xs.length; i++) {
      if (score <= ys[i + 1]) {
        double t = (score - ys[i]) / (ys[i + 1] - ys[i]);
        return OptionalDouble.of(xs[i] + t * (xs[i + 1] - xs[i]));
      }
    }
    return OptionalDouble.of(xs[xs.length - 1]);
  }

  private static void checkRange(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi < lo) {
      throw new IllegalArgumentException(
          "cost range must be finite with lo <= hi, got ["
              + lo
              + ", "
              + hi
              + "]; pass the cheapest and the most expensive fixed configuration's mean cost");
    }
  }

  @Override
  public String toString() {
    return "Hull" + vertices();
  }
}
