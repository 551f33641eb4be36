package dev.haps.examples.plugin;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The provider the {@link EchoProviderFactory} creates. It serves one model, {@code echo-1},
 * with two tunable parameters, to show how a plugin declares, validates and applies them:
 *
 * <ul>
 *   <li>{@code case}: categorical {@code as_is | upper | lower}, default {@code as_is};
 *   <li>{@code max_chars}: int in [1, 10000], default 200 — the answer is cut to this length.
 * </ul>
 *
 * <p>Thread-safe: it holds no mutable state.
 *
 * @since 0.1.0
 */
public final class EchoProvider implements LlmProvider {

  /** The one model this provider serves. */
  public static final String MODEL = "echo-1";

  /** The parameters of {@link #MODEL}. */
  public static final ParameterSpace SPACE = ParameterSpace.of(
      CategoricalSpec.of("case", "as_is", "as_is", "upper", "lower"),
      IntSpec.of("max_chars", 1, 10_000, 200));

  private final String id;
  private final ModelInfo model;

  EchoProvider(String id, double pricePerMtok) {
    this.id = id;
    this.model = new ModelInfo(MODEL, SPACE, pricePerMtok, pricePerMtok);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(model);
  }

  @Override
  public ParameterSpace parameterSpace(String modelName) {
    if (!MODEL.equals(modelName)) {
      throw new ConfigurationException("provider '" + id + "' (echo) serves only model '" + MODEL
          + "', not '" + modelName + "'; map the candidate to model '" + MODEL + "'");
    }
    return SPACE;
  }

  @Override
  public Completion complete(ChatRequest request, ParameterValues parameters) {
    long start = System.nanoTime();
    // Validate before doing any work, as the SPI contract asks: unknown names and values out of
    // range fail with InvalidParameterException naming the parameter.
    parameterSpace(request.model()).validate(parameters);
    ParameterValues p = withDefaults(parameters);

    String last = "";
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER) {
        last = m.content();
      }
    }
    String text = applyCase(last, p.getString("case"));
    int max = (int) p.getLong("max_chars");
    if (text.length() > max) {
      text = text.substring(0, max);
    }
    TokenUsage usage = new TokenUsage(words(last), words(text));
    return new Completion(text, MODEL, usage, model.costUsd(usage),
        Duration.ofNanos(System.nanoTime() - start), Map.of("finish_reason", "stop"));
  }

  private static ParameterValues withDefaults(ParameterValues given) {
    ParameterValues p = SPACE.defaults();
    for (String name : given.names()) {
      p = p.with(name, given.get(name).orElseThrow());
    }
    return p;
  }

  private static String applyCase(String s, String mode) {
    switch (mode) {
      case "upper":
        return s.toUpperCase(Locale.ROOT);
      case "lower":
        return s.toLowerCase(Locale.ROOT);
      default:
        return s;
    }
  }

  private static long words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
