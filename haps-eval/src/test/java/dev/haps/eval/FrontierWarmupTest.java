package dev.haps.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cold start's frontier-aimed exploration: which configurations it stops exploring. */
class FrontierWarmupTest {

  /** Bernoulli scores with the given success rate, drawn from a fixed stream. */
  private static double score(SplittableRandom rng, double p) {
    return rng.nextDouble() < p ? 1 : 0;
  }

  @Test
  void observe_dropsOnlyAConfigurationThatIsCostlierAndClearlyWorse() {
    // 0: good and cheap-ish; 1: costlier and clearly worse (dominated by 0); 2: cheapest and
    // worse than 0 (on the frontier); 3: costliest and best (on the frontier).
    double[] p = {0.8, 0.3, 0.5, 0.9};
    double[] cost = {1.0, 2.0, 0.1, 5.0};
    FrontierWarmup f = new FrontierWarmup(4, 50, 1.0);
    SplittableRandom rng = new SplittableRandom(3);
    assertThat(f.policy()).isEqualTo(Promoter.UNIFORM);
    assertThat(f.propensity()).isEqualTo(0.25);

    for (int i = 0; i < 49; i++) {
      for (int c = 0; c < 4; c++) {
        f.observe(c, score(rng, p[c]), cost[c]);
      }
    }
    assertThat(f.kept()).as("no pruning before every configuration has 50 outcomes")
        .containsExactly(0, 1, 2, 3);
    for (int c = 0; c < 4; c++) {
      f.observe(c, score(rng, p[c]), cost[c]);
    }

    assertThat(f.kept()).containsExactly(0, 2, 3);
    assertThat(f.policy()).isEqualTo("uniform-3-of-4");
    assertThat(f.propensity()).isEqualTo(1.0 / 3);
    SplittableRandom draws = new SplittableRandom(9);
    for (int i = 0; i < 300; i++) {
      assertThat(f.draw(draws)).isNotEqualTo(1);
    }
  }

  @Test
  void observe_keepsConfigurationsWhoseDifferenceIsWithinTheNoise() {
    // Same cost, success rates 0.50 and 0.52: 50 outcomes each cannot tell them apart.
    FrontierWarmup f = new FrontierWarmup(2, 50, 1.0);
    for (int i = 0; i < 50; i++) {
      f.observe(0, i % 2, 1.0);
      f.observe(1, i % 25 == 0 ? 1 : i % 2, 1.0);
    }
    assertThat(f.kept()).containsExactly(0, 1);
    assertThat(f.policy()).isEqualTo(Promoter.UNIFORM);
  }

  @Test
  void minRowsZero_neverPrunes() {
    FrontierWarmup f = new FrontierWarmup(2, 0, 1.0);
    for (int i = 0; i < 500; i++) {
      f.observe(0, 1, 1.0);
      f.observe(1, 0, 2.0);
    }
    assertThat(f.kept()).containsExactly(0, 1);
    assertThat(f.propensity()).isEqualTo(0.5);
  }
}
