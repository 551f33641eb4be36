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
import dev.haps.spi.PriceTable;
import dev.haps.spi.TokenUsage;
import java.util.List;
import java.util.Locale;

/**
 * The provider the {@link EchoProviderFactory} creates. It serves one model, {@code echo-1},
 * with two tunable parameters, to show how a plugin declares, validates and applies them:
 *
 * <ul>
 *   <li>{@code case}: categorical {@code as_is | upper | lower}, default {@code as_is};
 *   <li>{@code max_chars}: int in [1, 10000], default from the {@code defaultMaxChars} setting
 *       (200) — the answer is cut to this length.
 * </ul>
 *
 * <p>Thread-safe: it holds no mutable state.
 *
 * @since 0.1.0
 */
public final class EchoProvider implements LlmProvider {

  /** The one model this provider serves. */
  public static final String MODEL = "echo-1";

  private final String id;
  private final ParameterSpace space;
  private final PriceTable prices;

  EchoProvider(String id, long defaultMaxChars, PriceTable prices) {
    this.id = id;
    this.space = ParameterSpace.of(
        CategoricalSpec.of("case", "as_is", "as_is", "upper", "lower"),
        IntSpec.of("max_chars", 1, 10_000, defaultMaxChars));
    this.prices = prices;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public List<ModelInfo> models() {
    PriceTable.Price p = prices.price(MODEL).orElse(null);
    return List.of(new ModelInfo(MODEL, space, p == null ? Double.NaN : p.inputPerMtok(),
        p == null ? Double.NaN : p.outputPerMtok()));
  }

  @Override
  public ParameterSpace parameterSpace(String modelName) {
    if (!MODEL.equals(modelName)) {
      throw new ConfigurationException("provider '" + id + "' (echo) serves only model '" + MODEL
          + "', not '" + modelName + "'; map the candidate to model '" + MODEL + "'");
    }
    return space;
  }

  @Override
  public Completion complete(ChatRequest request, ParameterValues parameters) {
    long start = System.nanoTime();
    // Validate before doing any work, as the SPI contract asks: unknown names and values out of
    // range fail with InvalidParameterException naming the parameter. Use the values validate()
    // returns: they are canonical, so a max_chars of 5.0 (as JSON readers produce) is the Long 5.
    ParameterValues given = parameterSpace(request.model()).validate(parameters);
    String mode = given.names().contains("case") ? given.getString("case") : "as_is";
    long max = given.names().contains("max_chars")
        ? given.getLong("max_chars")
        : (Long) space.spec("max_chars").orElseThrow().defaultValue();

    String last = "";
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER) {
        last = m.content();
      }
    }
    String text = applyCase(last, mode);
    if (text.length() > max) {
      text = text.substring(0, (int) max);
    }
    return Completion.builder(text, MODEL)
        .usage(new TokenUsage(words(last), words(text)))
        .priceFrom(prices)       // the cost, computed once from the price.echo-1.* settings
        .timedFrom(start)        // the latency, measured at build()
        .attribute("finish_reason", "stop")
        .build();
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
