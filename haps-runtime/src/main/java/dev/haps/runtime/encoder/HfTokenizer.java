package dev.haps.runtime.encoder;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import dev.haps.api.error.ConfigurationException;
import dev.haps.runtime.internal.TokenizerNative;
import java.util.Arrays;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library that DJL bundles, with
 * the library's own truncation and padding switched off.
 *
 * <p>Talks to DJL's JNI layer directly rather than through {@code HuggingFaceTokenizer}: that
 * class probes the EC2 metadata service and sends telemetry on every construction unless a
 * JVM-wide property opts out (no network at run time here), and each of its encodes copies tokens,
 * offsets and masks we never read.
 *
 * <p>The special tokens the post-processor adds around a single text (for BERT: {@code [CLS]}
 * before, {@code [SEP]} after) are found once, at load, by encoding a probe with and without them;
 * callers tokenize content only and add them back after truncating.
 *
 * <p>Thread-safe: the Rust tokenizer is immutable after load. The owner must not call {@link
 * #close()} while another thread encodes (the encoder's lock ensures that).
 */
final class HfTokenizer implements AutoCloseable {

  private static final long[] NO_WORDS = new long[0];

  private final String source;
  private final long[] prefix;
  private final long[] suffix;
  private long handle;

  private HfTokenizer(String source, long handle, long[] prefix, long[] suffix) {
    this.source = source;
    this.handle = handle;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /**
   * Loads a tokenizer from the text of a {@code tokenizer.json}.
   *
   * @param json the file's content
   * @param source where it came from, for messages
   * @throws ConfigurationException if the JSON is not a tokenizer the library accepts, or its
   *     post-processor does not wrap a text as prefix + text + suffix
   */
  static HfTokenizer load(String json, String source) {
    long handle;
    try {
      TokenizerNative.ensureLoaded();
      handle = TokenizersLibrary.LIB.createTokenizerFromString(json);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ConfigurationException(
          "could not load tokenizer "
              + source
              + ": "
              + e.getMessage()
              + "; expected a Hugging Face tokenizer.json (the file saved by"
              + " tokenizer.save_pretrained / tokenizers.Tokenizer.save)",
          e);
    }
    try {
      TokenizersLibrary.LIB.disableTruncation(handle);
      TokenizersLibrary.LIB.disablePadding(handle);
      long[][] template = template(handle, source);
      return new HfTokenizer(source, handle, template[0], template[1]);
    } catch (RuntimeException e) {
      TokenizersLibrary.LIB.deleteTokenizer(handle);
      throw e;
    }
  }

  // Finds the ids the post-processor puts around a text by comparing a probe with and without
  // special tokens; checked on two probes so that a text-dependent template is caught.
  private static long[][] template(long handle, String source) {
    long[][] first = templateOf(handle, source, "hello world");
    long[][] second = templateOf(handle, source, "x");
    if (!Arrays.equals(first[0], second[0]) || !Arrays.equals(first[1], second[1])) {
      throw new ConfigurationException(
          "tokenizer "
              + source
              + " adds different special tokens to different texts ("
              + Arrays.toString(first[0])
              + " … "
              + Arrays.toString(first[1])
              + " vs "
              + Arrays.toString(second[0])
              + " … "
              + Arrays.toString(second[1])
              + "); expected a fixed template such as [CLS] text [SEP]");
    }
    return first;
  }

  private static long[][] templateOf(long handle, String source, String probe) {
    long[] with = ids(handle, probe, true);
    long[] without = ids(handle, probe, false);
    if (without.length == 0) {
      throw new ConfigurationException(
          "tokenizer " + source + " produced no tokens for the probe text '" + probe + "'");
    }
    for (int p = 0; p + without.length <= with.length; p++) {
      if (Arrays.equals(with, p, p + without.length, without, 0, without.length)) {
        return new long[][] {
          Arrays.copyOfRange(with, 0, p), Arrays.copyOfRange(with, p + without.length, with.length)
        };
      }
    }
    throw new ConfigurationException(
        "tokenizer "
            + source
            + " does not wrap a text as prefix + text + suffix: '"
            + probe
            + "' gives "
            + Arrays.toString(without)
            + " alone and "
            + Arrays.toString(with)
            + " with special tokens");
  }

  private static long[] ids(long handle, String text, boolean special) {
    if (handle == 0) {
      throw new IllegalStateException("tokenizer is closed");
    }
    long encoding = TokenizersLibrary.LIB.encode(handle, wellFormed(text), special);
    try {
      return TokenizersLibrary.LIB.getTokenIds(encoding);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /**
   * The text with every unpaired surrogate replaced by U+FFFD, one char for one so that offsets
   * hold. The native side decodes the JVM's modified UTF-8 and, on any unpaired surrogate, falls
   * back to a lossy decode that also breaks every valid pair: an emoji or other character outside
   * the Basic Multilingual Plane anywhere in the text would vanish with it.
   */
  static String wellFormed(String text) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i += 2;
      } else if (Character.isSurrogate(c)) {
        break;
      } else {
        i++;
      }
    }
    if (i == n) {
      return text;
    }
    char[] out = text.toCharArray();
    for (; i < n; i++) {
      char c = out[i];
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(out[i + 1])) {
        i++;
      } else if (Character.isSurrogate(c)) {
        out[i] = '\ufffd';
      }
    }
    return new String(out);
  }

  /** The ids put before the content, e.g. {@code [CLS]}. */
  long[] prefix() {
    return prefix;
  }

  /** The ids put after the content, e.g. {@code [SEP]}. */
  long[] suffix() {
    return suffix;
  }

  /**
   * The content ids of a text, without special tokens.
   *
   * @param text any text
   * @return the ids
   */
  long[] contentIds(String text) {
    return ids(handle, text, false);
  }

  /**
   * The content ids of a text and, per id, the index of the pre-tokenizer word it came from.
   *
   * @param text any text
   * @return {@code [ids, wordIds]}, equally long
   */
  long[][] contentIdsAndWords(String text) {
    if (handle == 0) {
      throw new IllegalStateException("tokenizer is closed");
    }
    long encoding = TokenizersLibrary.LIB.encode(handle, wellFormed(text), false);
    try {
      long[] ids = TokenizersLibrary.LIB.getTokenIds(encoding);
      long[] words = ids.length == 0 ? NO_WORDS : TokenizersLibrary.LIB.getWordIds(encoding);
      return new long[][] {ids, words};
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /**
   * All ids of a text as the library produces them with special tokens and no truncation: the
   * reference the encoder's own assembly (prefix + content + suffix) is tested against.
   *
   * @param text any text
   * @return the ids
   */
  long[] fullIds(String text) {
    return ids(handle, text, true);
  }

  String source() {
    return source;
  }

  @Override
  public void close() {
    if (handle != 0) {
      TokenizersLibrary.LIB.deleteTokenizer(handle);
      handle = 0;
    }
  }
}
