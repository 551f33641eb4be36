package dev.haps.api.error;

/**
 * A request cannot be served as given: an empty query, a cost weight outside [0, 1], a parameter
 * value outside its declared range. Retrying the same request will fail again.
 *
 * @since 0.1.0
 */
public class InvalidRequestException extends HapsException {

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the request, the offending value, and what is allowed
   */
  public InvalidRequestException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is wrong with the request, the offending value, and what is allowed
   * @param cause the underlying failure
   */
  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
