package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  @Test
  void normalize_whitespaceRuns_becomeOneSpaceAndEndsAreTrimmed() {
    assertThat(TextNormalizer.normalize("  What\tis\n\n the  capital?\r\n"))
        .isEqualTo("What is the capital?");
    assertThat(TextNormalizer.normalize("\u2003a\u2028b\u3000")).isEqualTo("a b");
    assertThat(TextNormalizer.normalize(" \t\n")).isEmpty();
  }

  @Test
  void normalize_decomposedAccents_becomeNfc() {
    assertThat(TextNormalizer.normalize("Cafe\u0301")).isEqualTo("Caf\u00e9");
  }

  @Test
  void normalize_alreadyNormal_returnsSameInstance() {
    String s = "already normal text, caf\u00e9 \uD83D\uDE00";
    assertThat(TextNormalizer.normalize(s)).isSameAs(s);
  }

  @Test
  void normalize_noBreakSpaceAndControlCharacters_areKept() {
    // U+00A0 is not Character.isWhitespace; the tokenizer decides what it means.
    assertThat(TextNormalizer.normalize("a\u00a0b\u0000c")).isEqualTo("a\u00a0b\u0000c");
  }

  @Test
  void normalize_unpairedSurrogate_doesNotThrow() {
    assertThat(TextNormalizer.normalize(" x\uD800 y ")).isEqualTo("x\uD800 y");
  }
}
