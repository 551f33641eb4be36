package dev.haps.testing;

import dev.haps.api.RouteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Request generators for router tests. */
public final class TestRequests {

  private TestRequests() {}

  /**
   * Seeded random requests over the default test bundle's candidates: short word salads with
   * stray whitespace, random cost weights, and now and then a denied model, an allow-list or a
   * cost cap.
   *
   * @param n how many
   * @param seed the seed
   * @return the requests
   */
  public static List<RouteRequest> random(int n, long seed) {
    String[] words = {"prove", "sqrt", "two", "irrational", "write", "a", "poem", "about", "cats",
        "sum", "of", "primes", "below", "ten", "translate", "this", "French", "sentence", "code",
        "python", "sort", "list", "fast", "capital", "of", "Peru"};
    Random r = new Random(seed);
    List<RouteRequest> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + r.nextInt(12);
      for (int w = 0; w < len; w++) {
        sb.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? "\n\t " : " ");
      }
      RouteRequest.Builder b = RouteRequest.builder().query(sb.toString())
          .costWeight(r.nextInt(4) == 0 ? 0.5 : r.nextDouble());
      if (r.nextInt(6) == 0) {
        b.deny("gpt-4");
      }
      if (r.nextInt(8) == 0) {
        b.allow("mixtral-8x7b", "claude-instant");
      }
      if (r.nextInt(8) == 0) {
        b.maxCostPerCallUsd(0.01);
      }
      list.add(b.build());
    }
    return list;
  }
}
