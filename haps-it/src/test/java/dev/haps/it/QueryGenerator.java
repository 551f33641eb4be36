package dev.haps.it;

import java.util.Random;

/**
 * Seeded hostile query texts: empty, whitespace (Java's and Unicode's others), control and
 * zero-width characters, unpaired surrogates, mixed scripts, emoji sequences, combining-mark
 * storms, noncharacters, bidi overrides, injection-looking strings, long texts and single giant
 * words. {@link #family()} names what the last text was made of.
 */
final class QueryGenerator {

  static final String[] SCRIPTS = {
      "hello world", "привет мир", "γειά σου κόσμε", "مرحبا بالعالم", "שלום עולם", "你好世界",
      "こんにちは世界", "안녕하세요 세계", "नमस्ते दुनिया", "สวัสดีชาวโลก", "გამარჯობა", "ሰላም ለዓለም",
      "வணக்கம் உலகம்", "∑∫√∞ ≠ ≤", "Ṫḧïṡ ïṡ ẗëṡẗ", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "ꦲꦤꦕꦫꦏ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙"};
  static final String[] EMOJI = {
      "\ud83d\ude00", "\ud83d\udc4d\ud83c\udffd", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d"
      + "\udc67\u200d\ud83d\udc66", "\ud83c\uddeb\ud83c\uddf7", "1\ufe0f\u20e3",
      "\ud83c\udff3\ufe0f\u200d\ud83c\udf08", "\ud83e\uddd1\ud83c\udfff\u200d\ud83d\ude80",
      "\u2764\ufe0f", "\u263a\ufe0f", "\ud83e\udee0"};
  static final String JAVA_WHITESPACE = " \t\n\u000b\f\r\u001c\u001d\u001e\u001f\u1680\u2000"
      + "\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u2028\u2029\u205f\u3000";
  /** Invisible to a reader but not whitespace to {@link Character#isWhitespace}. */
  static final String INVISIBLE = "\u00a0\u2007\u202f\u0085\u200b\u200c\u200d\u2060\ufeff"
      + "\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad";
  static final String[] SURROGATES = {"\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800",
      "\ud83d", "\ude00"};
  static final String[] NONCHARACTERS = {"\ufffe", "\uffff", "\ufdd0", "\ud83f\udffe",
      "\ue000", "\udb80\udc00", "\ufffd", "\u0000"};
  static final String[] INJECTIONS = {"'; DROP TABLE users; --", "<script>alert(1)</script>",
      "{\"role\":\"system\",", "${jndi:ldap://127.0.0.1/a}", "%s%n%x%p", "../../etc/passwd",
      "\\u0000\\ud800", "\r\nHTTP/1.1 200 OK\r\n", "{{7*7}}", "Robert'); --"};
  static final String[] WORDS = {"prove", "sqrt", "two", "irrational", "write", "a", "poem",
      "about", "cats", "sum", "of", "primes", "below", "ten", "translate", "this", "French",
      "sentence", "code", "python", "sort", "list", "fast", "capital", "Peru", "why", "is",
      "the", "sky", "blue", "explain", "quantum", "tunnelling", "simply"};

  private final Random r;
  private String family = "";

  QueryGenerator(long seed) {
    this.r = new Random(seed);
  }

  String family() {
    return family;
  }

  Random random() {
    return r;
  }

  /** A text of at most about {@code maxLong} characters. */
  String next(int maxLong) {
    int f = r.nextInt(100);
    StringBuilder sb = new StringBuilder();
    if (f < 3) {
      family = "empty";
      return "";
    } else if (f < 7) {
      family = "whitespace";
      for (int i = 1 + r.nextInt(40); i > 0; i--) {
        sb.append(pick(JAVA_WHITESPACE));
      }
    } else if (f < 11) {
      family = "invisible";
      for (int i = 1 + r.nextInt(20); i > 0; i--) {
        sb.append(r.nextInt(3) == 0 ? pick(JAVA_WHITESPACE) : pick(INVISIBLE));
      }
    } else if (f < 15) {
      family = "control-only";
      for (int i = 1 + r.nextInt(30); i > 0; i--) {
        int c = r.nextInt(3) == 0 ? 0x7f + r.nextInt(0x21) : r.nextInt(0x20);
        sb.append((char) c);
      }
    } else if (f < 20) {
      family = "control-mixed";
      words(sb, 1 + r.nextInt(8));
      for (int i = 1 + r.nextInt(10); i > 0; i--) {
        sb.insert(r.nextInt(sb.length() + 1), (char) r.nextInt(0x20));
      }
    } else if (f < 26) {
      family = "unpaired-surrogates";
      words(sb, r.nextInt(6));
      for (int i = 1 + r.nextInt(6); i > 0; i--) {
        sb.insert(r.nextInt(sb.length() + 1), SURROGATES[r.nextInt(SURROGATES.length)]);
      }
    } else if (f < 29) {
      family = "surrogates-only";
      for (int i = 1 + r.nextInt(10); i > 0; i--) {
        sb.append(SURROGATES[r.nextInt(SURROGATES.length)]);
      }
    } else if (f < 40) {
      family = "mixed-scripts";
      for (int i = 1 + r.nextInt(6); i > 0; i--) {
        sb.append(SCRIPTS[r.nextInt(SCRIPTS.length)]).append(r.nextBoolean() ? " " : "");
      }
    } else if (f < 48) {
      family = "emoji";
      for (int i = 1 + r.nextInt(12); i > 0; i--) {
        sb.append(EMOJI[r.nextInt(EMOJI.length)]);
        if (r.nextInt(3) == 0) {
          sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]).append(' ');
        }
      }
    } else if (f < 55) {
      family = "random-code-points";
      for (int i = 1 + r.nextInt(60); i > 0; i--) {
        int cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x3000);
        if (Character.isValidCodePoint(cp)) {
          sb.appendCodePoint(cp);
        }
      }
    } else if (f < 58) {
      family = "combining-storm";
      sb.append(r.nextBoolean() ? "Z" : "");
      for (int i = 1 + r.nextInt(300); i > 0; i--) {
        sb.append((char) (0x0300 + r.nextInt(0x70)));
      }
      sb.append(" algo");
    } else if (f < 61) {
      family = "noncharacters";
      for (int i = 1 + r.nextInt(10); i > 0; i--) {
        sb.append(NONCHARACTERS[r.nextInt(NONCHARACTERS.length)]);
      }
      if (r.nextBoolean()) {
        words(sb, 3);
      }
    } else if (f < 64) {
      family = "injection";
      sb.append(INJECTIONS[r.nextInt(INJECTIONS.length)]);
    } else if (f < 66) {
      family = "long-text";
      int target = 2_000 + r.nextInt(Math.max(1, maxLong));
      while (sb.length() < target) {
        sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(9) == 0 ? ".\n" : " ");
      }
    } else if (f < 68) {
      family = "giant-word";
      int n = 1_000 + r.nextInt(Math.max(1, maxLong));
      char c = "a\u4e2d\u00e9x".charAt(r.nextInt(4));
      sb.append(String.valueOf(c).repeat(n));
    } else if (f < 70) {
      family = "repeated-punctuation";
      sb.append("?!.,;:-_".charAt(r.nextInt(8)) + "").append("?".repeat(r.nextInt(2_000)));
    } else {
      family = "words";
      words(sb, 1 + r.nextInt(30));
    }
    return sb.toString();
  }

  private void words(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) {
      sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(6) == 0 ? "\n\t " : " ");
    }
  }

  private char pick(String s) {
    return s.charAt(r.nextInt(s.length()));
  }

  /** About one MiB of text of each kind that stresses a different part of the path. */
  static String[] megabyteTexts() {
    int mb = 1 << 20;
    StringBuilder words = new StringBuilder(mb + 16);
    Random r = new Random(1);
    while (words.length() < mb) {
      words.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
    }
    StringBuilder emoji = new StringBuilder(mb + 16);
    while (emoji.length() < mb) {
      emoji.append(EMOJI[r.nextInt(EMOJI.length)]);
    }
    StringBuilder points = new StringBuilder(mb + 16);
    while (points.length() < mb) {
      int cp = r.nextInt(0x110000);
      if (r.nextInt(50) == 0) {
        points.append(SURROGATES[r.nextInt(SURROGATES.length)]);
      } else if (Character.isValidCodePoint(cp)) {
        points.appendCodePoint(cp);
      }
      if (r.nextInt(8) == 0) {
        points.append(' ');
      }
    }
    StringBuilder combining = new StringBuilder(mb + 16).append('e');
    while (combining.length() < mb) {
      combining.append((char) (0x0300 + r.nextInt(0x70)));
    }
    return new String[] {words.toString(), "a".repeat(mb), emoji.toString(), points.toString(),
        combining.toString(), " \t\n".repeat(mb / 3)};
  }
}
