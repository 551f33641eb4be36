package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.spi.ModelInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateSetTest {

  @TempDir Path tmp;

  private static CandidateSet parse(String json) {
    return CandidateSet.read("c.json",
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String withParam(String param) {
    return "{\"benchmark\":\"b\",\"models\":[{\"id\":\"m\",\"parameters\":[" + param + "]}]}";
  }

  @Test
  void read_convertsEveryParameterType() {
    CandidateSet set = Fixtures.toyCandidates();
    CandidateModel m = set.require("small");
    assertThat(m.parameters()).isEqualTo(ParameterSpace.of(
        FloatSpec.of("temperature", 0.0, 2.0, 1.0),
        IntSpec.of("max_tokens", 1, 4096, 256),
        CategoricalSpec.of("style", "short", "short", "long")));
    assertThat(m.observed()).containsOnlyKeys("temperature");
    assertThat(set.model("nope")).isEmpty();
    assertThat(set.license()).contains("MIT");
    assertThat(set.sourceRepo()).contains("a/b");
    ModelInfo info = m.toModelInfo();
    assertThat(info.costUsd(new dev.haps.spi.TokenUsage(1_000_000, 1_000_000))).isEqualTo(3.0);
  }

  @Test
  void write_thenRead_roundTrips() {
    CandidateSet set = Fixtures.toyCandidates();
    Path file = tmp.resolve("sub/candidates.json");
    set.write(file);
    CandidateSet back = CandidateSet.read(file);
    assertThat(back).isEqualTo(set);
    assertThat(back.license()).contains("MIT");
    assertThat(back.require("small").observed()).isEqualTo(set.require("small").observed());
  }

  @Test
  void require_unknownModel_listsModels() {
    assertThatThrownBy(() -> Fixtures.toyCandidates().require("huge"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("benchmark 'toy' has no candidate model 'huge'; its models: [small, big]");
  }

  @Test
  void read_unknownType_fails() {
    assertThatThrownBy(() -> parse(withParam("{\"name\":\"x\",\"type\":\"bool\"}")))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessage("c.json: models[0] (model 'm'): parameter 'x': unknown type 'bool';"
            + " expected float, int or categorical");
  }

  @Test
  void read_floatWithoutMax_fails() {
    assertThatThrownBy(() -> parse(withParam(
        "{\"name\":\"t\",\"type\":\"float\",\"min\":0,\"default\":0}")))
        .hasMessage("c.json: models[0] (model 'm'): parameter 't': field 'max' is missing or"
            + " null; required: min, max and default for a float parameter");
  }

  @Test
  void read_defaultOutsideRange_fails() {
    assertThatThrownBy(() -> parse(withParam(
        "{\"name\":\"t\",\"type\":\"float\",\"min\":0,\"max\":1,\"default\":2}")))
        .hasMessage("c.json: models[0] (model 'm'): parameter 't': float parameter 't' default"
            + " 2.0 is outside [0.0, 1.0]");
  }

  @Test
  void read_observedOutsideRange_fails() {
    assertThatThrownBy(() -> parse(withParam("{\"name\":\"t\",\"type\":\"float\",\"min\":0,"
        + "\"max\":1,\"default\":0,\"observed\":[0.5,1.5]}")))
        .hasMessage("c.json: models[0] (model 'm'): parameter 't': observed value 1.5 is outside"
            + " the declared range: parameter 't' = 1.5 is invalid: above the maximum 1.0");
  }

  @Test
  void read_duplicateModel_fails() {
    assertThatThrownBy(() -> parse("{\"benchmark\":\"b\",\"models\":[{\"id\":\"m\"},"
        + "{\"id\":\"m\"}]}"))
        .hasMessage("c.json: models[1]: model id 'm' is declared twice; ids must be unique");
  }

  @Test
  void read_noBenchmark_fails() {
    assertThatThrownBy(() -> parse("{\"models\":[]}"))
        .hasMessage("c.json: field 'benchmark' is missing or null; required: benchmark and"
            + " models");
  }

  @Test
  void read_badJson_givesPosition() {
    assertThatThrownBy(() -> parse("{\"benchmark\": \n oops}"))
        .hasMessageStartingWith("c.json: is not valid JSON: Unrecognized token 'oops'")
        .hasMessageContaining("at line 2 column");
  }

  @Test
  void read_missingFile_namesIt() {
    Path f = tmp.resolve("candidates.json");
    assertThatThrownBy(() -> CandidateSet.read(f))
        .isInstanceOf(OutcomeLogException.class)
        .hasMessageStartingWith(f + ": cannot read the candidate list (")
        .hasMessageContaining("NoSuchFileException");
    assertThat(Files.exists(f)).isFalse();
  }
}
