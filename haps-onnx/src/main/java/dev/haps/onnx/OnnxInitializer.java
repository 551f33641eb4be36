package dev.haps.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * One constant tensor (weights, biases) of a parsed {@link OnnxModel}.
 *
 * <p>The declared shape is never trusted for allocation: element counts come from the stored
 * data, and a shape whose product disagrees with it (or overflows) is reported by
 * {@link #shapeMatchesData()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class OnnxInitializer {

  private final String name;
  private final int dataType;
  private final List<Long> dims;
  private final boolean external;
  private final long storedElements;
  private final ByteBuffer raw;
  private final List<Float> floatData;
  private final List<Double> doubleData;

  OnnxInitializer(String name, int dataType, List<Long> dims, boolean external, ByteBuffer raw,
      List<Float> floatData, List<Double> doubleData, long storedElements) {
    this.name = name;
    this.dataType = dataType;
    this.dims = List.copyOf(dims);
    this.external = external;
    this.raw = raw;
    this.floatData = floatData;
    this.doubleData = doubleData;
    this.storedElements = storedElements;
  }

  /**
   * The tensor's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The ONNX element type number ({@code 1} = float32, {@code 7} = int64, {@code 11} = double).
   *
   * @return the type
   */
  public int dataType() {
    return dataType;
  }

  /**
   * The declared shape.
   *
   * @return an unmodifiable list
   */
  public List<Long> dims() {
    return dims;
  }

  /**
   * Whether the tensor's data lives in an external file ({@code data_location = EXTERNAL}).
   *
   * @return {@code true} for external data
   */
  public boolean isExternal() {
    return external;
  }

  /**
   * The number of elements actually stored in the model (from {@code raw_data} or the typed
   * data field), or -1 when the element type is one this class does not size.
   *
   * @return the stored element count
   */
  public long storedElements() {
    return storedElements;
  }

  /**
   * The product of the declared dimensions, or -1 when a dimension is negative or the product
   * overflows a {@code long}.
   *
   * @return the declared element count
   */
  public long declaredElements() {
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        return -1;
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException overflow) {
        return -1;
      }
    }
    return n;
  }

  /**
   * Whether the declared shape describes exactly the stored data.
   *
   * @return {@code true} when {@link #declaredElements()} equals {@link #storedElements()}
   */
  public boolean shapeMatchesData() {
    return !external && storedElements >= 0 && declaredElements() == storedElements;
  }

  /**
   * Whether the element type is floating point (float32 or double), the types
   * {@link #firstNonFinite()} inspects.
   *
   * @return {@code true} for float32 and double tensors
   */
  public boolean isFloatingPoint() {
    return dataType == OnnxSchema.FLOAT || dataType == 11;
  }

  /**
   * The index of the first NaN or infinite element of a float32 or double tensor.
   *
   * @return the index, or -1 when every stored element is finite or the tensor is not floating
   *     point
   */
  public long firstNonFinite() {
    if (dataType == OnnxSchema.FLOAT) {
      if (raw != null) {
        FloatBuffer fb = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < fb.limit(); i++) {
          if (!Float.isFinite(fb.get(i))) {
            return i;
          }
        }
        return -1;
      }
      for (int i = 0; i < floatData.size(); i++) {
        if (!Float.isFinite(floatData.get(i))) {
          return i;
        }
      }
      return -1;
    }
    if (dataType == 11) {
      if (raw != null) {
        java.nio.DoubleBuffer db = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        for (int i = 0; i < db.limit(); i++) {
          if (!Double.isFinite(db.get(i))) {
            return i;
          }
        }
        return -1;
      }
      for (int i = 0; i < doubleData.size(); i++) {
        if (!Double.isFinite(doubleData.get(i))) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The value of a float32 element, as stored.
   *
   * @param index the element index, below {@link #storedElements()}
   * @return the value
   * @throws IllegalStateException if the tensor is not float32
   * @throws IndexOutOfBoundsException for a bad index
   */
  public float floatAt(long index) {
    if (dataType != OnnxSchema.FLOAT) {
      throw new IllegalStateException("initializer '" + name + "' has data type " + dataType
          + ", not float32 (1)");
    }
    if (index < 0 || index >= storedElements) {
      throw new IndexOutOfBoundsException("index " + index + " outside [0, " + storedElements
          + ") of initializer '" + name + "'");
    }
    if (raw != null) {
      return raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat((int) index * Float.BYTES);
    }
    return floatData.get((int) index);
  }

  /**
   * All elements of a float32 tensor, copied.
   *
   * @return the elements in row-major order
   * @throws IllegalStateException if the tensor is not float32
   */
  public float[] floats() {
    if (dataType != OnnxSchema.FLOAT) {
      throw new IllegalStateException("initializer '" + name + "' has data type " + dataType
          + ", not float32 (1)");
    }
    float[] out = new float[(int) storedElements];
    for (int i = 0; i < out.length; i++) {
      out[i] = floatAt(i);
    }
    return out;
  }

  @Override
  public String toString() {
    return "OnnxInitializer{" + name + ", type=" + dataType + ", dims=" + dims + "}";
  }
}
