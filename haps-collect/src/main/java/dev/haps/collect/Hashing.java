package dev.haps.collect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers: query ids, text fingerprints, split assignment and sampling seeds. */
final class Hashing {

  private Hashing() {}

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static String sha256Hex(String text) {
    byte[] d = sha256(text);
    StringBuilder sb = new StringBuilder(d.length * 2);
    for (byte b : d) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  /** The first 8 bytes of the SHA-256 of a text, as a long. */
  static long sha256Long(String text) {
    byte[] d = sha256(text);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xFF);
    }
    return v;
  }

  /** A uniform number in [0, 1) from a text's SHA-256. */
  static double unit(String text) {
    return (sha256Long(text) >>> 11) * 0x1.0p-53;
  }
}
