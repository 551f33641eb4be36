package dev.haps.api.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.InvalidParameterException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterValuesTest {

  private final ParameterSpace space = ParameterSpace.of(
      FloatSpec.of("temperature", 0, 2, 1),
      IntSpec.of("max_tokens", 1, 4096, 512),
      CategoricalSpec.of("prompt_style", "baseline", "baseline", "concise"));

  @Test
  void builder_canonicalisesNumbers() {
    ParameterValues v = ParameterValues.builder()
        .put("max_tokens", 12).put("temperature", 0.5f).put("prompt_style", "concise").build();
    assertThat(v.asMap()).containsEntry("max_tokens", 12L).containsEntry("temperature", 0.5);
    assertThat(v.getLong("max_tokens")).isEqualTo(12L);
    assertThat(v.getDouble("max_tokens")).isEqualTo(12.0);
    assertThat(v.getString("prompt_style")).isEqualTo("concise");
    assertThat(v.names()).containsExactly("max_tokens", "temperature", "prompt_style");
  }

  @Test
  void equality_ignoresInsertionOrder_andComparesTensorsByContent() {
    ParameterValues a = ParameterValues.of(Map.of("x", 1.0, "w", new float[] {1, 2}));
    ParameterValues b = ParameterValues.builder().put("w", new float[] {1, 2}).put("x", 1.0).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(b.with("x", 2.0));
  }

  @Test
  void tensors_areCopiedInAndOut() {
    float[] w = {1, 2, 3};
    ParameterValues v = ParameterValues.builder().put("w", w).build();
    w[0] = 99;
    assertThat(v.getTensor("w")).containsExactly(1, 2, 3);
    v.getTensor("w")[1] = 42;
    assertThat(v.getTensor("w")).containsExactly(1, 2, 3);
    assertThat(v.toString()).isEqualTo("{w=float[3]}");
  }

  @Test
  void getters_wrongTypeOrMissing_sayWhat() {
    ParameterValues v = ParameterValues.builder().put("temperature", 0.3).build();
    assertThatThrownBy(() -> v.getLong("temperature"))
        .hasMessage("parameter 'temperature' = 0.3 is not a whole number; use getDouble");
    assertThatThrownBy(() -> v.getString("temperature"))
        .hasMessage("parameter 'temperature' is a Double, not a String");
    assertThatThrownBy(() -> v.getDouble("top_p"))
        .hasMessage("parameter 'top_p' has no value; set: [temperature]");
  }

  @Test
  void builder_rejectsNullAndUnsupportedTypes() {
    assertThatThrownBy(() -> ParameterValues.builder().put("a", null))
        .hasMessage("parameter 'a' value must not be null");
    assertThatThrownBy(() -> ParameterValues.builder().put("a", List.of(1)))
        .hasMessageContaining("unsupported value type").hasMessageContaining("use a number");
  }

  @Test
  void space_validate_unknownName_listsDeclared() {
    ParameterValues v = ParameterValues.builder().put("top_k", 5).build();
    assertThatThrownBy(() -> space.validate(v))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'top_k' = 5 is invalid: not a declared parameter; declared: "
            + "[temperature, max_tokens, prompt_style]");
  }

  @Test
  void space_validate_outOfRange_failsAndPartialIsFine() {
    assertThatThrownBy(() -> space.validate(ParameterValues.builder().put("temperature", 3).build()))
        .hasMessage("parameter 'temperature' = 3 is invalid: above the maximum 2.0");
    space.validate(ParameterValues.builder().put("prompt_style", "concise").build());
    space.validate(ParameterValues.empty());
  }

  @Test
  void space_defaults_coverEveryParameter() {
    ParameterValues d = space.defaults();
    assertThat(d.asMap()).containsExactly(
        Map.entry("temperature", 1.0), Map.entry("max_tokens", 512L),
        Map.entry("prompt_style", "baseline"));
    space.validate(d);
  }

  @Test
  void space_duplicateNames_rejected() {
    assertThatThrownBy(() -> ParameterSpace.of(FloatSpec.of("t", 0, 1, 0), IntSpec.of("t", 0, 1, 0)))
        .hasMessage("duplicate parameter name 't'");
    assertThat(ParameterSpace.of(List.of())).isSameAs(ParameterSpace.empty());
    assertThat(space.spec("max_tokens")).containsInstanceOf(IntSpec.class);
    assertThat(space.spec("nope")).isEmpty();
  }

  @Test
  void validate_wholeDoubleForIntSpec_comesBackAsLong() {
    // Issue 16.17: Map.of("max_tokens", 5.0) passed validation and stayed a Double.
    ParameterValues given = ParameterValues.of(Map.of("max_tokens", 5.0));
    assertThatThrownBy(() -> given.getLong("max_tokens"))
        .hasMessageContaining("is stored as a Double; check the values with"
            + " ParameterSpace.validate");

    ParameterValues checked = space.validate(given);
    assertThat(checked.asMap()).containsEntry("max_tokens", 5L);
    assertThat(checked.getLong("max_tokens")).isEqualTo(5L);
  }

  @Test
  void validate_keepsOrderAndLeavesAbsentParametersAbsent() {
    ParameterValues checked = space.validate(ParameterValues.builder()
        .put("prompt_style", "concise").put("temperature", 1).build());
    assertThat(checked.names()).containsExactly("prompt_style", "temperature");
    assertThat(checked.asMap()).containsEntry("temperature", 1.0);
    assertThat(space.validate(ParameterValues.empty())).isSameAs(ParameterValues.empty());
    assertThatThrownBy(() -> space.validate(ParameterValues.of(Map.of("max_tokens", 5.5))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'max_tokens' = 5.5 is invalid: expected a whole number in [1, 4096]");
  }
}
