package dev.haps.examples;

import dev.haps.api.RouteRequest;
import dev.haps.data.Split;
import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The smallest complete use of HAPS: route a question with the bundle that ships with the SDK,
 * call the chosen model with the chosen parameters, and print what happened.
 *
 * <p>The backend is the offline replay provider, which answers from the recorded outcomes of the
 * bundled concise-cot benchmark, so this runs with no network and no API key. It can only answer
 * that benchmark's questions; swap in {@code openai} or {@code anthropic} for real calls (see
 * {@link OpenAiCompatible}).
 *
 * <pre>{@code
 * java -cp ... dev.haps.examples.QuickStart            # a test question of the bundled benchmark
 * java -cp ... dev.haps.examples.QuickStart 0.9        # the same at cost weight 0.9
 * }</pre>
 *
 * @since 0.1.0
 */
public final class QuickStart {

  private QuickStart() {}

  /**
   * Runs the example.
   *
   * @param args optionally the cost weight in [0, 1] (default 0.5)
   */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? Double.parseDouble(args[0]) : 0.5);
  }

  /**
   * Routes and calls one question of the bundled benchmark, printing model, parameters, answer
   * and cost.
   *
   * @param out where to print
   * @param costWeight 0 = best quality, 1 = lowest cost
   * @return the call's result
   */
  public static CallResult run(PrintStream out, double costWeight) {
    // A question the replay backend knows: the first test question of the bundled log.
    String question = ReplayProvider.bundledLog().records(Split.TEST).get(0).query();

    try (HapsRouter router = HapsRouter.withDefaults();                // the bundled HAPS router
        ReplayProvider replay = ReplayProvider.bundled("replay");     // offline backend
        RoutingClient client = RoutingClient.builder()
            .router(router)
            .provider("replay", replay)
            .candidate("*", "replay")                                 // every candidate -> replay
            .build()) {
      CallResult result = client.call(RouteRequest.of(question, costWeight));

      out.println("question:   " + shorten(question));
      out.println("model:      " + result.candidate() + " (via " + result.provider() + ")");
      out.println("parameters: " + result.parameters());
      out.println("answer:     " + result.text());
      out.println("cost:       " + result.cost().stream()
          .mapToObj(c -> String.format(Locale.ROOT, "$%.6f", c)).findFirst().orElse("n/a")
          + ", tokens " + result.usage().inputTokens() + " in + " + result.usage().outputTokens()
          + " out, " + result.attempts().size() + " attempt(s)");
      return result;
    }
  }

  private static String shorten(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > 100 ? flat.substring(0, 97) + "..." : flat;
  }
}
