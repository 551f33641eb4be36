package dev.haps.runtime.encoder;

import dev.haps.api.error.InvalidRequestException;
import java.util.Arrays;
import dev.haps.spi.Truncation;

/**
 * Turns a text into the ids an encoder runs on: content tokens cut to the budget as {@link
 * Truncation} says, wrapped in the tokenizer's special tokens. Never throws for length.
 *
 * <p>Budget: {@code maxTokens} counts the special tokens, so the content budget is {@code C =
 * maxTokens - |prefix| - |suffix|} (254 for BERT at 256). HEAD keeps content tokens {@code [0,
 * C)}, TAIL the last C, HEAD_TAIL the first {@code floor(C / 4)} and the last {@code C -
 * floor(C / 4)}.
 *
 * <p><b>Long texts.</b> The Rust tokenizer costs about a microsecond per character, so a 1 MB query
 * would spend a second there to keep 254 tokens. For a text of at least {@code 2 * window}
 * characters, the kept end is tokenized from a character window instead (a prefix for the head, a
 * suffix for the tail). A window's tokens equal the full text's tokens except near its cut, where
 * a word may be split; normalisation and pre-tokenization are local, so tokens of words that lie
 * at least {@link #SAFETY_WORDS} whole words away from the cut are the full text's tokens. The
 * window result is used only when every kept token is that far from the cut (checked with the
 * tokenizer's word ids); otherwise the window doubles, and past half the text the full text is
 * tokenized. The tests compare this with tokenizing the full text on long real and random texts.
 *
 * <p>Thread-safe.
 */
final class QueryTokenizer {

  /** Whole words required between the kept tokens and a window's cut. */
  static final int SAFETY_WORDS = 4;

  private final HfTokenizer tokenizer;
  private final int maxTokens;
  private final Truncation truncation;
  private final int budget;
  private final int window;

  QueryTokenizer(HfTokenizer tokenizer, int maxTokens, Truncation truncation) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.truncation = truncation;
    this.budget = maxTokens - tokenizer.prefix().length - tokenizer.suffix().length;
    // About 6 characters per kept token covers English (about 4.5) with room for the margin; CJK
    // needs far fewer, whitespace-heavy text more (then the window grows).
    this.window = 6 * Math.max(budget, 1) + 64;
  }

  /** The smallest useful budget: special tokens plus two content tokens (one per HEAD_TAIL end). */
  static int minimumMaxTokens(HfTokenizer tokenizer) {
    return tokenizer.prefix().length + tokenizer.suffix().length + 2;
  }

  int maxTokens() {
    return maxTokens;
  }

  /**
   * Tokenizes and truncates.
   *
   * @param text a text that is not blank
   * @return the ids to encode
   * @throws InvalidRequestException if the text has no content tokens (e.g. only control
   *     characters)
   */
  Tokenized tokenize(String text) {
    Slice kept = text.length() >= 2L * window ? windowed(text) : null;
    if (kept == null) {
      kept = cut(tokenizer.contentIds(text));
    }
    if (kept.ids.length == 0) {
      throw new InvalidRequestException(
          "query text has no tokens after normalisation (length "
              + text.length()
              + ", e.g. only control or zero-width characters); expected some visible text");
    }
    return new Tokenized(wrap(kept.ids), kept.more);
  }

  /**
   * The windowed path alone: the kept tokens from character windows, or null where the text is
   * too short for windows or the windows cannot prove their tokens. Tests compare it with {@link
   * #tokenizeFully(String)}.
   */
  Tokenized tokenizeWindowed(String text) {
    Slice kept = windowed(text);
    return kept == null ? null : new Tokenized(wrap(kept.ids), kept.more);
  }

  /** Tokenizes the whole text and cuts it: the reference the windowed path must equal. */
  Tokenized tokenizeFully(String text) {
    Slice kept = cut(tokenizer.contentIds(text));
    return new Tokenized(wrap(kept.ids), kept.more);
  }

  private Slice cut(long[] content) {
    int n = content.length;
    if (n <= budget) {
      return new Slice(content, false);
    }
    return switch (truncation) {
      case HEAD -> new Slice(Arrays.copyOf(content, budget), true);
      case TAIL -> new Slice(Arrays.copyOfRange(content, n - budget, n), true);
      case HEAD_TAIL -> {
        int head = budget / 4;
        int tail = budget - head;
        long[] kept = Arrays.copyOf(content, budget);
        System.arraycopy(content, n - tail, kept, head, tail);
        yield new Slice(kept, true);
      }
    };
  }

  private long[] wrap(long[] content) {
    long[] prefix = tokenizer.prefix();
    long[] suffix = tokenizer.suffix();
    long[] ids = new long[prefix.length + content.length + suffix.length];
    System.arraycopy(prefix, 0, ids, 0, prefix.length);
    System.arraycopy(content, 0, ids, prefix.length, content.length);
    System.arraycopy(suffix, 0, ids, prefix.length + content.length, suffix.length);
    return ids;
  }

  // The kept tokens from character windows, or null when the windows cannot prove them.
  private Slice windowed(String text) {
    switch (truncation) {
      case HEAD: {
        Window head = head(text, budget);
        return head == null ? null : new Slice(head.ids, true);
      }
      case TAIL: {
        Window tail = tail(text, budget);
        return tail == null ? null : new Slice(tail.ids, true);
      }
      case HEAD_TAIL: {
        int headCount = budget / 4;
        int tailCount = budget - headCount;
        Window head = headCount == 0 ? new Window(new long[0], 0) : head(text, headCount);
        Window tail = head == null ? null : tail(text, tailCount);
        // Overlapping windows could keep one token twice: leave that to the full path.
        if (tail == null || head.edge > tail.edge) {
          return null;
        }
        long[] kept = Arrays.copyOf(head.ids, budget);
        System.arraycopy(tail.ids, 0, kept, headCount, tailCount);
        return new Slice(kept, true);
      }
      default:
        throw new AssertionError(truncation);
    }
  }

  /** The first {@code count} content tokens, if a prefix window proves them; else null. */
  private Window head(String text, int count) {
    int length = text.length();
    for (long w = window; w <= length / 2; w *= 2) {
      int end = (int) w;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--; // keep a surrogate pair whole
      }
      long[][] r = tokenizer.contentIdsAndWords(text.substring(0, end));
      long[] ids = r[0];
      long[] words = r[1];
      int n = ids.length;
      if (n > count && words[count - 1] >= 0 && words[n - 1] - words[count - 1] > SAFETY_WORDS) {
        return new Window(Arrays.copyOf(ids, count), end);
      }
    }
    return null;
  }

  /** The last {@code count} content tokens, if a suffix window proves them; else null. */
  private Window tail(String text, int count) {
    int length = text.length();
    for (long w = window; w <= length / 2; w *= 2) {
      int start = length - (int) w;
      if (Character.isLowSurrogate(text.charAt(start))) {
        start++; // keep a surrogate pair whole
      }
      long[][] r = tokenizer.contentIdsAndWords(text.substring(start));
      long[] ids = r[0];
      long[] words = r[1];
      int n = ids.length;
      if (n > count && words[0] >= 0 && words[n - count] - words[0] > SAFETY_WORDS) {
        return new Window(Arrays.copyOfRange(ids, n - count, n), start);
      }
    }
    return null;
  }

  /** Tokens from a window and where the window was cut (end for a head, start for a tail). */
  private record Window(long[] ids, int edge) {}

  private record Slice(long[] ids, boolean more) {}
}
