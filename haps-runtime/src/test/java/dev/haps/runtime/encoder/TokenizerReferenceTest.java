package dev.haps.runtime.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.haps.spi.Truncation;

/**
 * DJL's token ids for the default tokenizer against ids from transformers.js, an independent
 * implementation (fixture made by {@code src/test/tokref/gen-fixture.mjs}).
 */
class TokenizerReferenceTest {

  private static HfTokenizer tokenizer;
  private static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    ClassLoader cl = TokenizerReferenceTest.class.getClassLoader();
    try (InputStream in = cl.getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      tokenizer =
          HfTokenizer.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "test resource");
    }
    try (InputStream in = cl.getResourceAsStream("tokenizer-reference.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void fixture_coversVariedStrings() {
    assertThat(fixture.path("cases").size()).isGreaterThanOrEqualTo(40);
    List<Integer> lengths = new ArrayList<>();
    fixture.path("cases").forEach(c -> lengths.add(c.path("text").asText().length()));
    assertThat(lengths).contains(0).anyMatch(n -> n > 15_000);
  }

  /**
   * The one known divergence, in transformers.js: JavaScript's {@code toLowerCase} lowers a
   * word-final capital sigma to final sigma (ς, id 19579 as {@code ##ς}), while the Rust
   * tokenizers library, which sentence-transformers uses through Python, lowers character by
   * character (σ, id 29733 as {@code ##σ}). The fixture keeps the JavaScript ids; this test
   * expects the Rust ones at exactly that position.
   */
  private static final Map<String, long[]> KNOWN_DIVERGENCES =
      Map.of("greek", new long[] {18, 19579, 29733});

  @Test
  void fullIds_everyFixtureString_matchesTransformersJs() {
    List<String> mismatches = new ArrayList<>();
    for (JsonNode c : fixture.path("cases")) {
      String name = c.path("name").asText();
      long[] expected = expected(c);
      if (!Arrays.equals(tokenizer.fullIds(c.path("text").asText()), expected)) {
        mismatches.add(name);
      }
    }
    assertThat(mismatches).as("cases whose ids differ from transformers.js").isEmpty();
  }

  @Test
  void knownDivergence_greekFinalSigma_onlyThatToken() {
    JsonNode greek = null;
    for (JsonNode c : fixture.path("cases")) {
      if (c.path("name").asText().equals("greek")) {
        greek = c;
      }
    }
    assertThat(greek).isNotNull();
    long[] js = ids(greek.path("ids"));
    long[] djl = tokenizer.fullIds(greek.path("text").asText());
    assertThat(js[18]).isEqualTo(19579);
    assertThat(djl[18]).isEqualTo(29733);
    djl[18] = js[18];
    assertThat(djl).containsExactly(js);
  }

  // The fixture's ids, with the known JavaScript-only divergences replaced by the Rust ids.
  private static long[] expected(JsonNode c) {
    long[] ids = ids(c.path("ids"));
    long[] divergence = KNOWN_DIVERGENCES.get(c.path("name").asText());
    if (divergence != null && ids[(int) divergence[0]] == divergence[1]) {
      ids[(int) divergence[0]] = divergence[2];
    }
    return ids;
  }

  @Test
  void tokenizeFully_untruncated_equalsReferenceIds() {
    // the encoder's own assembly: prefix + content ids + suffix, with a budget above every case
    QueryTokenizer q = new QueryTokenizer(tokenizer, 1 << 20, Truncation.HEAD);
    for (JsonNode c : fixture.path("cases")) {
      String text = c.path("text").asText();
      assertThat(q.tokenizeFully(text).ids()).as(c.path("name").asText()).containsExactly(expected(c));
    }
  }

  private static long[] ids(JsonNode array) {
    long[] ids = new long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = array.get(i).asLong();
    }
    return ids;
  }
}
