package dev.haps.train;

import java.util.List;

/**
 * Query features beyond the embedding, computed from the raw query text so that the runtime can
 * compute exactly the same values. Names and formulas are part of the bundle contract
 * ({@code manifest.features}).
 */
final class TextFeatures {

  /** Feature names, in input order. */
  static final List<String> NAMES = List.of("log_chars", "log_lines");

  private TextFeatures() {}

  /** The features of one text, in {@link #NAMES} order. */
  static float[] of(String text) {
    int chars = text.codePointCount(0, text.length());
    int lines = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return new float[] {(float) (Math.log1p(chars) / 8.0), (float) (Math.log1p(lines) / 4.0)};
  }
}
