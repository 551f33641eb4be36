package dev.haps.eval.baselines;

import dev.haps.api.params.ParameterSpace;
import dev.haps.data.tradeoff.CostTradeoff;
import dev.haps.data.Configuration;
import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.EvalRouter;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.data.tradeoff.TradeoffPoint;
import dev.haps.data.tradeoff.Yardstick;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The simple routers every HAPS bundle is compared with. Each is trained on the {@code train}
 * split, has its hyper-parameters chosen by AIQ on the {@code valid} split, and is swept over the
 * same cost weights with the same reward mapping as HAPS.
 *
 * <ul>
 *   <li>{@link #random} — a uniformly random configuration per query;
 *   <li>{@link #cheapest} — always the configuration with the lowest mean training cost
 *       ({@link OutcomeTable#cheapestConfiguration()});
 *   <li>{@link #bestFixed} — per cost weight, the one configuration with the best mean training
 *       reward ({@link OutcomeTable#bestConfiguration});
 *   <li>{@link #knn} — per query, each configuration's score and cost predicted as the mean over
 *       the k most similar training queries (cosine on the embedding), then the best predicted
 *       reward; k chosen on valid;
 *   <li>{@link #mlp} — the same with a small perceptron predicting every configuration's score
 *       and cost; width and epochs chosen on valid;
 *   <li>{@link #ridge} — the same with ridge regression (linear, closed form); α chosen on
 *       valid;
 *   <li>{@link #architectureOnly} — kNN restricted to each model's default parameters (routing
 *       the model only, as RouteLLM and RouterDC do);
 *   <li>{@link #oracle} — per query, the recorded outcome with the best reward (a reference, not
 *       a router).
 * </ul>
 *
 * <p>Every router returned is immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Baselines {

  private Baselines() {}

  /**
   * A uniformly random configuration per query and cost weight; the draw depends only on the
   * seed, the query and the cost weight.
   *
   * @param configurations the configurations to draw from
   * @param seed the seed
   * @return the router, named {@code random}
   */
  public static EvalRouter random(List<Configuration> configurations, long seed) {
    List<Configuration> configs = List.copyOf(configurations);
    return new Simple("random", "uniform over " + configs.size() + " configurations, seed "
        + seed) {
      @Override
      public Decision decide(int query, double costWeight) {
        long mix = seed * 0x9E3779B97F4A7C15L
            + Double.doubleToLongBits(costWeight) * 0xBF58476D1CE4E5B9L + query;
        return Decision.of(configs.get(new SplittableRandom(mix).nextInt(configs.size())));
      }
    };
  }

  /**
   * Always the configuration with the lowest mean training cost (ties to the better score).
   *
   * @param train the training table
   * @return the router, named {@code cheapest}
   */
  public static EvalRouter cheapest(OutcomeTable train) {
    Configuration chosen = train.configurations().get(train.cheapestConfiguration());
    return new Simple("cheapest", chosen.label()) {
      @Override
      public Decision decide(int query, double costWeight) {
        return Decision.of(chosen);
      }
    };
  }

  /**
   * Per cost weight, the single configuration with the best mean reward on the training split
   * (ties to the cheaper one).
   *
   * @param train the training table
   * @param tradeoff the reward mapping
   * @return the router, named {@code best-fixed}
   */
  public static EvalRouter bestFixed(OutcomeTable train, CostTradeoff tradeoff) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(tradeoff, "tradeoff");
    Map<Double, Integer> memo = new java.util.concurrent.ConcurrentHashMap<>();
    return new Simple("best-fixed", "one configuration per cost weight, by mean train reward") {
      @Override
      public Decision decide(int query, double costWeight) {
        int c = memo.computeIfAbsent(costWeight, w -> train.bestConfiguration(tradeoff, w));
        return Decision.of(train.configurations().get(c));
      }
    };
  }

  /**
   * The oracle: per query, the recorded outcome of the evaluated table with the best reward (ties
   * to the cheaper outcome). It reads the answers, so it is a reference, not a router.
   *
   * @param evaluated the evaluated table
   * @param tradeoff the reward mapping
   * @return the router, named {@code oracle}
   */
  public static EvalRouter oracle(OutcomeTable evaluated, CostTradeoff tradeoff) {
    Map<Double, int[]> memo = new java.util.concurrent.ConcurrentHashMap<>();
    return new Simple("oracle", "best recorded reward per query (reads the outcomes)") {
      @Override
      public Decision decide(int query, double costWeight) {
        int[] choices = memo.computeIfAbsent(costWeight,
            w -> evaluated.oracleChoices(w, tradeoff));
        return Decision.of(evaluated.configurations().get(choices[query]));
      }
    };
  }

  /**
   * k-nearest neighbours on the query embedding, over every configuration; k chosen by AIQ on
   * valid.
   *
   * @param data the training and validation data
   * @param evalEmbeddings one embedding per evaluated query, in table order
   * @return the router, named {@code knn}
   */
  public static EvalRouter knn(TrainingData data, float[][] evalEmbeddings) {
    return knn("knn", data, evalEmbeddings, allConfigurations(data.train()));
  }

  /**
   * Architecture-only routing: kNN over each model's default-parameter configuration only. Empty
   * when no model has more than one configuration (it would equal {@link #knn}).
   *
   * @param data the training and validation data
   * @param evalEmbeddings one embedding per evaluated query, in table order
   * @param spaces each model's parameter space, for its defaults
   * @return the router, named {@code arch-only-knn}, or empty
   */
  public static Optional<EvalRouter> architectureOnly(
      TrainingData data, float[][] evalEmbeddings, Map<String, ParameterSpace> spaces) {
    OutcomeTable train = data.train();
    LinkedHashSet<Integer> defaults = new LinkedHashSet<>();
    for (Configuration c : train.configurations()) {
      ParameterSpace space = spaces.getOrDefault(c.model(), ParameterSpace.empty());
      defaults.add(train.snap(new Decision(c.model(), space.defaults())));
    }
    if (defaults.size() == train.configurations().size()) {
      return Optional.empty();
    }
    int[] allowed = defaults.stream().mapToInt(Integer::intValue).toArray();
    return Optional.of(knn("arch-only-knn", data, evalEmbeddings, allowed));
  }

  private static EvalRouter knn(
      String name, TrainingData data, float[][] evalEmbeddings, int[] allowed) {
    OutcomeTable train = data.train();
    OutcomeTable valid = data.valid();
    int kmax = Math.min(Knn.K_GRID[Knn.K_GRID.length - 1], train.size());
    int[][] validNb = Knn.neighbours(data.trainEmbeddings(), data.validEmbeddings(), kmax);
    Yardstick vy = valid.yardstick(data.costWeights(), data.tradeoff());
    int bestK = 1;
    double bestAiq = Double.NEGATIVE_INFINITY;
    for (int k : Knn.K_GRID) {
      if (k > kmax) {
        break;
      }
      double[][][] p = Knn.predict(train, validNb, k, valid.size());
      PredictedRouter r =
          new PredictedRouter(name, "", valid, p[0], p[1], allowed, data.tradeoff());
      double aiq = validAiq(valid, vy, data.costWeights(), r);
      if (aiq > bestAiq) {
        bestAiq = aiq;
        bestK = k;
      }
    }
    int[][] evalNb = Knn.neighbours(data.trainEmbeddings(), evalEmbeddings, bestK);
    double[][][] p = Knn.predict(train, evalNb, bestK, evalEmbeddings.length);
    String desc = String.format(Locale.ROOT, "k=%d (valid AIQ %.4f)%s", bestK, bestAiq,
        allowed.length < train.configurations().size()
            ? "; default parameters of each model only" : "");
    return new PredictedRouter(name, desc, train, p[0], p[1], allowed, data.tradeoff());
  }

  /** Hidden widths tried on valid. */
  private static final int[] MLP_WIDTHS = {64, 256};

  private static final int MLP_MAX_EPOCHS = 100;
  private static final int MLP_PATIENCE = 10;

  /**
   * A small perceptron predicting each configuration's score and cost; the hidden width and the
   * number of epochs are chosen by the regression loss on valid (checked every epoch, patience
   * {@value #MLP_PATIENCE}): a loss over every valid outcome is a far steadier choice than AIQ
   * on a few hundred valid queries.
   *
   * @param data the training and validation data
   * @param evalEmbeddings one embedding per evaluated query, in table order
   * @return the router, named {@code mlp}
   */
  public static EvalRouter mlp(TrainingData data, float[][] evalEmbeddings) {
    OutcomeTable train = data.train();
    OutcomeTable valid = data.valid();
    int k = train.configurations().size();
    int dim = data.trainEmbeddings()[0].length;
    float[][] x = data.trainEmbeddings();
    double[] unit = costUnits(train);
    double[][] ys = new double[train.size()][k];
    double[][] yc = new double[train.size()][k];
    double[] meanScore = new double[k];
    for (int q = 0; q < train.size(); q++) {
      for (int c = 0; c < k; c++) {
        ys[q][c] = train.score(q, c);
        yc[q][c] = logCost(train.cost(q, c), unit[c]);
        meanScore[c] += ys[q][c] / train.size();
      }
    }
    double[][] vs = new double[valid.size()][k];
    double[][] vc = new double[valid.size()][k];
    for (int q = 0; q < valid.size(); q++) {
      for (int c = 0; c < k; c++) {
        vs[q][c] = valid.score(q, c);
        vc[q][c] = logCost(valid.cost(q, c), unit[c]);
      }
    }
    int[] all = allConfigurations(train);
    MlpRewardModel best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    String bestDesc = "";
    for (int width : MLP_WIDTHS) {
      MlpRewardModel net = new MlpRewardModel(dim, width, k, meanScore, unit, data.seed());
      MlpRewardModel.Trainer t = net.new Trainer(1e-3, 1e-4);
      SplittableRandom r = new SplittableRandom(data.seed() + 1);
      double[] bestW = net.weights();
      double netBest = net.loss(data.validEmbeddings(), vs, vc);
      int bestEpoch = 0;
      int sinceBest = 0;
      for (int e = 1; e <= MLP_MAX_EPOCHS; e++) {
        t.epoch(x, ys, yc, 32, r);
        double loss = net.loss(data.validEmbeddings(), vs, vc);
        if (loss < netBest) {
          netBest = loss;
          bestW = net.weights();
          bestEpoch = e;
          sinceBest = 0;
        } else if (++sinceBest >= MLP_PATIENCE) {
          break;
        }
      }
      net.restore(bestW);
      if (netBest < bestLoss) {
        bestLoss = netBest;
        best = net;
        bestDesc = String.format(Locale.ROOT,
            "hidden=%d, epochs=%d, AdamW lr=1e-3 wd=1e-4, batch 32 (valid loss %.4f)",
            width, bestEpoch, netBest);
      }
    }
    double[][][] p = Objects.requireNonNull(best).predict(evalEmbeddings);
    return new PredictedRouter("mlp", bestDesc, train, p[0], p[1], all, data.tradeoff());
  }

  /** The α values tried on valid (the embedding rows have unit norm). */
  private static final double[] RIDGE_ALPHAS = {0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};

  /**
   * Ridge regression from the query embedding to every configuration's score and log-cost (one
   * linear model per target, fitted in closed form); the regularisation α is chosen by AIQ on
   * valid.
   *
   * @param data the training and validation data
   * @param evalEmbeddings one embedding per evaluated query, in table order
   * @return the router, named {@code ridge}
   */
  public static EvalRouter ridge(TrainingData data, float[][] evalEmbeddings) {
    OutcomeTable train = data.train();
    OutcomeTable valid = data.valid();
    int k = train.configurations().size();
    double[] unit = costUnits(train);
    double[][] y = new double[train.size()][2 * k];
    for (int q = 0; q < train.size(); q++) {
      for (int c = 0; c < k; c++) {
        y[q][c] = train.score(q, c);
        y[q][k + c] = logCost(train.cost(q, c), unit[c]);
      }
    }
    Ridge.Gram gram = new Ridge.Gram(data.trainEmbeddings(), y);
    int[] all = allConfigurations(train);
    Yardstick vy = valid.yardstick(data.costWeights(), data.tradeoff());
    Ridge best = null;
    double bestAlpha = Double.NaN;
    double bestAiq = Double.NEGATIVE_INFINITY;
    for (double alpha : RIDGE_ALPHAS) {
      Ridge model = gram.solve(alpha);
      double[][][] p = ridgePredictions(model, data.validEmbeddings(), k, unit);
      double aiq = validAiq(valid, vy, data.costWeights(),
          new PredictedRouter("ridge", "", valid, p[0], p[1], all, data.tradeoff()));
      if (aiq > bestAiq) {
        bestAiq = aiq;
        bestAlpha = alpha;
        best = model;
      }
    }
    double[][][] p = ridgePredictions(Objects.requireNonNull(best), evalEmbeddings, k, unit);
    String desc = String.format(Locale.ROOT,
        "alpha=%s on score and log-cost (valid AIQ %.4f)", alphaLabel(bestAlpha), bestAiq);
    return new PredictedRouter("ridge", desc, train, p[0], p[1], all, data.tradeoff());
  }

  private static String alphaLabel(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static double[][][] ridgePredictions(
      Ridge model, float[][] x, int k, double[] unit) {
    double[][] raw = model.predict(x);
    double[][] score = new double[x.length][k];
    double[][] cost = new double[x.length][k];
    for (int q = 0; q < x.length; q++) {
      for (int c = 0; c < k; c++) {
        score[q][c] = raw[q][c];
        cost[q][c] = unit[c] * Math.exp(raw[q][k + c]);
      }
    }
    return new double[][][] {score, cost};
  }

  /** Each configuration's mean training cost (1 where it is 0): the unit of its cost targets. */
  private static double[] costUnits(OutcomeTable train) {
    double[] unit = new double[train.configurations().size()];
    for (int c = 0; c < unit.length; c++) {
      unit[c] = train.meanCost(c) > 0 ? train.meanCost(c) : 1;
    }
    return unit;
  }

  // Log of the cost in the configuration's own unit; a free outcome counts as 1/1000 unit.
  private static double logCost(double cost, double unit) {
    return Math.log(Math.max(cost / unit, 1e-3));
  }

  static double validAiq(
      OutcomeTable valid, Yardstick yardstick, double[] grid, PredictedRouter r) {
    List<TradeoffPoint> pts = new ArrayList<>(grid.length);
    int[] choices = new int[valid.size()];
    for (double w : grid) {
      for (int q = 0; q < choices.length; q++) {
        choices[q] = r.choose(q, w);
      }
      pts.add(valid.point(choices));
    }
    return yardstick.measure(pts).aiq();
  }

  private static int[] allConfigurations(OutcomeTable t) {
    int[] all = new int[t.configurations().size()];
    for (int c = 0; c < all.length; c++) {
      all[c] = c;
    }
    return all;
  }

  private abstract static class Simple implements EvalRouter {
    private final String name;
    private final String description;

    Simple(String name, String description) {
      this.name = name;
      this.description = description;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return description;
    }
  }
}
