package dev.haps.api.error;

/**
 * A parameter value does not fit its declared {@link dev.haps.api.params.ParameterSpec}. The
 * message names the parameter, the value and the bound it broke; the accessors give the same
 * facts to code.
 *
 * @since 0.1.0
 */
public class InvalidParameterException extends InvalidRequestException {

  private final String parameter;
  private final String value;

  /**
   * Creates the exception.
   *
   * @param parameter the parameter's name
   * @param value the offending value, as text
   * @param message the full message (parameter, value, the rule it broke)
   */
  public InvalidParameterException(String parameter, String value, String message) {
    super(message);
    this.parameter = parameter;
    this.value = value;
  }

  /**
   * The name of the parameter whose value was rejected.
   *
   * @return the parameter name
   */
  public String parameter() {
    return parameter;
  }

  /**
   * The rejected value, as text.
   *
   * @return the value
   */
  public String value() {
    return value;
  }
}
