package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "0.5", " 0.25 ", "1e-3"})
  void costWeight_inRange_parses(String v) {
    assertThat(Converters.CostWeight.parse(v)).isBetween(0.0, 1.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0001", "-0", "NaN", "Infinity", "-1"})
  void costWeight_outOfRange_isRejected(String v) {
    if (v.equals("-0")) {
      // -0.0 compares equal to 0 and is a valid weight.
      assertThat(Converters.CostWeight.parse(v)).isZero();
      return;
    }
    assertThatThrownBy(() -> Converters.CostWeight.parse(v))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("cost weight " + v + " is outside [0, 1]; use 0 for best quality, 1 for"
            + " lowest cost, or a value in between");
  }

  @Test
  void path_empty_isRejected() {
    assertThatThrownBy(() -> Converters.path(" "))
        .hasMessage("the path is empty; give a file or directory");
  }

  @Test
  void existingBundle_existingDirectory_isAccepted() {
    Path here = Path.of(".");
    assertThat(new Converters.ExistingBundle().convert(".")).isEqualTo(here);
  }
}
