package dev.haps.runtime.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.api.error.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.haps.spi.Truncation;

/** Truncation rules and the long-text window path, against tokenizing the full text. */
class QueryTokenizerTest {

  private static HfTokenizer tokenizer;
  private static long alpha;
  private static long omega;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        QueryTokenizerTest.class
            .getClassLoader()
            .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      tokenizer =
          HfTokenizer.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "test resource");
    }
    alpha = single("alpha");
    omega = single("omega");
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static long single(String word) {
    long[] ids = tokenizer.contentIds(word);
    assertThat(ids).hasSize(1);
    return ids[0];
  }

  @Test
  void load_bertTemplate_clsBeforeSepAfter() {
    assertThat(tokenizer.prefix()).containsExactly(101L);
    assertThat(tokenizer.suffix()).containsExactly(102L);
    assertThat(tokenizer.fullIds("hello world")).containsExactly(101, 7592, 2088, 102);
  }

  @Test
  void tokenize_shortText_keepsAllTokensWithSpecials() {
    QueryTokenizer q = new QueryTokenizer(tokenizer, 256, Truncation.HEAD);
    Tokenized t = q.tokenize("Hello, world!");
    assertThat(t.ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
    assertThat(t.truncated()).isFalse();
  }

  @Test
  void tokenize_head_keepsFirstTokens() {
    String text = "alpha ".repeat(300) + "omega ".repeat(300);
    Tokenized t = new QueryTokenizer(tokenizer, 64, Truncation.HEAD).tokenize(text);
    long[] ids = t.ids();
    assertThat(ids).hasSize(64);
    assertThat(t.truncated()).isTrue();
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[63]).isEqualTo(102);
    assertThat(Arrays.copyOfRange(ids, 1, 63)).containsOnly(alpha);
  }

  @Test
  void tokenize_tail_keepsLastTokens() {
    String text = "alpha ".repeat(300) + "omega ".repeat(300);
    long[] ids = new QueryTokenizer(tokenizer, 64, Truncation.TAIL).tokenize(text).ids();
    assertThat(ids).hasSize(64);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[63]).isEqualTo(102);
    assertThat(Arrays.copyOfRange(ids, 1, 63)).containsOnly(omega);
  }

  @Test
  void tokenize_headTail_keepsFirstQuarterAndLastThreeQuarters() {
    // budget 62 content tokens: head floor(62 / 4) = 15, tail 47
    String text = "alpha ".repeat(300) + "omega ".repeat(300);
    long[] ids = new QueryTokenizer(tokenizer, 64, Truncation.HEAD_TAIL).tokenize(text).ids();
    assertThat(ids).hasSize(64);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(Arrays.copyOfRange(ids, 1, 16)).containsOnly(alpha);
    assertThat(Arrays.copyOfRange(ids, 16, 63)).containsOnly(omega);
    assertThat(ids[63]).isEqualTo(102);
  }

  @Test
  void tokenize_headTailShortHeadAndTail_ordersHeadThenTail() {
    // a text of distinct numbered words, so that the kept positions are visible
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      sb.append("w").append(i).append(' ');
    }
    long[] content = tokenizer.contentIds(sb.toString());
    long[] ids = new QueryTokenizer(tokenizer, 22, Truncation.HEAD_TAIL).tokenize(sb.toString()).ids();
    // budget 20: head 5, tail 15
    long[] expected = new long[22];
    expected[0] = 101;
    System.arraycopy(content, 0, expected, 1, 5);
    System.arraycopy(content, content.length - 15, expected, 6, 15);
    expected[21] = 102;
    assertThat(ids).containsExactly(expected);
  }

  @Test
  void tokenize_exactlyBudget_notTruncated() {
    QueryTokenizer q = new QueryTokenizer(tokenizer, 12, Truncation.HEAD);
    Tokenized t = q.tokenize("alpha ".repeat(10));
    assertThat(t.length()).isEqualTo(12);
    assertThat(t.truncated()).isFalse();
    assertThat(q.tokenize("alpha ".repeat(11)).truncated()).isTrue();
  }

  @Test
  void tokenize_onlyControlCharacters_clearError() {
    QueryTokenizer q = new QueryTokenizer(tokenizer, 16, Truncation.HEAD);
    assertThatThrownBy(() -> q.tokenize("\u0001\u0002\u200b"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no tokens after normalisation")
        .hasMessageContaining("length 3");
  }

  @Test
  void tokenize_anyLength_neverThrows() {
    Random random = new Random(7);
    for (Truncation truncation : Truncation.values()) {
      QueryTokenizer q = new QueryTokenizer(tokenizer, 5, truncation);
      for (int length : new int[] {1, 2, 3, 4, 5, 50, 5_000, 70_000}) {
        Tokenized t = q.tokenize(randomText(random, length) + "x");
        assertThat(t.length()).isBetween(3, 5);
      }
    }
  }

  @Test
  void windowed_longRealText_equalsFullTokenization() {
    String text = SharedQueries.longText(60_000);
    for (Truncation truncation : Truncation.values()) {
      for (int maxTokens : new int[] {8, 256, 512}) {
        QueryTokenizer q = new QueryTokenizer(tokenizer, maxTokens, truncation);
        Tokenized windowed = q.tokenizeWindowed(text);
        assertThat(windowed).as("%s at %d takes the window path", truncation, maxTokens).isNotNull();
        assertThat(windowed).isEqualTo(q.tokenizeFully(text));
        assertThat(q.tokenize(text)).isEqualTo(windowed);
      }
    }
  }

  @Test
  void windowed_cutsAtEveryOffsetOfRealText_equalFullTokenization() {
    // Slide the text start and end so that window cuts fall inside words, between combining
    // marks, inside whitespace runs and at punctuation.
    String base = SharedQueries.longText(6_000);
    for (Truncation truncation : Truncation.values()) {
      QueryTokenizer q = new QueryTokenizer(tokenizer, 16, truncation);
      for (int shift = 0; shift < 24; shift++) {
        String text = base.substring(shift, base.length() - (23 - shift));
        Tokenized windowed = q.tokenizeWindowed(text);
        assertThat(windowed).isNotNull();
        assertThat(windowed).as("%s shift %d", truncation, shift).isEqualTo(q.tokenizeFully(text));
      }
    }
  }

  @Test
  void windowed_randomUnicodeTexts_equalFullTokenizationOrDecline() {
    Random random = new Random(20260101);
    int windowed = 0;
    for (int round = 0; round < 60; round++) {
      String text = randomText(random, 2_000 + random.nextInt(4_000));
      Truncation truncation = Truncation.values()[round % 3];
      QueryTokenizer q = new QueryTokenizer(tokenizer, 16 + random.nextInt(48), truncation);
      Tokenized w = q.tokenizeWindowed(text);
      Tokenized full = q.tokenizeFully(text);
      if (w != null) {
        windowed++;
        assertThat(w).as("round %d %s", round, truncation).isEqualTo(full);
      }
      assertThat(q.tokenize(text)).isEqualTo(full);
    }
    assertThat(windowed).as("rounds that took the window path").isGreaterThan(40);
  }

  @Test
  void windowed_whitespaceHeavyText_growsWindowOrFallsBack() {
    String text = " ".repeat(50_000) + "alpha omega ".repeat(400) + "\n".repeat(50_000);
    for (Truncation truncation : Truncation.values()) {
      QueryTokenizer q = new QueryTokenizer(tokenizer, 64, truncation);
      assertThat(q.tokenize(text)).isEqualTo(q.tokenizeFully(text));
    }
  }

  @Test
  void tokenize_oneMegabyte_fasterThanFullTokenizationOf50kB() {
    String text = SharedQueries.longText(1_000_000).substring(0, 1_000_000);
    String part = text.substring(0, 50_000);
    for (Truncation truncation : Truncation.values()) {
      QueryTokenizer q = new QueryTokenizer(tokenizer, 256, truncation);
      assertThat(q.tokenize(text).length()).isEqualTo(256);
      long windowed = OnnxQueryEncoderTest.fastest(() -> q.tokenize(text));
      long full = OnnxQueryEncoderTest.fastest(() -> q.tokenizeFully(part));
      assertThat(windowed).as("%s: 1 MB windowed vs 50 kB in full, ns", truncation).isLessThan(full);
    }
  }

  // Letters of several scripts, digits, punctuation, emoji, combining marks, whitespace runs.
  static String randomText(Random random, int length) {
    String[] alphabet = {
      "a", "b", "e", "t", "Q", "é", "ü", "ß", "\u0301", "東", "京", "の", "가", "ب", "ש", "Ж", "λ",
      "😀", "👩‍💻", "1", "7", ".", ",", "!", "-", "'", "(", "\n", "\t", " ", " ", " ", " ", "  ",
      "\u200b", "\u0007", "ﬁ", "Ａ"
    };
    List<String> parts = new ArrayList<>();
    int n = 0;
    while (n < length) {
      String s = alphabet[random.nextInt(alphabet.length)];
      parts.add(s);
      n += s.length();
    }
    return String.join("", parts);
  }
}
