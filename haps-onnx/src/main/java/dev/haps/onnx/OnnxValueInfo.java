package dev.haps.onnx;

import java.util.List;

/**
 * A graph input or output as declared in an ONNX model.
 *
 * @param name the value's name
 * @param elementType the ONNX element type number ({@code 1} = float32, {@code 7} = int64), or 0
 *     when the value is not a tensor or declares none
 * @param dims the shape: a size per dimension, {@code -1} where the dimension is symbolic or
 *     unknown; empty when the model declares no shape
 * @param dimNames the symbolic name per dimension ({@code ""} for a fixed size), same length as
 *     {@code dims}
 * @since 0.1.0
 */
public record OnnxValueInfo(String name, int elementType, List<Long> dims, List<String> dimNames) {

  /** Copies the lists. */
  public OnnxValueInfo {
    dims = List.copyOf(dims);
    dimNames = List.copyOf(dimNames);
  }
}
