package dev.haps.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.data.internal.Closing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingTest {

  @Test
  void closeAll_closesEveryOne_firstFailureIsTheCause_laterOnesSuppressed() {
    List<String> closed = new ArrayList<>();
    IOException first = new IOException("disk full");
    IllegalStateException second = new IllegalStateException("busy");
    List<AutoCloseable> all = List.of(
        () -> closed.add("a"),
        () -> {
          closed.add("b");
          throw first;
        },
        () -> {
          closed.add("c");
          throw second;
        },
        () -> closed.add("d"));
    assertThatThrownBy(() -> Closing.closeAll("the thing", all))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("closing the thing failed: java.io.IOException: disk full")
        .hasCause(first)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
    assertThat(closed).containsExactly("a", "b", "c", "d");
  }

  @Test
  void closeAll_nothingFails_returns() {
    List<String> closed = new ArrayList<>();
    Closing.closeAll("x", List.of(() -> closed.add("a")));
    assertThat(closed).containsExactly("a");
  }
}
