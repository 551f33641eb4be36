package dev.haps.examples.plugin;

import dev.haps.spi.LlmProvider;
import dev.haps.spi.LlmProviderFactory;
import dev.haps.spi.ProviderConfig;

/**
 * A complete provider plugin in one small module: this factory, {@link EchoProvider}, and the
 * line {@code dev.haps.examples.plugin.EchoProviderFactory} in
 * {@code META-INF/services/dev.haps.spi.LlmProviderFactory}. Nothing else names it: put the jar
 * on the class path and {@link dev.haps.spi.ProviderRegistry#load()} finds type {@code echo}.
 *
 * <p>Settings: {@code pricePerMtok} (optional, USD per million tokens, default 0).
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
    return new EchoProvider(config.id(), config.getDouble("pricePerMtok", 0.0));
  }
}
