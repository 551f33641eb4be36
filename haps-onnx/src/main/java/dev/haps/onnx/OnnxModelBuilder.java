package dev.haps.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a small ONNX model (one graph of float32 tensors) in memory and serialises it with
 * protobuf-java. This is how the HAPS trainer exports {@code router.onnx} and how tests make
 * fixture models.
 *
 * <pre>{@code
 * byte[] onnx = OnnxModelBuilder.create()
 *     .input("x", -1, 4)                       // -1: the symbolic batch dimension "N"
 *     .initializer("W", weights, 8, 4)         // [out, in], used with transB
 *     .initializer("b", bias, 8)
 *     .gemm("x", "W", "b", "h", true)
 *     .relu("h", "y")
 *     .output("y", -1, 8)
 *     .toBytes();
 * }</pre>
 *
 * <p>Defaults: opset 17 of the default ONNX domain, IR version 8 (both accepted by ONNX Runtime
 * 1.23), symbolic batch dimension {@code N}, producer {@code haps-onnx}. {@link #toBytes()}
 * checks the graph before writing: every name is defined once, every node input is defined by an
 * earlier node, an initializer or a graph input, every graph output is produced, and every
 * initializer's data length matches its dimensions.
 *
 * <p>A builder collects a graph step by step and is not thread-safe; it can be serialised any
 * number of times.
 *
 * @since 0.1.0
 */
public final class OnnxModelBuilder {

  /** Default opset of the ONNX domain. */
  public static final int DEFAULT_OPSET = 17;
  /** Default IR version. */
  public static final int DEFAULT_IR_VERSION = 8;

  private int opset = DEFAULT_OPSET;
  private int irVersion = DEFAULT_IR_VERSION;
  private String batchDim = "N";
  private String graphName = "haps";
  private String producerName = "haps-onnx";
  private String producerVersion = "0.1.0";
  private String docString = "";
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final List<DynamicMessage> inputs = new ArrayList<>();
  private final List<DynamicMessage> outputs = new ArrayList<>();
  private final List<DynamicMessage> initializers = new ArrayList<>();
  private final List<DynamicMessage> nodes = new ArrayList<>();
  // For checks in toBytes(): what each step defines and uses, in order.
  private final List<String> inputNames = new ArrayList<>();
  private final List<String> outputNames = new ArrayList<>();
  private final List<String> initializerNames = new ArrayList<>();
  private final List<List<String>> nodeInputs = new ArrayList<>();
  private final List<List<String>> nodeOutputs = new ArrayList<>();
  private int autoNames;

  private OnnxModelBuilder() {}

  /**
   * A new, empty builder.
   *
   * @return the builder
   */
  public static OnnxModelBuilder create() {
    return new OnnxModelBuilder();
  }

  /**
   * Sets the opset version of the default ONNX domain (default {@value #DEFAULT_OPSET}).
   *
   * @param version the opset version, at least 13 (the ops here use opset-13 signatures)
   * @return this builder
   * @throws IllegalArgumentException if below 13
   */
  public OnnxModelBuilder opset(int version) {
    if (version < 13) {
      throw new IllegalArgumentException("opset must be >= 13 (Slice/Softmax signatures), got "
          + version);
    }
    this.opset = version;
    return this;
  }

  /**
   * Sets the ONNX IR version (default {@value #DEFAULT_IR_VERSION}).
   *
   * @param version the IR version, 7 to 10
   * @return this builder
   * @throws IllegalArgumentException outside 7..10
   */
  public OnnxModelBuilder irVersion(int version) {
    if (version < 7 || version > 10) {
      throw new IllegalArgumentException("IR version must be in 7..10, got " + version);
    }
    this.irVersion = version;
    return this;
  }

  /**
   * Sets the name of the symbolic dimension that {@code -1} stands for (default {@code N}).
   *
   * @param name a non-blank identifier
   * @return this builder
   */
  public OnnxModelBuilder batchDimName(String name) {
    this.batchDim = requireName(name, "batch dimension name");
    return this;
  }

  /**
   * Sets the graph's name (default {@code haps}).
   *
   * @param name the name
   * @return this builder
   */
  public OnnxModelBuilder graphName(String name) {
    this.graphName = requireName(name, "graph name");
    return this;
  }

  /**
   * Sets the producer recorded in the model (default {@code haps-onnx 0.1.0}).
   *
   * @param name the producer's name
   * @param version the producer's version
   * @return this builder
   */
  public OnnxModelBuilder producer(String name, String version) {
    this.producerName = Objects.requireNonNull(name, "producer name");
    this.producerVersion = Objects.requireNonNull(version, "producer version");
    return this;
  }

  /**
   * Sets the model's doc string.
   *
   * @param doc free text
   * @return this builder
   */
  public OnnxModelBuilder docString(String doc) {
    this.docString = Objects.requireNonNull(doc, "doc string");
    return this;
  }

  /**
   * Adds a metadata entry ({@code ModelProto.metadata_props}).
   *
   * @param key the key, unique
   * @param value the value
   * @return this builder
   * @throws IllegalArgumentException if the key was already added
   */
  public OnnxModelBuilder metadata(String key, String value) {
    Objects.requireNonNull(value, "metadata value");
    if (metadata.putIfAbsent(requireName(key, "metadata key"), value) != null) {
      throw new IllegalArgumentException("metadata key '" + key + "' is already set");
    }
    return this;
  }

  /**
   * Declares a float32 graph input.
   *
   * @param name the input's name
   * @param dims the shape; {@code -1} marks the symbolic batch dimension
   * @return this builder
   * @throws IllegalArgumentException for a dimension below -1 or 0
   */
  public OnnxModelBuilder input(String name, long... dims) {
    inputNames.add(requireName(name, "input name"));
    inputs.add(valueInfo(name, dims));
    return this;
  }

  /**
   * Declares a float32 graph output.
   *
   * @param name the output's name, produced by some node
   * @param dims the shape; {@code -1} marks the symbolic batch dimension
   * @return this builder
   * @throws IllegalArgumentException for a dimension below -1 or 0
   */
  public OnnxModelBuilder output(String name, long... dims) {
    outputNames.add(requireName(name, "output name"));
    outputs.add(valueInfo(name, dims));
    return this;
  }

  /**
   * Adds a float32 constant (weights, biases).
   *
   * @param name the initializer's name
   * @param data the elements in row-major order; copied
   * @param dims the shape; its product must equal {@code data.length} (empty dims: a scalar)
   * @return this builder
   * @throws IllegalArgumentException if the data length does not match the shape
   */
  public OnnxModelBuilder initializer(String name, float[] data, long... dims) {
    Objects.requireNonNull(data, "initializer data");
    checkCount(name, data.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    addInitializer(name, OnnxSchema.FLOAT, ByteString.copyFrom(buf.array()), dims);
    return this;
  }

  /**
   * Adds an int64 constant (shapes, indices, Slice bounds).
   *
   * @param name the initializer's name
   * @param data the elements in row-major order; copied
   * @param dims the shape; its product must equal {@code data.length}
   * @return this builder
   * @throws IllegalArgumentException if the data length does not match the shape
   */
  public OnnxModelBuilder initializer(String name, long[] data, long... dims) {
    Objects.requireNonNull(data, "initializer data");
    checkCount(name, data.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(data);
    addInitializer(name, OnnxSchema.INT64, ByteString.copyFrom(buf.array()), dims);
    return this;
  }

  /**
   * Adds a node of any operator in the default ONNX domain.
   *
   * <p>Attribute values map to ONNX attribute types: {@link Float}/{@link Double} to FLOAT,
   * {@link Integer}/{@link Long} to INT, {@link Boolean} to INT (0/1), {@link String} to STRING,
   * {@code float[]}/{@code double[]} to FLOATS, {@code int[]}/{@code long[]} to INTS, a
   * {@link Collection} of strings to STRINGS.
   *
   * @param opType the operator, e.g. {@code Gemm}
   * @param inputs the input value names ({@code ""} for an omitted optional input)
   * @param outputs the output value names
   * @param attributes attribute name to value (written sorted by name, so that the bytes do not
   *     depend on the map's iteration order)
   * @return this builder
   * @throws IllegalArgumentException for an unsupported attribute value type
   */
  public OnnxModelBuilder node(
      String opType, List<String> inputs, List<String> outputs, Map<String, ?> attributes) {
    requireName(opType, "op type");
    List<String> in = List.copyOf(inputs);
    List<String> out = List.copyOf(outputs);
    if (out.isEmpty()) {
      throw new IllegalArgumentException("node " + opType + " has no outputs");
    }
    DynamicMessage.Builder n = DynamicMessage.newBuilder(OnnxSchema.NODE);
    for (String s : in) {
      n.addRepeatedField(f(OnnxSchema.NODE, "input"), s);
    }
    for (String s : out) {
      n.addRepeatedField(f(OnnxSchema.NODE, "output"), requireName(s, "node output name"));
    }
    n.setField(f(OnnxSchema.NODE, "name"), opType + "_" + nodes.size());
    n.setField(f(OnnxSchema.NODE, "op_type"), opType);
    // Sorted by name: callers pass Map.of, whose iteration order changes from one JVM to the
    // next, and the same graph must serialise to the same bytes.
    for (Map.Entry<String, ?> e : new java.util.TreeMap<>(attributes).entrySet()) {
      n.addRepeatedField(f(OnnxSchema.NODE, "attribute"), attribute(opType, e.getKey(), e.getValue()));
    }
    nodes.add(n.build());
    nodeInputs.add(in);
    nodeOutputs.add(out);
    return this;
  }

  /**
   * Adds a node without attributes.
   *
   * @param opType the operator
   * @param inputs the input value names
   * @param outputs the output value names
   * @return this builder
   */
  public OnnxModelBuilder node(String opType, List<String> inputs, List<String> outputs) {
    return node(opType, inputs, outputs, Map.of());
  }

  /**
   * {@code out = a · bᵀ + c} (with {@code transB}) or {@code a · b + c}: a dense layer.
   *
   * @param a the input {@code [N, in]}
   * @param b the weights, {@code [out, in]} with transB, else {@code [in, out]}
   * @param c the bias {@code [out]}
   * @param out the output name
   * @param transB whether {@code b} is transposed
   * @return this builder
   */
  public OnnxModelBuilder gemm(String a, String b, String c, String out, boolean transB) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("transB", transB ? 1L : 0L);
    return node("Gemm", List.of(a, b, c), List.of(out), attrs);
  }

  /**
   * Matrix product with NumPy broadcasting.
   *
   * @param a the left operand
   * @param b the right operand
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder matMul(String a, String b, String out) {
    return node("MatMul", List.of(a, b), List.of(out));
  }

  /**
   * Element-wise {@code a + b} with broadcasting.
   *
   * @param a the left operand
   * @param b the right operand
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder add(String a, String b, String out) {
    return node("Add", List.of(a, b), List.of(out));
  }

  /**
   * Element-wise {@code a − b} with broadcasting.
   *
   * @param a the left operand
   * @param b the right operand
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder sub(String a, String b, String out) {
    return node("Sub", List.of(a, b), List.of(out));
  }

  /**
   * Element-wise {@code a · b} with broadcasting.
   *
   * @param a the left operand
   * @param b the right operand
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder mul(String a, String b, String out) {
    return node("Mul", List.of(a, b), List.of(out));
  }

  /**
   * Element-wise {@code a / b} with broadcasting.
   *
   * @param a the left operand
   * @param b the right operand
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder div(String a, String b, String out) {
    return node("Div", List.of(a, b), List.of(out));
  }

  /**
   * Element-wise {@code max(x, 0)}.
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder relu(String x, String out) {
    return node("Relu", List.of(x), List.of(out));
  }

  /**
   * Element-wise hyperbolic tangent.
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder tanh(String x, String out) {
    return node("Tanh", List.of(x), List.of(out));
  }

  /**
   * Element-wise logistic sigmoid.
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder sigmoid(String x, String out) {
    return node("Sigmoid", List.of(x), List.of(out));
  }

  /**
   * Element-wise {@code e^x}.
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder exp(String x, String out) {
    return node("Exp", List.of(x), List.of(out));
  }

  /**
   * Element-wise natural logarithm.
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder log(String x, String out) {
    return node("Log", List.of(x), List.of(out));
  }

  /**
   * Copies {@code x} to a new name (e.g. to expose a value as a second graph output).
   *
   * @param x the input
   * @param out the output name
   * @return this builder
   */
  public OnnxModelBuilder identity(String x, String out) {
    return node("Identity", List.of(x), List.of(out));
  }

  /**
   * Softmax along one axis.
   *
   * @param x the input
   * @param out the output name
   * @param axis the axis (negative counts from the end)
   * @return this builder
   */
  public OnnxModelBuilder softmax(String x, String out, int axis) {
    return node("Softmax", List.of(x), List.of(out), Map.of("axis", (long) axis));
  }

  /**
   * Concatenates tensors along one axis.
   *
   * @param out the output name
   * @param axis the axis (negative counts from the end)
   * @param inputs the tensors, in order
   * @return this builder
   */
  public OnnxModelBuilder concat(String out, int axis, String... inputs) {
    return node("Concat", List.of(inputs), List.of(out), Map.of("axis", (long) axis));
  }

  /**
   * Slices {@code data} (opset-13 Slice: bounds are int64 inputs, added here as initializers).
   *
   * @param data the input
   * @param out the output name
   * @param starts start index per sliced axis
   * @param ends end index (exclusive) per sliced axis
   * @param axes the sliced axes
   * @return this builder
   * @throws IllegalArgumentException if the three arrays differ in length
   */
  public OnnxModelBuilder slice(String data, String out, long[] starts, long[] ends, long[] axes) {
    if (starts.length != ends.length || starts.length != axes.length || starts.length == 0) {
      throw new IllegalArgumentException("slice of '" + data + "' needs starts, ends and axes of"
          + " one non-zero length, got " + starts.length + ", " + ends.length + ", " + axes.length);
    }
    String base = out + "__slice" + (autoNames++);
    initializer(base + "_starts", starts, starts.length);
    initializer(base + "_ends", ends, ends.length);
    initializer(base + "_axes", axes, axes.length);
    return node("Slice", List.of(data, base + "_starts", base + "_ends", base + "_axes"),
        List.of(out));
  }

  /**
   * Checks the graph and serialises the model.
   *
   * @return the ONNX model bytes
   * @throws IllegalStateException naming the first problem found: a duplicate name, an undefined
   *     node input, an output nothing produces, no outputs
   */
  public byte[] toBytes() {
    check();
    DynamicMessage.Builder g = DynamicMessage.newBuilder(OnnxSchema.GRAPH);
    g.setField(f(OnnxSchema.GRAPH, "name"), graphName);
    nodes.forEach(n -> g.addRepeatedField(f(OnnxSchema.GRAPH, "node"), n));
    initializers.forEach(t -> g.addRepeatedField(f(OnnxSchema.GRAPH, "initializer"), t));
    inputs.forEach(v -> g.addRepeatedField(f(OnnxSchema.GRAPH, "input"), v));
    outputs.forEach(v -> g.addRepeatedField(f(OnnxSchema.GRAPH, "output"), v));

    DynamicMessage opsetId = DynamicMessage.newBuilder(OnnxSchema.OPSET)
        .setField(f(OnnxSchema.OPSET, "domain"), "")
        .setField(f(OnnxSchema.OPSET, "version"), (long) opset)
        .build();
    DynamicMessage.Builder m = DynamicMessage.newBuilder(OnnxSchema.MODEL)
        .setField(f(OnnxSchema.MODEL, "ir_version"), (long) irVersion)
        .setField(f(OnnxSchema.MODEL, "producer_name"), producerName)
        .setField(f(OnnxSchema.MODEL, "producer_version"), producerVersion)
        .setField(f(OnnxSchema.MODEL, "graph"), g.build())
        .addRepeatedField(f(OnnxSchema.MODEL, "opset_import"), opsetId);
    if (!docString.isEmpty()) {
      m.setField(f(OnnxSchema.MODEL, "doc_string"), docString);
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      m.addRepeatedField(f(OnnxSchema.MODEL, "metadata_props"),
          DynamicMessage.newBuilder(OnnxSchema.STRING_ENTRY)
              .setField(f(OnnxSchema.STRING_ENTRY, "key"), e.getKey())
              .setField(f(OnnxSchema.STRING_ENTRY, "value"), e.getValue())
              .build());
    }
    return m.build().toByteArray();
  }

  /**
   * Serialises the model to a file, atomically where the file system allows (a temporary
   * sibling file, then a move).
   *
   * @param file the target file; its parent directory must exist
   * @return this builder
   * @throws IOException if writing fails
   * @throws IllegalStateException if the graph is invalid (see {@link #toBytes()})
   */
  public OnnxModelBuilder write(Path file) throws IOException {
    byte[] bytes = toBytes();
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException atomicNotSupported) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return this;
  }

  private void check() {
    if (outputNames.isEmpty()) {
      throw new IllegalStateException("onnx graph has no outputs: call output(name, dims...)");
    }
    Set<String> defined = new HashSet<>();
    for (String s : inputNames) {
      define(defined, s, "graph input");
    }
    for (String s : initializerNames) {
      define(defined, s, "initializer");
    }
    for (int i = 0; i < nodes.size(); i++) {
      for (String s : nodeInputs.get(i)) {
        if (!s.isEmpty() && !defined.contains(s)) {
          throw new IllegalStateException("onnx node " + i + " uses '" + s + "', which no graph"
              + " input, initializer or earlier node defines; add it before the node");
        }
      }
      for (String s : nodeOutputs.get(i)) {
        define(defined, s, "node " + i + " output");
      }
    }
    Set<String> seenOutputs = new HashSet<>();
    for (String s : outputNames) {
      if (!defined.contains(s)) {
        throw new IllegalStateException("onnx graph output '" + s + "' is not produced by any"
            + " node, input or initializer");
      }
      if (!seenOutputs.add(s)) {
        throw new IllegalStateException("onnx graph output '" + s + "' is declared twice");
      }
    }
  }

  private static void define(Set<String> defined, String name, String what) {
    if (!defined.add(name)) {
      throw new IllegalStateException("onnx value name '" + name + "' (" + what + ") is defined"
          + " twice; every input, initializer and node output needs a unique name");
    }
  }

  private DynamicMessage valueInfo(String name, long[] dims) {
    DynamicMessage.Builder shape = DynamicMessage.newBuilder(OnnxSchema.SHAPE);
    for (long d : dims) {
      DynamicMessage.Builder dim = DynamicMessage.newBuilder(OnnxSchema.DIMENSION);
      if (d == -1) {
        dim.setField(f(OnnxSchema.DIMENSION, "dim_param"), batchDim);
      } else if (d > 0) {
        dim.setField(f(OnnxSchema.DIMENSION, "dim_value"), d);
      } else {
        throw new IllegalArgumentException("value '" + name + "' has dimension " + d
            + " in " + Arrays.toString(dims) + "; expected a positive size or -1 (batch)");
      }
      shape.addRepeatedField(f(OnnxSchema.SHAPE, "dim"), dim.build());
    }
    DynamicMessage tensorType = DynamicMessage.newBuilder(OnnxSchema.TYPE_TENSOR)
        .setField(f(OnnxSchema.TYPE_TENSOR, "elem_type"), OnnxSchema.FLOAT)
        .setField(f(OnnxSchema.TYPE_TENSOR, "shape"), shape.build())
        .build();
    DynamicMessage type = DynamicMessage.newBuilder(OnnxSchema.TYPE)
        .setField(f(OnnxSchema.TYPE, "tensor_type"), tensorType)
        .build();
    return DynamicMessage.newBuilder(OnnxSchema.VALUE_INFO)
        .setField(f(OnnxSchema.VALUE_INFO, "name"), name)
        .setField(f(OnnxSchema.VALUE_INFO, "type"), type)
        .build();
  }

  private void addInitializer(String name, int dataType, ByteString raw, long[] dims) {
    DynamicMessage.Builder t = DynamicMessage.newBuilder(OnnxSchema.TENSOR);
    for (long d : dims) {
      t.addRepeatedField(f(OnnxSchema.TENSOR, "dims"), d);
    }
    t.setField(f(OnnxSchema.TENSOR, "data_type"), dataType);
    t.setField(f(OnnxSchema.TENSOR, "name"), name);
    t.setField(f(OnnxSchema.TENSOR, "raw_data"), raw);
    initializers.add(t.build());
    initializerNames.add(name);
  }

  private static void checkCount(String name, int length, long[] dims) {
    requireName(name, "initializer name");
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("initializer '" + name + "' has negative dimension "
            + d + " in " + Arrays.toString(dims));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != length) {
      throw new IllegalArgumentException("initializer '" + name + "' has " + length
          + " elements but shape " + Arrays.toString(dims) + " needs " + n);
    }
  }

  private static DynamicMessage attribute(String op, String name, Object value) {
    requireName(name, "attribute name");
    DynamicMessage.Builder a = DynamicMessage.newBuilder(OnnxSchema.ATTRIBUTE);
    a.setField(f(OnnxSchema.ATTRIBUTE, "name"), name);
    int type;
    if (value instanceof Float || value instanceof Double) {
      a.setField(f(OnnxSchema.ATTRIBUTE, "f"), ((Number) value).floatValue());
      type = OnnxSchema.ATTR_FLOAT;
    } else if (value instanceof Integer || value instanceof Long) {
      a.setField(f(OnnxSchema.ATTRIBUTE, "i"), ((Number) value).longValue());
      type = OnnxSchema.ATTR_INT;
    } else if (value instanceof Boolean) {
      a.setField(f(OnnxSchema.ATTRIBUTE, "i"), ((Boolean) value) ? 1L : 0L);
      type = OnnxSchema.ATTR_INT;
    } else if (value instanceof String) {
      a.setField(f(OnnxSchema.ATTRIBUTE, "s"), ByteString.copyFromUtf8((String) value));
      type = OnnxSchema.ATTR_STRING;
    } else if (value instanceof float[]) {
      for (float v : (float[]) value) {
        a.addRepeatedField(f(OnnxSchema.ATTRIBUTE, "floats"), v);
      }
      type = OnnxSchema.ATTR_FLOATS;
    } else if (value instanceof double[]) {
      for (double v : (double[]) value) {
        a.addRepeatedField(f(OnnxSchema.ATTRIBUTE, "floats"), (float) v);
      }
      type = OnnxSchema.ATTR_FLOATS;
    } else if (value instanceof long[]) {
      for (long v : (long[]) value) {
        a.addRepeatedField(f(OnnxSchema.ATTRIBUTE, "ints"), v);
      }
      type = OnnxSchema.ATTR_INTS;
    } else if (value instanceof int[]) {
      for (int v : (int[]) value) {
        a.addRepeatedField(f(OnnxSchema.ATTRIBUTE, "ints"), (long) v);
      }
      type = OnnxSchema.ATTR_INTS;
    } else if (value instanceof Collection<?>
        && ((Collection<?>) value).stream().allMatch(String.class::isInstance)) {
      for (Object v : (Collection<?>) value) {
        a.addRepeatedField(f(OnnxSchema.ATTRIBUTE, "strings"), ByteString.copyFromUtf8((String) v));
      }
      type = OnnxSchema.ATTR_STRINGS;
    } else {
      throw new IllegalArgumentException("attribute '" + name + "' of " + op + " has unsupported"
          + " value type " + (value == null ? "null" : value.getClass().getName())
          + "; use Float, Double, Integer, Long, Boolean, String, float[], double[], int[],"
          + " long[] or a collection of strings");
    }
    a.setField(f(OnnxSchema.ATTRIBUTE, "type"),
        OnnxSchema.ATTRIBUTE.findEnumTypeByName("AttributeType").findValueByNumber(type));
    return a.build();
  }

  private static FieldDescriptor f(com.google.protobuf.Descriptors.Descriptor d, String name) {
    return OnnxSchema.field(d, name);
  }

  private static String requireName(String s, String what) {
    Objects.requireNonNull(s, what + " must not be null");
    if (s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return s;
  }
}
