package dev.haps.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Issue 16.21: completions are built by name, priced once from a table, timed from the start. */
class CompletionTest {

  private static final PriceTable PRICES = PriceTable.from(ProviderConfig.of("p", Map.of(
      "price.o3-mini.input", "1.1", "price.o3-mini.output", "4.4")));

  @Test
  void builder_pricesUsageWithReasoningAsOutputAndMeasuresLatency() {
    long start = System.nanoTime();
    Completion c = Completion.builder("4", "o3-mini")
        .usage(new TokenUsage(1_000, 2_500, 2_000))
        .priceFrom(PRICES)
        .timedFrom(start)
        .attribute("finish_reason", "stop")
        .build();
    // 1,000 input tokens at $1.10/M + 2,500 output tokens (2,000 of them reasoning) at $4.40/M.
    assertThat(c.costUsd()).isCloseTo((1_000 * 1.1 + 2_500 * 4.4) / 1e6, Offset.offset(1e-15));
    assertThat(c.costUsd()).isCloseTo(0.0121, Offset.offset(1e-15));
    assertThat(c.usage().answerTokens()).isEqualTo(500);
    assertThat(c.latency()).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(c.attributes()).containsExactly(Map.entry("finish_reason", "stop"));
  }

  @Test
  void builder_unknownPriceOrUsage_costsNaN() {
    assertThat(Completion.builder("x", "unpriced").usage(new TokenUsage(1, 1)).priceFrom(PRICES)
        .latency(Duration.ZERO).build().cost()).isEmpty();
    Completion noUsage = Completion.builder("x", "o3-mini").priceFrom(PRICES)
        .latency(Duration.ofMillis(3)).build();
    assertThat(noUsage.cost()).isEmpty();
    assertThat(noUsage.usage()).isEqualTo(TokenUsage.NONE);
    assertThat(Completion.builder("x", "m").usage(new TokenUsage(10, 10))
        .price(new PriceTable.Price(1, 2)).latency(Duration.ZERO).build().costUsd())
        .isCloseTo(30 / 1e6, Offset.offset(1e-15));
  }

  @Test
  void builder_missingLatencyOrDoubleAssignment_sayWhat() {
    assertThatThrownBy(() -> Completion.builder("x", "m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the completion of model 'm' has no latency; call timedFrom(start) with"
            + " System.nanoTime() taken when the call began, or latency(duration)");
    assertThatThrownBy(() -> Completion.builder("x", "m").costUsd(0.5).priceFrom(PRICES))
        .hasMessage("the cost of the completion is already set (costUsd 0.5); set it once");
    assertThatThrownBy(() -> Completion.builder("x", "m").latency(Duration.ZERO).timedFrom(0))
        .hasMessage("the latency of the completion is already set (PT0S); set it once");
    assertThatThrownBy(() -> Completion.builder("x", "m").costUsd(-1))
        .hasMessage("cost must be finite and at least 0 (NaN when unknown), got -1.0");
  }

  @Test
  void tokenUsage_reasoningIsPartOfOutput() {
    assertThat(new TokenUsage(3, 4)).isEqualTo(new TokenUsage(3, 4, 0));
    assertThat(new TokenUsage(3, 4, 4).totalTokens()).isEqualTo(7);
    assertThatThrownBy(() -> new TokenUsage(3, 4, 5))
        .hasMessage("reasoning tokens 5 exceed the 4 output tokens they are part of;"
            + " count reasoning inside output");
  }
}
