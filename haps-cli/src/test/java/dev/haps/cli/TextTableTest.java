package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void toString_padsColumnsAndRightAlignsMarkedOnes() {
    String t = new TextTable("router", ">score").row("HAPS", "0.81").row("cheapest", "0.5")
        .toString();

    assertThat(t.lines()).containsExactly(
        "router    score",
        "---------------",
        "HAPS       0.81",
        "cheapest    0.5");
  }

  @Test
  void row_wrongCellCount_fails() {
    assertThatThrownBy(() -> new TextTable("a", "b").row("x"))
        .hasMessage("row has 1 cells, the table 2 columns");
  }
}
