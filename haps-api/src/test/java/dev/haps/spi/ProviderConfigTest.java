package dev.haps.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {

  private final Map<String, String> env = Map.of("MY_KEY", "sk-secret-123", "BASE", "http://h:1");

  @Test
  void get_resolvesEnvironmentReferences() {
    ProviderConfig c = ProviderConfig.of("local",
        Map.of("apiKey", "${env:MY_KEY}", "baseUrl", "${env:BASE}/v1"), env::get);
    assertThat(c.require("apiKey")).isEqualTo("sk-secret-123");
    assertThat(c.get("baseUrl")).hasValue("http://h:1/v1");
    assertThat(c.get("missing")).isEmpty();
  }

  @Test
  void get_unsetVariable_namesItAndNeverShowsSecrets() {
    ProviderConfig c = ProviderConfig.of("local", Map.of("apiKey", "${env:OPENAI_API_KEY}"),
        env::get);
    assertThatThrownBy(() -> c.require("apiKey"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("provider 'local' setting 'apiKey' references environment variable "
            + "OPENAI_API_KEY, which is not set; export OPENAI_API_KEY or put the value in the"
            + " configuration");
  }

  @Test
  void toString_masksSecretLookingSettings() {
    ProviderConfig c = ProviderConfig.of("p", Map.of("apiKey", "sk-literal", "baseUrl", "u"));
    assertThat(c.toString()).contains("apiKey=****", "baseUrl=u").doesNotContain("sk-literal");
  }

  @Test
  void require_missingOrBlank_saysWhichSetting() {
    ProviderConfig c = ProviderConfig.of("p", Map.of("baseUrl", " "));
    assertThatThrownBy(() -> c.require("model"))
        .hasMessage("provider 'p' needs setting 'model'; present: [baseUrl]");
    assertThatThrownBy(() -> c.require("baseUrl"))
        .hasMessage("provider 'p' setting 'baseUrl' is blank; give it a value");
  }

  @Test
  void typedGetters_parseOrExplain() {
    ProviderConfig c = ProviderConfig.of("p",
        Map.of("t1", "1500", "t2", "PT2S", "bad", "soon", "price", "2.5", "nan", "x"));
    assertThat(c.getDuration("t1", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.getDuration("t2", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.getDuration("absent", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
    assertThatThrownBy(() -> c.getDuration("bad", Duration.ZERO))
        .hasMessage("provider 'p' setting 'bad' = 'soon' is not a duration; use milliseconds"
            + " (30000) or ISO-8601 (PT30S)");
    assertThat(c.getDouble("price", 0)).isEqualTo(2.5);
    assertThatThrownBy(() -> c.getDouble("nan", 0)).hasMessage("provider 'p' setting 'nan' = 'x' is not a number");
  }

  @Test
  void getIntLongBoolean_parseAndNameTheSettingWhenMalformed() {
    ProviderConfig c = ProviderConfig.of("mine", Map.of("retries", "3", "budget", "2048.0",
        "stream", "TRUE", "n", "lots", "flag", "yes", "big", "3000000000"), env::get);
    assertThat(c.getInt("retries", 1)).isEqualTo(3);
    assertThat(c.getInt("absent", 7)).isEqualTo(7);
    assertThat(c.getLong("budget", 0)).isEqualTo(2048L);
    assertThat(c.getLong("budget", 0, 1024, 4096)).isEqualTo(2048L);
    assertThat(c.getBoolean("stream", false)).isTrue();
    assertThat(c.getBoolean("absent", true)).isTrue();

    // Issue 16.20: a plugin's own Integer.parseInt surfaced as 'For input string: "lots"'.
    assertThatThrownBy(() -> c.getInt("n", 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("provider 'mine' setting 'n' = 'lots' is not a whole number;"
            + " give one in [-2147483648, 2147483647]");
    assertThatThrownBy(() -> c.getLong("n", 1))
        .hasMessage("provider 'mine' setting 'n' = 'lots' is not a whole number");
    assertThatThrownBy(() -> c.getInt("big", 1))
        .hasMessage("provider 'mine' setting 'big' = 3000000000 is outside"
            + " [-2147483648, 2147483647]; give a whole number in that range");
    assertThatThrownBy(() -> c.getLong("budget", 0, 1, 1024))
        .hasMessage("provider 'mine' setting 'budget' = 2048 is outside [1, 1024];"
            + " give a whole number in that range");
    assertThatThrownBy(() -> c.getBoolean("flag", false))
        .hasMessage("provider 'mine' setting 'flag' = 'yes' is not a boolean; use true or false");
  }
}
