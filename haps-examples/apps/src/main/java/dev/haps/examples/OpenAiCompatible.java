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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Routes with the default bundle and calls a real OpenAI-compatible Chat Completions endpoint:
 * OpenAI itself, or vLLM, Ollama, llama.cpp's server, LM Studio, a gateway. The endpoint comes
 * from the environment:
 *
 * <pre>{@code
 * export OPENAI_BASE_URL=http://localhost:11434/v1   # the API root, including /v1
 * export OPENAI_MODEL=llama3.1:8b                    # the model the endpoint serves
 * export OPENAI_API_KEY=sk-...                        # optional: local servers need none
 * java -cp ... dev.haps.examples.OpenAiCompatible "Why is the sky blue?"
 * }</pre>
 *
 * <p>Every candidate of the bundle is mapped to that one model, so HAPS here chooses the
 * parameters (the prompt style the bundle was trained with, applied as a system prompt). With
 * {@code OPENAI_BASE_URL} or {@code OPENAI_MODEL} unset it prints how to set them and exits
 * normally.
 *
 * @since 0.1.0
 */
public final class OpenAiCompatible {

  private OpenAiCompatible() {}

  /**
   * Runs the example against the endpoint in the environment.
   *
   * @param args optionally the question
   */
  public static void main(String[] args) {
    run(System.out, System::getenv,
        args.length > 0 ? args[0] : "In one sentence: why is the sky blue?");
  }

  /**
   * Routes and calls the question, or explains what to set.
   *
   * @param out where to print
   * @param environment variable name to value ({@code null} when unset)
   * @param question the question
   * @return the call's result, or empty when the endpoint is not configured
   */
  public static Optional<CallResult> run(
      PrintStream out, UnaryOperator<String> environment, String question) {
    String baseUrl = environment.apply("OPENAI_BASE_URL");
    String model = environment.apply("OPENAI_MODEL");
    List<String> missing = new ArrayList<>();
    if (baseUrl == null || baseUrl.isBlank()) {
      missing.add("OPENAI_BASE_URL");
    }
    if (model == null || model.isBlank()) {
      missing.add("OPENAI_MODEL");
    }
    if (!missing.isEmpty()) {
      out.println("OpenAiCompatible: skipped, " + String.join(" and ", missing)
          + (missing.size() == 1 ? " is" : " are") + " not set. Set OPENAI_BASE_URL (the API"
          + " root, e.g. http://localhost:11434/v1) and OPENAI_MODEL (a model it serves), and"
          + " OPENAI_API_KEY if the endpoint needs one.");
      return Optional.empty();
    }

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("baseUrl", baseUrl);
    settings.put("models", model);
    String key = environment.apply("OPENAI_API_KEY");
    if (key != null && !key.isBlank()) {
      settings.put("apiKey", "${env:OPENAI_API_KEY}");   // resolved by the provider, never logged
    }
    ProviderConfig config = ProviderConfig.of("endpoint", settings, environment);

    try (LlmProvider endpoint = ProviderRegistry.load().create("openai", config);
        HapsRouter router = HapsRouter.withDefaults()) {
      RoutingClient.Builder builder = RoutingClient.builder()
          .router(router)
          .provider("endpoint", endpoint);
      for (Candidate c : router.candidates()) {
        builder.candidate(c.model(), "endpoint", model);   // every candidate -> that one model
      }
      try (RoutingClient client = builder.build()) {
        CallResult result = client.call(RouteRequest.of(question, 0.5));
        out.println(result.text());
        out.println("-- " + result.summary());
        return Optional.of(result);
      }
    }
  }
}
