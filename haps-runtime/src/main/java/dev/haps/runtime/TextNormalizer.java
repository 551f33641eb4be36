package dev.haps.runtime;

import java.text.Normalizer;
import java.util.Objects;

/**
 * The text normalisation applied to every routing text before it is encoded and before it is
 * used as a cache key: Unicode NFC, then every run of whitespace ({@link
 * Character#isWhitespace(int)}: spaces, tabs, line breaks and the like) becomes one space
 * (U+0020), then leading and trailing spaces are removed.
 *
 * <p>Because the router encodes the normalised text, a cached embedding is exactly the one an
 * uncached call would compute, and two texts that differ only in whitespace or Unicode
 * composition route identically. Trainers that want their training embeddings to match the
 * runtime's should normalise the same way.
 *
 * <p>Stateless and thread-safe. Returns its argument unchanged (same instance, no allocation)
 * when the text is already normalised, the common case.
 *
 * @since 0.1.0
 */
public final class TextNormalizer {

  private TextNormalizer() {}

  /**
   * Normalises a text.
   *
   * @param text the text
   * @return the NFC, whitespace-collapsed, trimmed text; possibly empty
   */
  public static String normalize(String text) {
    Objects.requireNonNull(text, "text must not be null");
    String s = isAscii(text) || Normalizer.isNormalized(text, Normalizer.Form.NFC)
        ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
    return collapseWhitespace(s);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String collapseWhitespace(String s) {
    int n = s.length();
    if (isCollapsed(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    boolean pendingSpace = false;
    int i = 0;
    while (i < n) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /** True when no leading/trailing whitespace, no whitespace but single U+0020 between words. */
  private static boolean isCollapsed(String s) {
    int n = s.length();
    boolean prevSpace = true; // a space at position 0 is leading whitespace
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (prevSpace) {
          return false;
        }
        prevSpace = true;
      } else if (Character.isWhitespace(c)) {
        return false;
      } else {
        prevSpace = false;
      }
    }
    return n == 0 || !prevSpace;
  }
}
