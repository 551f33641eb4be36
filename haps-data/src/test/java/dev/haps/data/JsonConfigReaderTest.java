package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.internal.JsonConfigReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonConfigReaderTest {

  private final JsonConfigReader r = new JsonConfigReader("config", "x.json", Path.of("/etc/h"),
      Map.of("PORT", "8080", "WAIT", "PT2S")::get);

  private static JsonNode json(String s) {
    return JsonConfigReader.parse("config x.json", s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reads_typedValues_withEnvironmentReferences() {
    JsonNode n = json("{\"a\": \"${env:PORT}\", \"b\": 2.5, \"c\": \"${env:WAIT}\", \"d\": 300,"
        + " \"e\": \"yes\", \"f\": \"rel/x\", \"g\": 0}");
    assertThat(r.integer("a", n.path("a"), 0, 65535)).isEqualTo(8080);
    assertThat(r.number("b", n.path("b"))).isEqualTo(2.5);
    assertThat(r.duration("c", n.path("c"))).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.positiveDuration("d", n.path("d"))).isEqualTo(Duration.ofMillis(300));
    assertThat(r.duration("g", n.path("g"))).isEqualTo(Duration.ZERO);
    assertThat(r.flag("e", n.path("e"))).isTrue();
    assertThat(r.path("f", n.path("f"))).isEqualTo(Path.of("/etc/h/rel/x"));
    assertThat(r.source()).isEqualTo("config x.json");
    assertThat(r.file()).isEqualTo("x.json");
  }

  @Test
  void mistakes_nameTheFileTheKeyAndWhatWasAllowed() {
    JsonNode n = json("{\"a\": 2.5, \"b\": \"soon\", \"c\": \"${env:NOPE}\", \"d\": 0,"
        + " \"e\": {\"x\": 1}}");
    assertThatThrownBy(() -> r.integer("a", n.path("a"), 1, 10))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("config x.json: \"a\" = 2.5 must be a whole number in [1, 10]");
    assertThatThrownBy(() -> r.duration("b", n.path("b")))
        .hasMessageContaining("config x.json: \"b\" = 'soon' is not a duration");
    assertThatThrownBy(() -> r.text("c", n.path("c")))
        .hasMessageContaining("references environment variable NOPE, which is not set");
    assertThatThrownBy(() -> r.positiveDuration("d", n.path("d")))
        .hasMessageContaining("\"d\" = PT0S must be positive");
    assertThatThrownBy(() -> r.onlyKeys(n.path("e"), "e", Set.of("y")))
        .hasMessage("config x.json: \"e.x\" is not a known key; known here: [y]");
    assertThatThrownBy(() -> json("{\"a\": "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("config x.json is not valid JSON: ").hasMessageContaining("line 1");
  }

  @Test
  void withoutEnvironment_stringsAreTakenAsWritten() {
    JsonConfigReader plain = new JsonConfigReader("collect config", "c.json", null, null);
    assertThat(plain.text("a", json("{\"a\": \"${env:X}\"}").path("a"))).isEqualTo("${env:X}");
    assertThat(plain.env()).isEmpty();
    assertThat(plain.resolvePath("rel")).isEqualTo(Path.of("rel"));
  }
}
