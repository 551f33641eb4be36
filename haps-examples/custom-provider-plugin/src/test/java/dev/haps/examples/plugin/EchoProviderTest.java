package dev.haps.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.ParameterValues;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.ProviderRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template plugin's own test: what a copied plugin starts with. */
class EchoProviderTest {

  private static LlmProvider echo(Map<String, String> settings) {
    return ProviderRegistry.load().create("echo", ProviderConfig.of("my-echo", settings));
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of(EchoProvider.MODEL, List.of(ChatMessage.user(text)));
  }

  @Test
  void complete_wholeNumberGivenAsDouble_isAnInt() {
    // Issue 16.17: ParameterValues.of(Map.of("max_chars", 5.0)) failed in getLong.
    Completion c = echo(Map.of()).complete(ask("hello world"),
        ParameterValues.of(Map.of("max_chars", 5.0, "case", "upper")));
    assertThat(c.text()).isEqualTo("HELLO");
  }

  @Test
  void complete_pricesOnceFromTheTableAndMeasuresLatency() {
    Completion c = echo(Map.of("price.echo-1.input", "1", "price.echo-1.output", "2"))
        .complete(ask("one two three"), ParameterValues.empty());
    assertThat(c.usage().inputTokens()).isEqualTo(3);
    assertThat(c.costUsd()).isEqualTo((3 * 1.0 + 3 * 2.0) / 1e6);
    assertThat(c.latency().isNegative()).isFalse();
    assertThat(echo(Map.of()).complete(ask("x"), ParameterValues.empty()).cost()).isEmpty();
  }

  @Test
  void badInput_failsWithMessagesThatNameIt() {
    assertThatThrownBy(() -> echo(Map.of()).complete(ask("x"),
        ParameterValues.of(Map.of("max_chars", 5.5))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'max_chars' = 5.5 is invalid: expected a whole number in"
            + " [1, 10000]");
    // Issue 16.20: a malformed setting names the provider, the setting and the value.
    assertThatThrownBy(() -> echo(Map.of("defaultMaxChars", "lots")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("provider 'my-echo' setting 'defaultMaxChars' = 'lots' is not a whole"
            + " number; give one in [1, 10000]");
  }
}
