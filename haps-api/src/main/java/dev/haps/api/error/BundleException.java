package dev.haps.api.error;

/**
 * A router bundle could not be loaded or does not honour the bundle contract: a missing file, an
 * unknown format version, an encoder mismatch, ONNX inputs or outputs that disagree with the
 * manifest, non-finite weights. The message names the file, the field, what was found and what
 * was expected.
 *
 * @since 0.1.0
 */
public class BundleException extends HapsException {

  /**
   * Creates the exception.
   *
   * @param message the file, the field, what was found and what was expected
   */
  public BundleException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message the file, the field, what was found and what was expected
   * @param cause the underlying failure
   */
  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
