package dev.haps.onnx;

/**
 * Bytes that are not a readable ONNX model: not protobuf, truncated, or missing the graph.
 *
 * @since 0.1.0
 */
public class OnnxFormatException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where
   * @param cause the protobuf failure, or {@code null}
   */
  public OnnxFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
