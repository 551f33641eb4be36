package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.Exploration;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.testing.HashingEncoder;
import dev.haps.testing.TestBundles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HapsRouterExplorationTest {

  @TempDir Path dir;

  private HapsRouter router(RouterBundle b, Exploration e, long seed) {
    return HapsRouter.builder().bundle(b).encoder(new HashingEncoder())
        .exploration(e).explorationSeed(seed).build();
  }

  private RouterBundle bundle() throws Exception {
    return RouterBundle.load(TestBundles.create().writeZip(dir.resolve("b.zip")));
  }

  @Test
  void withoutExploration_everyDecisionIsGreedyWithPropensityOneAndTheRouterSha() throws Exception {
    RouterBundle b = bundle();
    try (HapsRouter r = HapsRouter.builder().bundle(b).encoder(new HashingEncoder()).build()) {
      RouteDecision d = r.route(RouteRequest.of("What is 2 + 2?", 0.3));
      assertThat(d.propensity().probability()).isEqualTo(1.0);
      assertThat(d.propensity().explored()).isFalse();
      assertThat(d.propensity().policyId()).isEqualTo(b.routerSha256());
      assertThat(d.propensity().exploration()).isEqualTo("none");
    }
  }

  @Test
  void epsilonGreedy_isReproducibleFromTheSeedAndLogsTheRightPropensity() throws Exception {
    RouterBundle b = bundle();
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    int explored = 0;
    int n = 3000;
    try (HapsRouter r1 = router(b, Exploration.epsilonGreedy(0.3), 7);
        HapsRouter r2 = router(b, Exploration.epsilonGreedy(0.3), 7)) {
      RouteRequest req = RouteRequest.of("Prove that sqrt 2 is irrational", 0.2);
      String greedy = r1.route(req.toBuilder().exploration(Exploration.none()).build()).model();
      for (int i = 0; i < n; i++) {
        RouteDecision d = r1.route(req);
        first.add(d.model() + d.parameters());
        second.add(r2.route(req).model());
        counts.merge(d.model(), 1, Integer::sum);
        int a = d.ranking().size();
        double expected = d.model().equals(greedy) ? 0.7 + 0.3 / a : 0.3 / a;
        assertThat(d.propensity().probability()).isCloseTo(expected, within(1e-12));
        assertThat(d.propensity().explored()).isEqualTo(!d.model().equals(greedy));
        if (d.propensity().explored()) {
          explored++;
        }
      }
      for (int i = 0; i < n; i++) {
        assertThat(first.get(i)).startsWith(second.get(i));
      }
      // Every action is drawn about as often as its propensity says (3 candidates).
      assertThat(counts.get(greedy) / (double) n).isCloseTo(0.8, within(0.03));
      assertThat(explored / (double) n).isCloseTo(0.2, within(0.03));
    }
  }

  @Test
  void exploration_neverLeavesTheAllowedModels() throws Exception {
    RouterBundle b = bundle();
    try (HapsRouter r = router(b, Exploration.epsilonGreedy(1.0), 3)) {
      String only = b.candidates().get(1).model();
      for (int i = 0; i < 200; i++) {
        RouteDecision d = r.route(RouteRequest.builder().query("q " + i).costWeight(0.5)
            .allow(only).build());
        assertThat(d.model()).isEqualTo(only);
        assertThat(d.propensity().probability()).isEqualTo(1.0);
      }
    }
  }

  @Test
  void aRequestsOwnExplorationWinsOverTheRouters() throws Exception {
    RouterBundle b = bundle();
    try (HapsRouter r = router(b, Exploration.epsilonGreedy(1.0), 5)) {
      for (int i = 0; i < 50; i++) {
        RouteDecision d = r.route(RouteRequest.builder().query("q").costWeight(0.5)
            .exploration(Exploration.none()).build());
        assertThat(d.propensity().explored()).isFalse();
        assertThat(d.propensity().probability()).isEqualTo(1.0);
      }
    }
  }
}
