package dev.haps.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * An LLM backend call failed. {@link #kind()} classifies the failure so that callers (and the
 * routing client) can decide to retry, fall back to another candidate, or give up. Messages never
 * contain API keys.
 *
 * @since 0.1.0
 */
public class ProviderException extends HapsException {

  /**
   * What kind of failure a provider call met.
   *
   * @since 0.1.0
   */
  public enum Kind {
    /** HTTP 429 or an equivalent quota signal; retryable, possibly after {@code Retry-After}. */
    RATE_LIMITED(true),
    /** HTTP 5xx: the backend failed; retryable. */
    SERVER_ERROR(true),
    /** No answer within the timeout; retryable. */
    TIMEOUT(true),
    /** The connection was refused, reset or dropped; retryable. */
    CONNECTION(true),
    /** The backend answered with something that is not the wire protocol (bad JSON, cut stream). */
    MALFORMED_RESPONSE(true),
    /** HTTP 401/403: the credentials are missing or wrong; not retryable. */
    AUTHENTICATION(false),
    /** HTTP 4xx other than 401/403/408/429: the request itself was refused; not retryable. */
    BAD_REQUEST(false),
    /** The provider cannot honour a parameter or feature; raised before any network call. */
    UNSUPPORTED(false),
    /** The provider's circuit breaker is open; try another candidate. */
    CIRCUIT_OPEN(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether a retry of the same call may succeed.
     *
     * @return {@code true} for transient failures
     */
    public boolean retryable() {
      return retryable;
    }
  }

  private final String provider;
  private final Kind kind;
  private final int status;
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param provider the provider instance id
   * @param kind the failure class
   * @param status the HTTP status, or 0 where there was none
   * @param retryAfter the delay the backend asked for, or {@code null} when it asked for none
   * @param message what failed and what to do; never an API key
   * @param cause the underlying failure, or {@code null}
   */
  public ProviderException(
      String provider, Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /**
   * Creates the exception without a status, delay or cause.
   *
   * @param provider the provider instance id
   * @param kind the failure class
   * @param message what failed and what to do; never an API key
   */
  public ProviderException(String provider, Kind kind, String message) {
    this(provider, kind, 0, null, message, null);
  }

  /**
   * The id of the provider instance that failed.
   *
   * @return the provider id
   */
  public String provider() {
    return provider;
  }

  /**
   * The failure class.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The HTTP status the backend answered with.
   *
   * @return the status, or 0 when the failure had none (timeout, dropped connection)
   */
  public int status() {
    return status;
  }

  /**
   * The delay the backend asked for before a retry ({@code Retry-After}).
   *
   * @return the delay, if the backend gave one
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return kind.retryable();
  }
}
