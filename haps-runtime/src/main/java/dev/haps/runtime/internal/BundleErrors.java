package dev.haps.runtime.internal;

import dev.haps.api.error.BundleException;

/**
 * Builds bundle error messages in one style: {@code bundle '<source>': <file> field '<field>':
 * found <x>, expected <y>; <what to do>}. Internal API: not for use outside the SDK.
 */
public final class BundleErrors {

  private BundleErrors() {}

  /**
   * A field whose value breaks the contract.
   *
   * @param source where the bundle came from
   * @param file {@code manifest.json} or {@code router.onnx}
   * @param field the field path, e.g. {@code candidates[1].meanCostUsd}
   * @param found what the bundle has
   * @param expected what the contract requires
   * @return the exception
   */
  public static BundleException field(
      String source, String file, String field, Object found, String expected) {
    return new BundleException("bundle '" + source + "': " + file + " field '" + field
        + "': found " + found + ", expected " + expected
        + "; fix the bundle (see docs/bundle-format.md)");
  }

  /**
   * A file-level failure (missing, unreadable, too large).
   *
   * @param source where the bundle came from
   * @param file the file
   * @param problem what is wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   * @return the exception
   */
  public static BundleException file(String source, String file, String problem, Throwable cause) {
    return new BundleException("bundle '" + source + "': " + file + ": " + problem, cause);
  }

  /**
   * Quotes a string value for a message, shortened to 120 characters.
   *
   * @param s the value, or {@code null}
   * @return the quoted value, or {@code null}/{@code absent}
   */
  public static String quote(String s) {
    if (s == null) {
      return "absent";
    }
    String shown = s.length() > 120 ? s.substring(0, 117) + "..." : s;
    return "'" + shown + "'";
  }
}
