package dev.haps.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.spi.ProviderConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSettingsTest {

  private static EndpointSettings of(Map<String, String> s, boolean keyRequired) {
    return EndpointSettings.from(ProviderConfig.of("p", s, name -> null), "https://d/v1",
        keyRequired);
  }

  @Test
  void from_defaults_apply() {
    EndpointSettings s = of(Map.of(), false);
    assertThat(s.baseUrl()).hasToString("https://d/v1");
    assertThat(s.apiKey()).isEmpty();
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.models()).isEmpty();
    assertThat(s.serves("anything")).isTrue();
  }

  @Test
  void from_trailingSlashAndModels_areNormalised() {
    EndpointSettings s = of(Map.of("baseUrl", "http://127.0.0.1:8000/v1/",
        "models", "[\"a\", \"b\", \"a\"]", "requestTimeout", "1500"), false);
    assertThat(s.endpoint("/chat/completions"))
        .hasToString("http://127.0.0.1:8000/v1/chat/completions");
    assertThat(s.models()).containsExactly("a", "b");
    assertThat(s.callTimeout(Duration.ofSeconds(60))).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.callTimeout(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
    assertThat(of(Map.of("models", "a, b ,,c"), false).models()).containsExactly("a", "b", "c");
  }

  @Test
  void requireServed_undeclaredModel_namesTheModels() {
    EndpointSettings s = of(Map.of("models", "a,b"), false);
    assertThatThrownBy(() -> s.requireServed("c"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not serve model 'c'", "[a, b]");
  }

  @Test
  void from_envKeyUnset_namesTheVariable() {
    assertThatThrownBy(() -> of(Map.of("apiKey", "${env:MY_LLM_KEY}"), false))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("environment variable MY_LLM_KEY, which is not set");
  }

  @Test
  void from_requiredKeyMissing_namesTheSetting() {
    assertThatThrownBy(() -> of(Map.of(), true))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs setting 'apiKey'");
  }

  @Test
  void from_badUrlOrTimeout_isRejected() {
    assertThatThrownBy(() -> of(Map.of("baseUrl", "ftp://x"), false))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'ftp://x'");
    assertThatThrownBy(() -> of(Map.of("requestTimeout", "0"), false))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is zero");
    assertThatThrownBy(() -> of(Map.of("models", "[1]"), false))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("JSON array");
  }
}
