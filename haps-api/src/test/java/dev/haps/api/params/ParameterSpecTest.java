package dev.haps.api.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.InvalidParameterException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterSpecTest {

  private final FloatSpec temperature = FloatSpec.of("temperature", 0.0, 2.0, 1.0);
  private final IntSpec maxTokens = IntSpec.of("max_tokens", 1, 4096, 512);
  private final CategoricalSpec style =
      CategoricalSpec.of("prompt_style", "baseline", "baseline", "concise", "composite");

  @Test
  void floatValidate_belowMin_namesParameterValueAndBound() {
    assertThatThrownBy(() -> temperature.validate(-0.5))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessage("parameter 'temperature' = -0.5 is invalid: below the minimum 0.0")
        .satisfies(e -> {
          InvalidParameterException ipe = (InvalidParameterException) e;
          assertThat(ipe.parameter()).isEqualTo("temperature");
          assertThat(ipe.value()).isEqualTo("-0.5");
        });
  }

  @Test
  void floatValidate_aboveMax_namesBound() {
    assertThatThrownBy(() -> temperature.validate(2.5))
        .hasMessage("parameter 'temperature' = 2.5 is invalid: above the maximum 2.0");
  }

  @Test
  void floatValidate_nanOrText_isRejected() {
    assertThatThrownBy(() -> temperature.validate(Double.NaN))
        .hasMessageContaining("expected a finite number in [0.0, 2.0]");
    assertThatThrownBy(() -> temperature.validate("hot"))
        .hasMessageContaining("'temperature' = hot").hasMessageContaining("expected a number");
  }

  @Test
  void floatValidate_inRange_returnsCanonicalDouble() {
    assertThat(temperature.validate(1)).isEqualTo(1.0);
    assertThat(temperature.validate(0.25f)).isEqualTo(0.25);
  }

  @Test
  void intValidate_fraction_isRejected() {
    assertThatThrownBy(() -> maxTokens.validate(10.5))
        .hasMessage("parameter 'max_tokens' = 10.5 is invalid: expected a whole number in [1, 4096]");
  }

  @Test
  void intValidate_wholeDouble_isAcceptedAsLong() {
    assertThat(maxTokens.validate(64.0)).isEqualTo(64L);
    assertThat(maxTokens.validate(64)).isEqualTo(64L);
  }

  @Test
  void intValidate_outOfRange_namesBound() {
    assertThatThrownBy(() -> maxTokens.validate(0))
        .hasMessage("parameter 'max_tokens' = 0 is invalid: below the minimum 1");
    assertThatThrownBy(() -> maxTokens.validate(5000L))
        .hasMessage("parameter 'max_tokens' = 5000 is invalid: above the maximum 4096");
  }

  @Test
  void categoricalValidate_unknownChoice_listsChoices() {
    assertThatThrownBy(() -> style.validate("verbose"))
        .hasMessage("parameter 'prompt_style' = 'verbose' is invalid: expected one of "
            + "[baseline, concise, composite]");
  }

  @Test
  void categorical_indexOf_followsDeclaredOrder() {
    assertThat(style.indexOf("concise")).isEqualTo(1);
    assertThat(style.indexOf("nope")).isEqualTo(-1);
  }

  @Test
  void tensorValidate_wrongLengthOrNonFinite_isRejected() {
    TensorSpec lora = new TensorSpec("lora_a", List.of(4, 2));
    assertThat(lora.size()).isEqualTo(8);
    assertThat((float[]) lora.defaultValue()).hasSize(8).containsOnly(0f);
    assertThatThrownBy(() -> lora.validate(new float[7]))
        .hasMessageContaining("expected 8 elements (shape [4, 2])");
    float[] bad = new float[8];
    bad[3] = Float.NaN;
    assertThatThrownBy(() -> lora.validate(bad)).hasMessageContaining("element 3 is NaN");
  }

  @Test
  void specConstruction_badDefinitions_failWithReason() {
    assertThatThrownBy(() -> FloatSpec.of("t", 1, 0, 0.5))
        .hasMessage("float parameter 't' has min 1.0 > max 0.0");
    assertThatThrownBy(() -> FloatSpec.of("t", 0, 1, 3))
        .hasMessage("float parameter 't' default 3.0 is outside [0.0, 1.0]");
    assertThatThrownBy(() -> FloatSpec.of("t", 0, Double.POSITIVE_INFINITY, 0))
        .hasMessageContaining("needs finite bounds");
    assertThatThrownBy(() -> IntSpec.of("n", 0, 10, 11))
        .hasMessage("int parameter 'n' default 11 is outside [0, 10]");
    assertThatThrownBy(() -> CategoricalSpec.of("s", "x", "a", "b"))
        .hasMessage("categorical parameter 's' default 'x' is not one of [a, b]");
    assertThatThrownBy(() -> CategoricalSpec.of("s", "a", "a", "a"))
        .hasMessageContaining("duplicate choices");
    assertThatThrownBy(() -> new TensorSpec("w", List.of(3, 0)))
        .hasMessageContaining("non-positive dimension");
    assertThatThrownBy(() -> FloatSpec.of(" ", 0, 1, 0)).hasMessage("parameter name must not be blank");
  }

  @Test
  void validate_randomValues_acceptsExactlyTheClosedRange() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      double v = rnd.nextDouble(-1, 3);
      boolean inside = v >= 0 && v <= 2;
      if (inside) {
        assertThat(temperature.validate(v)).isEqualTo(v);
      } else {
        assertThatThrownBy(() -> temperature.validate(v))
            .isInstanceOf(InvalidParameterException.class);
      }
    }
  }

  @Test
  void records_equalByValue() {
    assertThat(FloatSpec.of("t", 0, 1, 0.5)).isEqualTo(FloatSpec.of("t", 0, 1, 0.5))
        .hasSameHashCodeAs(FloatSpec.of("t", 0, 1, 0.5));
    assertThat(style.kind()).isEqualTo(ParameterSpec.Kind.CATEGORICAL);
  }
}
