package dev.haps.api.error;

/**
 * Root of every exception the HAPS SDK throws on purpose.
 *
 * <p>All HAPS exceptions are unchecked and share one message style: <em>what failed</em>, the
 * offending value, and <em>what to do</em> about it. Subclasses split by what a caller can do:
 * fix configuration ({@link ConfigurationException}), fix or replace a router bundle
 * ({@link BundleException}), fix the request ({@link InvalidRequestException}), or retry or fall
 * back on a provider failure ({@link ProviderException}).
 *
 * @since 0.1.0
 */
public class HapsException extends RuntimeException {

  /**
   * Creates an exception with a complete message.
   *
   * @param message what failed, the offending value, and what to do
   */
  public HapsException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a complete message and its cause.
   *
   * @param message what failed, the offending value, and what to do
   * @param cause the underlying failure
   */
  public HapsException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether repeating the same operation later may succeed (a rate limit, a timeout, an
   * overloaded backend). Configuration, bundle and request errors are never retryable.
   *
   * @return {@code true} if a retry may help
   */
  public boolean retryable() {
    return false;
  }
}
