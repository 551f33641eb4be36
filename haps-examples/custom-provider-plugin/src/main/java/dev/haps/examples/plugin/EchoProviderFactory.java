package dev.haps.examples.plugin;

import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.PriceTable;
import dev.haps.spi.ProviderConfig;

/**
 * A complete provider plugin in one small module: this factory, {@link EchoProvider}, and the
 * line {@code dev.haps.examples.plugin.EchoProviderFactory} in
 * {@code META-INF/services/dev.haps.spi.LlmProviderFactory}. Nothing else names it: put the jar
 * on the class path and {@link dev.haps.spi.ProviderRegistry#load()} finds type {@code echo}.
 *
 * <p>Settings, read with {@link ProviderConfig}'s typed getters so that a malformed value fails
 * with a message naming the provider, the setting and the value:
 *
 * <ul>
 *   <li>{@code defaultMaxChars}: the default of {@code max_chars}, a whole number in [1, 10000]
 *       (default 200);
 *   <li>{@code price.echo-1.input}, {@code price.echo-1.output}: USD per million tokens, as for
 *       every provider ({@link PriceTable}); without them the cost is unknown.
 * </ul>
 *
 * @since 0.1.0
 */
public final class EchoProviderFactory implements LlmProviderFactory {

  /** The type configuration files use to select this plugin. */
  public static final String TYPE = "echo";

  /** Used by {@link java.util.ServiceLoader}. */
  public EchoProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "echo: answers with the user's last turn, for wiring tests and as a plugin template";
  }

  @Override
  public LlmProvider create(ProviderConfig config) {
    return new EchoProvider(config.id(), config.getLong("defaultMaxChars", 200, 1, 10_000),
        PriceTable.from(config));
  }
}
