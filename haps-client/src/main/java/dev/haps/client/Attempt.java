package dev.haps.client;

import dev.haps.api.error.ProviderException;
import dev.haps.api.params.ParameterValues;
import java.time.Duration;
import java.util.Objects;

/**
 * One attempt the routing client made (or skipped) within a call: which candidate, on which
 * provider instance and backend model, with which parameters, why it was made, how it ended,
 * how long the client waited before it and how long it took.
 *
 * @param number the attempt's position in the call, from 1
 * @param candidate the bundle candidate's model id
 * @param provider the provider instance id
 * @param backendModel the model name sent to the backend
 * @param parameters the routed parameters for this candidate (transformer-applied ones included)
 * @param reason why this attempt was made, e.g. {@code "rank 1 (p=0.62)"} or
 *     {@code "retry 1 of gpt-4 after RATE_LIMITED"}
 * @param outcome how it ended
 * @param status the HTTP status of a failure, or 0
 * @param delay the wait before this attempt (backoff or {@code Retry-After})
 * @param latency how long the attempt took; zero when skipped
 * @param detail the failure's message, or {@code ""} on success
 * @since 0.1.0
 */
public record Attempt(
    int number,
    String candidate,
    String provider,
    String backendModel,
    ParameterValues parameters,
    String reason,
    Outcome outcome,
    int status,
    Duration delay,
    Duration latency,
    String detail) {

  /**
   * Checks for nulls.
   *
   * @throws NullPointerException if a field is null
   */
  public Attempt {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(backendModel, "backendModel");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Whether this attempt answered the call.
   *
   * @return {@code true} on success
   */
  public boolean succeeded() {
    return outcome == Outcome.SUCCESS;
  }

  /** One line: number, candidate, target, parameters, outcome, timing, reason, detail. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append('[').append(number).append("] ").append(candidate).append(" -> ").append(provider)
        .append('/').append(backendModel).append(' ').append(parameters).append(": ")
        .append(outcome);
    if (status != 0) {
      sb.append(" (HTTP ").append(status).append(')');
    }
    sb.append(", waited ").append(delay.toMillis()).append(" ms, took ")
        .append(latency.toMillis()).append(" ms; ").append(reason);
    if (!detail.isEmpty()) {
      sb.append(" -- ").append(detail);
    }
    return sb.toString();
  }

  /**
   * How an attempt ended.
   *
   * @since 0.1.0
   */
  public enum Outcome {
    /** The backend answered. */
    SUCCESS(false),
    /** HTTP 429 or an equivalent quota signal. */
    RATE_LIMITED(true),
    /** HTTP 5xx or an error reported mid-stream. */
    SERVER_ERROR(true),
    /** No complete answer in time. */
    TIMEOUT(true),
    /** Refused, reset or dropped connection. */
    CONNECTION(true),
    /** The answer was not the wire protocol, or the stream was cut. */
    MALFORMED_RESPONSE(true),
    /** HTTP 401/403. */
    AUTHENTICATION(false),
    /** Another 4xx: the backend refused this request. */
    BAD_REQUEST(false),
    /** The provider cannot honour a feature or parameter. */
    UNSUPPORTED(false),
    /** A parameter value the provider or a transformer rejected before any network call. */
    INVALID_PARAMETER(false),
    /** The provider instance is misconfigured for this model. */
    CONFIGURATION(false),
    /** Not attempted: the provider's circuit breaker is open. */
    CIRCUIT_OPEN(false),
    /** The provider failed with an unexpected exception (a provider bug). */
    PROVIDER_ERROR(false);

    private final boolean retryable;

    Outcome(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether the same call may succeed on a retry.
     *
     * @return {@code true} for transient failures
     */
    public boolean retryable() {
      return retryable;
    }

    /**
     * The outcome of a provider failure.
     *
     * @param kind the failure's kind
     * @return the outcome
     */
    public static Outcome of(ProviderException.Kind kind) {
      // Every kind has an outcome of the same name; a kind added later reads as UNSUPPORTED.
      for (Outcome o : values()) {
        if (o.name().equals(kind.name())) {
          return o;
        }
      }
      return UNSUPPORTED;
    }
  }
}
