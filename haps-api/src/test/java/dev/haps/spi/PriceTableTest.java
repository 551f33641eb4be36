package dev.haps.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  @Test
  void from_dottedModelNames_parseAndCost() {
    PriceTable t = PriceTable.from(ProviderConfig.of("p", Map.of(
        "price.gpt-3.5-turbo.input", "1.5", "price.gpt-3.5-turbo.output", "2",
        "baseUrl", "http://x")));
    assertThat(t.price("gpt-3.5-turbo")).contains(new PriceTable.Price(1.5, 2.0));
    assertThat(t.costUsd("gpt-3.5-turbo", new TokenUsage(1_000_000, 500_000)))
        .isEqualTo(2.5);
    assertThat(t.costUsd("other", new TokenUsage(1, 1))).isNaN();
  }

  @Test
  void from_oneSidedPrice_isRejectedNamingBothSettings() {
    assertThatThrownBy(() -> PriceTable.from(ProviderConfig.of("p",
        Map.of("price.m.input", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("price.m.input and price.m.output");
  }

  @Test
  void from_negativeOrBadName_isRejected() {
    assertThatThrownBy(() -> PriceTable.from(ProviderConfig.of("p",
        Map.of("price.m.input", "-1", "price.m.output", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'price.m.input' = -1.0 is not a price");
    assertThatThrownBy(() -> PriceTable.from(ProviderConfig.of("p",
        Map.of("price.m.cached", "1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'price.m.cached' is not a price entry");
  }
}
