package dev.haps.train;

import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.tradeoff.Hull;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import dev.haps.train.model.SplitTable;
import dev.haps.train.model.ValidationCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Model selection by AIQ on the {@code valid} split, with the evaluation's own hull and
 * yardstick (fixed configurations' points and the oracle's sweep on {@code valid}).
 */
final class ValidAiq implements ToDoubleFunction<ValidationCurve> {

  private final Yardstick yardstick;

  private ValidAiq(Yardstick yardstick) {
    this.yardstick = yardstick;
  }

  static ValidAiq of(SplitTable valid, CostTradeoff tradeoff, double[] grid) {
    int n = valid.n();
    int g = valid.configurations();
    double cs = tradeoff.costScale();
    List<TradeoffPoint> fixed = new ArrayList<>();
    for (int c = 0; c < g; c++) {
      double s = 0;
      double cost = 0;
      for (int i = 0; i < n; i++) {
        double sc = valid.score()[i * g + c];
        if (!Double.isNaN(sc)) {
          s += sc;
          cost += valid.cost()[i * g + c];
        }
      }
      fixed.add(new TradeoffPoint(cost / n * cs, s / n));
    }
    List<TradeoffPoint> oracle = new ArrayList<>();
    for (double w : grid) {
      double lambda = tradeoff.lambda(w);
      double s = 0;
      double cost = 0;
      for (int i = 0; i < n; i++) {
        int best = -1;
        double br = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < g; c++) {
          double sc = valid.score()[i * g + c];
          if (Double.isNaN(sc)) {
            continue;
          }
          double co = valid.cost()[i * g + c];
          double r = sc - lambda * co;
          if (r > br || (r == br && co < valid.cost()[i * g + best])) {
            br = r;
            best = c;
          }
        }
        if (best >= 0) {
          s += valid.score()[i * g + best];
          cost += valid.cost()[i * g + best];
        }
      }
      oracle.add(new TradeoffPoint(cost / n * cs, s / n));
    }
    return new ValidAiq(Yardstick.of(fixed, oracle));
  }

  Yardstick yardstick() {
    return yardstick;
  }

  double aiq(ValidationCurve curve) {
    List<TradeoffPoint> pts = new ArrayList<>();
    for (int i = 0; i < curve.costWeights().length; i++) {
      pts.add(new TradeoffPoint(curve.meanCostUsd()[i], curve.meanScore()[i]));
    }
    return yardstick.aiq(Hull.of(pts));
  }

  double gapClosed(ValidationCurve curve) {
    return yardstick.gapClosed(aiq(curve));
  }

  @Override
  public double applyAsDouble(ValidationCurve curve) {
    return aiq(curve);
  }
}
