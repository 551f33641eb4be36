package dev.haps.provider.http;

import java.util.Objects;

/**
 * A secret credential that never shows itself: {@link #toString()} prints a mask, and
 * {@link #redact(String)} removes the secret from any text before it reaches a log line or an
 * exception message (backends sometimes echo the key in their error bodies).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ApiKey {

  private static final String MASK = "****";

  private final String secret;

  private ApiKey(String secret) {
    this.secret = secret;
  }

  /**
   * Wraps a secret.
   *
   * @param secret the key, non-blank
   * @return the key
   * @throws IllegalArgumentException if the secret is blank (the message never shows it)
   */
  public static ApiKey of(String secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    if (secret.isBlank()) {
      throw new IllegalArgumentException("an API key must not be blank");
    }
    return new ApiKey(secret.strip());
  }

  /**
   * The secret itself, for the one place that needs it: the request header.
   *
   * @return the secret
   */
  public String reveal() {
    return secret;
  }

  /**
   * Removes every occurrence of the secret from a text.
   *
   * @param text any text, e.g. a backend's error body
   * @return the text with the secret replaced by {@code ****}
   */
  public String redact(String text) {
    return text.replace(secret, MASK);
  }

  /**
   * Removes an optional key's secret from a text.
   *
   * @param key the key, or {@code null} when the endpoint has none
   * @param text any text
   * @return the redacted text
   */
  static String redact(ApiKey key, String text) {
    return key == null ? text : key.redact(text);
  }

  /** A mask: the secret never appears here. */
  @Override
  public String toString() {
    return "ApiKey[" + MASK + "]";
  }
}
