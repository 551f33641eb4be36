package dev.haps.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haps.api.error.ProviderException;
import dev.haps.api.error.ProviderException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The one place where HTTP statuses and I/O failures become classified
 * {@link ProviderException}s, for every HTTP provider:
 *
 * <table>
 *   <caption>Failure classification</caption>
 *   <tr><th>what happened</th><th>kind</th></tr>
 *   <tr><td>429</td><td>{@link Kind#RATE_LIMITED}, with {@code Retry-After}</td></tr>
 *   <tr><td>5xx (including 529 "overloaded")</td><td>{@link Kind#SERVER_ERROR}, with
 *       {@code Retry-After} when given</td></tr>
 *   <tr><td>401, 403</td><td>{@link Kind#AUTHENTICATION}</td></tr>
 *   <tr><td>408, a call past its deadline, a connect timeout</td><td>{@link Kind#TIMEOUT}</td></tr>
 *   <tr><td>refused, reset or dropped connection</td><td>{@link Kind#CONNECTION}</td></tr>
 *   <tr><td>a body that is not the protocol, a cut stream</td>
 *       <td>{@link Kind#MALFORMED_RESPONSE}</td></tr>
 *   <tr><td>any other 4xx, and 3xx (redirects are not followed)</td>
 *       <td>{@link Kind#BAD_REQUEST}</td></tr>
 * </table>
 *
 * <p>Messages carry the backend's own error message (redacted of the API key, shortened) but
 * never the key.
 *
 * @since 0.1.0
 */
public final class HttpFailures {

  private static final int MAX_BACKEND_MESSAGE = 400;

  private HttpFailures() {}

  /**
   * Classifies a response whose status is not 2xx.
   *
   * @param provider the provider instance id
   * @param model the backend model called
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the response body as received (possibly partial)
   * @param key the key to redact, or {@code null}
   * @param clock the clock for HTTP-date {@code Retry-After} values
   * @return the exception to throw
   */
  public static ProviderException status(String provider, String model, int status,
      HttpHeaders headers, byte[] body, ApiKey key, Clock clock) {
    Kind kind;
    String hint;
    if (status == 429) {
      kind = Kind.RATE_LIMITED;
      hint = "slow down or raise the quota; retry after the delay";
    } else if (status == 408) {
      kind = Kind.TIMEOUT;
      hint = "the backend timed out the request; retry, or shorten the prompt";
    } else if (status == 401 || status == 403) {
      kind = Kind.AUTHENTICATION;
      hint = "check the apiKey setting of provider '" + provider + "'";
    } else if (status >= 500) {
      kind = Kind.SERVER_ERROR;
      hint = "the backend failed or is overloaded; retry later";
    } else if (status >= 300 && status < 400) {
      kind = Kind.BAD_REQUEST;
      hint = "the endpoint redirects; point baseUrl of provider '" + provider
          + "' at the final URL";
    } else {
      kind = Kind.BAD_REQUEST;
      hint = "the backend refused the request; check the model name and parameters";
    }
    Duration retryAfter = kind.retryable()
        ? RetryAfter.from(headers, clock).orElse(null)
        : null;
    String message = "provider '" + provider + "' model '" + model + "': HTTP " + status
        + (retryAfter == null ? "" : " (retry after " + retryAfter + ")") + ": "
        + backendMessage(body, key) + "; " + hint;
    return new ProviderException(provider, kind, status, retryAfter, message, null);
  }

  /**
   * Classifies an I/O failure before or during a response.
   *
   * @param provider the provider instance id
   * @param model the backend model called
   * @param uri the endpoint called
   * @param e the failure
   * @param timeout the call's timeout, for the message
   * @param key the key to redact, or {@code null}
   * @return the exception to throw
   */
  public static ProviderException io(String provider, String model, URI uri, IOException e,
      Duration timeout, ApiKey key) {
    String where = "provider '" + provider + "' model '" + model + "' at " + uri;
    if (e instanceof HttpConnectTimeoutException) {
      return new ProviderException(provider, Kind.TIMEOUT, 0, null, where
          + ": connect timed out; check that the server is up, or raise connectTimeout", e);
    }
    if (e instanceof HttpTimeoutException || e instanceof DeadlineExceededException) {
      return new ProviderException(provider, Kind.TIMEOUT, 0, null, where
          + ": no complete answer within " + timeout
          + "; retry, or raise requestTimeout / the call deadline", e);
    }
    String detail = ApiKey.redact(key, String.valueOf(e.getMessage()));
    if (e instanceof ConnectException) {
      return new ProviderException(provider, Kind.CONNECTION, 0, null, where
          + ": connection refused (" + detail + "); check that the server is running and"
          + " baseUrl is right", e);
    }
    return new ProviderException(provider, Kind.CONNECTION, 0, null, where
        + ": connection failed or was dropped (" + e.getClass().getSimpleName() + ": " + detail
        + "); retry", e);
  }

  /**
   * A response that does not follow the wire protocol.
   *
   * @param provider the provider instance id
   * @param model the backend model called
   * @param what what was wrong, e.g. {@code "no choices[0].message"}
   * @param cause the parse failure, or {@code null}; a JSON parser's failure is kept as its
   *     type, position and stack only, because its message quotes the body
   * @return the exception to throw
   */
  public static ProviderException malformed(
      String provider, String model, String what, Throwable cause) {
    return new ProviderException(provider, Kind.MALFORMED_RESPONSE, 0, null,
        "provider '" + provider + "' model '" + model + "' sent a malformed response: " + what
            + "; retry, and check that baseUrl points at an endpoint of this protocol",
        withheld(cause));
  }

  /**
   * A JSON parser's message quotes the text it choked on ("Unrecognized token 'sk_...'"), and a
   * backend or proxy that echoes the request's Authorization header or the key as its body
   * would put the API key there, in every logged stack trace. Keep the type, position and stack;
   * drop the text.
   */
  private static Throwable withheld(Throwable cause) {
    if (!(cause instanceof com.fasterxml.jackson.core.JsonProcessingException)) {
      return cause;
    }
    com.fasterxml.jackson.core.JsonProcessingException j =
        (com.fasterxml.jackson.core.JsonProcessingException) cause;
    String where = j.getLocation() == null ? ""
        : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
    IOException safe = new IOException(j.getClass().getSimpleName() + where
        + " (the parser's message is withheld: it quotes the response, which may echo a secret)");
    safe.setStackTrace(j.getStackTrace());
    return safe;
  }

  /**
   * An error the backend reported inside a 2xx response, such as an {@code error} event in a
   * stream.
   *
   * @param provider the provider instance id
   * @param model the backend model called
   * @param payload the error payload
   * @param key the key to redact, or {@code null}
   * @return a retryable {@link Kind#SERVER_ERROR}
   */
  public static ProviderException inBand(
      String provider, String model, JsonNode payload, ApiKey key) {
    return new ProviderException(provider, Kind.SERVER_ERROR, 0, null,
        "provider '" + provider + "' model '" + model + "' reported an error mid-response: "
            + errorText(payload, key) + "; retry later",
        null);
  }

  /**
   * The backend's own error message from an error body: {@code error.message} (OpenAI,
   * Anthropic), {@code error} as text (Ollama), {@code message} (vLLM), {@code detail} (FastAPI
   * servers), else the start of the raw body. Redacted and shortened.
   *
   * @param body the error body
   * @param key the key to redact, or {@code null}
   * @return the message, never empty
   */
  static String backendMessage(byte[] body, ApiKey key) {
    if (body.length == 0) {
      return "(empty body)";
    }
    try {
      return errorText(Json.parse(body), key);
    } catch (IOException e) {
      return shorten(ApiKey.redact(key, new String(body, StandardCharsets.UTF_8)).strip());
    }
  }

  private static String errorText(JsonNode n, ApiKey key) {
    String text;
    JsonNode error = n.path("error");
    if (error.path("message").isTextual()) {
      text = error.path("message").asText();
    } else if (error.isTextual()) {
      text = error.asText();
    } else if (n.path("message").isTextual()) {
      text = n.path("message").asText();
    } else if (n.path("detail").isTextual()) {
      text = n.path("detail").asText();
    } else {
      text = n.toString();
    }
    return shorten(ApiKey.redact(key, text).strip());
  }

  private static String shorten(String s) {
    return s.length() <= MAX_BACKEND_MESSAGE ? s : s.substring(0, MAX_BACKEND_MESSAGE) + "...";
  }

  /**
   * The body could not be read to the end within the call's deadline.
   *
   * @since 0.1.0
   */
  static final class DeadlineExceededException extends IOException {
    DeadlineExceededException(Duration timeout) {
      super("the call's deadline of " + timeout + " passed while reading the response");
    }
  }
}
