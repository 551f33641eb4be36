package dev.haps.api.error;

/**
 * The SDK was set up wrongly: a missing or malformed setting, an unknown provider type, two
 * providers claiming one id, a candidate mapped to nothing. Raised at start-up where possible, so
 * that a misconfiguration never surfaces as a per-request failure.
 *
 * @since 0.1.0
 */
public class ConfigurationException extends HapsException {

  /**
   * Creates the exception.
   *
   * @param message what is misconfigured, the offending value, and how to fix it
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is misconfigured, the offending value, and how to fix it
   * @param cause the underlying failure
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
