package dev.haps.api.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An LLM backend call failed. {@link #kind()} classifies the failure so that callers (and the
 * routing client) can decide to retry, fall back to another candidate, or give up. Messages never
 * contain API keys.
 *
 * <p>Create one with {@link #builder(String, Kind)}, which names each field:
 *
 * <pre>{@code
 * throw ProviderException.builder(id(), Kind.RATE_LIMITED)
 *     .status(429).retryAfter(Duration.ofSeconds(2))
 *     .message("provider '" + id() + "': HTTP 429; retry after 2 s")
 *     .build();
 * }</pre>
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
   * A builder for a failure of the given provider and kind.
   *
   * @param provider the provider instance id
   * @param kind the failure class
   * @return a new builder; {@link Builder#message} is required
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String provider, Kind kind) {
    return new Builder(Objects.requireNonNull(provider, "provider"),
        Objects.requireNonNull(kind, "kind"));
  }

  /**
   * Builds a {@link ProviderException}; not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String provider;
    private final Kind kind;
    private int status;
    private Duration retryAfter;
    private String message;
    private Throwable cause;

    private Builder(String provider, Kind kind) {
      this.provider = provider;
      this.kind = kind;
    }

    /**
     * The HTTP status the backend answered with.
     *
     * @param status the status, 100 to 599 (leave unset where there was none)
     * @return this builder
     * @throws IllegalArgumentException if the status is not an HTTP status
     */
    public Builder status(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("HTTP status must be in [100, 599], got " + status
            + "; leave it unset when the failure had none");
      }
      this.status = status;
      return this;
    }

    /**
     * The delay the backend asked for before a retry.
     *
     * @param retryAfter the delay, not negative
     * @return this builder
     * @throws IllegalArgumentException if the delay is negative
     */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * What failed and what to do; never an API key.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /**
     * The underlying failure.
     *
     * @param cause the cause
     * @return this builder
     */
    public Builder cause(Throwable cause) {
      this.cause = Objects.requireNonNull(cause, "cause");
      return this;
    }

    /**
     * Builds the exception.
     *
     * @return the exception, to throw
     * @throws IllegalStateException if no message was given
     */
    public ProviderException build() {
      if (message == null || message.isBlank()) {
        throw new IllegalStateException("a ProviderException of provider '" + provider + "' ("
            + kind + ") needs a message saying what failed and what to do");
      }
      return new ProviderException(provider, kind, status, retryAfter, message, cause);
    }
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
