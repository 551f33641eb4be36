package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.spi.ProviderRegistry;
import org.junit.jupiter.api.Test;

class PluginDiscoveryTest {

  @Test
  void load_findsTheExamplePluginAndTheBundledProviders() {
    ProviderRegistry registry = ProviderRegistry.load();

    assertThat(registry.types()).contains("echo", "replay", "openai");
    // Found through META-INF/services only: the apps module does not compile against the plugin.
    assertThat(registry.factory("echo").getClass().getName())
        .isEqualTo("dev.haps.examples.plugin.EchoProviderFactory");
  }
}
