package dev.haps.examples;

import dev.haps.api.Candidate;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.HapsRouter;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.io.PrintStream;
import java.util.Map;

/**
 * Uses a provider plugin that this code never names: the {@code echo} plugin of the module
 * {@code haps-examples/custom-provider-plugin} is only on the run-time class path, and
 * {@link ProviderRegistry#load()} finds it through its {@code META-INF/services} entry. Every
 * candidate of the default bundle is then mapped to it, routed and called.
 *
 * <p>To write your own plugin, copy that module: one {@code LlmProviderFactory} with a stable
 * {@code type()}, one {@code LlmProvider} that declares its models and parameter space, and one
 * line in {@code META-INF/services/dev.haps.spi.LlmProviderFactory}.
 *
 * @since 0.1.0
 */
public final class CustomProviderPlugin {

  /** The plugin's provider type, as its factory declares it. */
  static final String TYPE = "echo";

  private CustomProviderPlugin() {}

  /**
   * Runs the example.
   *
   * @param args optionally the question (default: a short one)
   */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? args[0] : "Say hello to the plugin.");
  }

  /**
   * Discovers the plugin, routes the question with the default bundle, calls the plugin.
   *
   * @param out where to print
   * @param question the question
   * @return the call's result
   */
  public static CallResult run(PrintStream out, String question) {
    ProviderRegistry registry = ProviderRegistry.load();
    out.println("installed provider types: " + registry.types());
    out.println(TYPE + ": " + registry.factory(TYPE).description());

    // An instance of the plugin, configured like any provider (settings are strings).
    try (LlmProvider echo = registry.create(TYPE,
            ProviderConfig.of("my-echo",
                Map.of("price.echo-1.input", "0.50", "price.echo-1.output", "0.50")));
        HapsRouter router = HapsRouter.withDefaults()) {
      // Map every bundle candidate to the plugin's model, asked from the plugin itself. The
      // bundle's prompt_style, which echo does not declare, becomes a system prompt through the
      // client's built-in transformer.
      String model = echo.models().get(0).id();
      RoutingClient.Builder builder = RoutingClient.builder().router(router)
          .provider("my-echo", echo);
      for (Candidate c : router.candidates()) {
        builder.candidate(c.model(), "my-echo", model);
      }
      try (RoutingClient client = builder.build()) {
        CallResult result = client.call(RouteRequest.of(question, 0.5));
        out.println("routed to:  " + result.candidate() + " " + result.parameters() + " -> "
            + result.provider() + "/" + result.backendModel());
        out.println("answer:     " + result.text());
        out.println("summary:    " + result.summary());
        return result;
      }
    }
  }
}
