package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.data.tradeoff.CostTradeoff;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cold start's frontier-aimed exploration: what it explores at each cost weight. */
class FrontierWarmupTest {

  /** Cost weights 0 (λ 0) and 1 (λ 10 per unit of cost scale 1). */
  private static final double[] GRID = {0, 1};
  private static final CostTradeoff TRADEOFF = CostTradeoff.withCostScale(1);

  /** The i-th of a repeating run of 20 scores whose success rate is {@code p}. */
  private static double score(int i, double p) {
    return (i % 20) < Math.round(p * 20) ? 1 : 0;
  }

  @Test
  void observe_afterMinRows_keepsPerWeightWhatIsWithinTwoStandardErrorsOfTheBest() {
    // 0: strong, mid cost; 1: weak, nearly free; 2: costlier and worse than 0 (dominated);
    // 3: close behind 0 at weight 0, but costlier.
    double[] p = {0.9, 0.5, 0.3, 0.85};
    double[] cost = {0.1, 0.001, 0.5, 0.2};
    FrontierWarmup f = new FrontierWarmup(4, 50, 2.0, TRADEOFF, GRID);
    assertThat(f.policy(0)).isEqualTo(Promoter.UNIFORM);
    assertThat(f.propensity(1)).isEqualTo(0.25);

    for (int i = 0; i < 49; i++) {
      for (int c = 0; c < 4; c++) {
        f.observe(c, score(i, p[c]), cost[c]);
      }
    }
    assertThat(f.kept(0)).as("nothing narrows before every configuration has 50 outcomes")
        .containsExactly(0, 1, 2, 3);
    for (int c = 0; c < 4; c++) {
      f.observe(c, score(49, p[c]), cost[c]);
    }

    // Weight 0 rewards the score alone: 0.9 and 0.85 are within two standard errors (about
    // 0.13 with 50 outcomes each), 0.5 and 0.3 are not.
    assertThat(f.kept(0)).containsExactly(0, 3);
    assertThat(f.policy(0)).isEqualTo("frontier-0.00-2-of-4");
    assertThat(f.propensity(0)).isEqualTo(0.5);
    // Weight 1 prices cost at 10: the nearly free one (0.49) is far ahead of 0.9 - 1.0.
    assertThat(f.kept(1)).containsExactly(1);
    assertThat(f.policy(1)).isEqualTo("frontier-1.00-1-of-4");
    assertThat(f.propensity(1)).isEqualTo(1.0);
    SplittableRandom draws = new SplittableRandom(9);
    for (int i = 0; i < 300; i++) {
      assertThat(f.draw(draws, 0)).isIn(0, 3);
      assertThat(f.draw(draws, 1)).isEqualTo(1);
    }
  }

  @Test
  void observe_keepsConfigurationsWhoseDifferenceIsWithinTheNoise_asUniform() {
    // Same cost, success rates 0.50 and 0.55: 50 outcomes each cannot tell them apart.
    FrontierWarmup f = new FrontierWarmup(2, 50, 2.0, TRADEOFF, GRID);
    for (int i = 0; i < 50; i++) {
      f.observe(0, score(i, 0.5), 0.01);
      f.observe(1, score(i, 0.55), 0.01);
    }
    assertThat(f.kept(0)).containsExactly(0, 1);
    assertThat(f.kept(1)).containsExactly(0, 1);
    assertThat(f.policy(0)).as("the same distribution as before: the same id")
        .isEqualTo(Promoter.UNIFORM);
  }

  @Test
  void minRowsZero_neverNarrows() {
    FrontierWarmup f = new FrontierWarmup(2, 0, 2.0, TRADEOFF, GRID);
    for (int i = 0; i < 500; i++) {
      f.observe(0, 1, 1.0);
      f.observe(1, 0, 2.0);
    }
    assertThat(f.kept(0)).containsExactly(0, 1);
    assertThat(f.propensity(1)).isEqualTo(0.5);
  }
}
