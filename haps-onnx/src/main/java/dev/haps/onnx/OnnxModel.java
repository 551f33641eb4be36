package dev.haps.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of a serialised ONNX model: IR version, opsets, graph inputs and outputs, node
 * operators and initializers. Used to validate models without running them (for example to scan
 * a router bundle's weights for NaN before ONNX Runtime sees them).
 *
 * <p>Parsing never trusts declared sizes: protobuf-java checks every length against the bytes
 * given, and tensor element counts come from the data actually stored. Corrupt input raises
 * {@link OnnxFormatException}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class OnnxModel {

  /** Nesting bound for sub-graphs inside attributes; far above what a router network uses. */
  private static final int RECURSION_LIMIT = 64;

  private final long irVersion;
  private final String producerName;
  private final Map<String, Long> opsets;
  private final List<OnnxValueInfo> inputs;
  private final List<OnnxValueInfo> outputs;
  private final List<String> opTypes;
  private final List<OnnxNode> nodes;
  private final List<OnnxInitializer> initializers;
  private final Map<String, String> metadata;

  private OnnxModel(long irVersion, String producerName, Map<String, Long> opsets,
      List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs, List<OnnxNode> nodes,
      List<OnnxInitializer> initializers, Map<String, String> metadata) {
    this.irVersion = irVersion;
    this.producerName = producerName;
    this.opsets = Collections.unmodifiableMap(opsets);
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.nodes = List.copyOf(nodes);
    List<String> ops = new ArrayList<>(nodes.size());
    for (OnnxNode n : nodes) {
      ops.add(n.opType());
    }
    this.opTypes = List.copyOf(ops);
    this.initializers = List.copyOf(initializers);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /**
   * Parses model bytes.
   *
   * @param bytes a serialised {@code ModelProto}
   * @return the view
   * @throws OnnxFormatException if the bytes are not a protobuf {@code ModelProto} or have no
   *     graph
   */
  public static OnnxModel parse(byte[] bytes) {
    DynamicMessage model;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(RECURSION_LIMIT);
      model = DynamicMessage.parseFrom(OnnxSchema.MODEL, in, ExtensionRegistry.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxFormatException("not a readable ONNX model (" + bytes.length + " bytes): "
          + e.getMessage(), e);
    } catch (java.io.IOException e) {
      // parseFrom(CodedInputStream) declares IOException; over a byte[] only protobuf errors occur.
      throw new OnnxFormatException("not a readable ONNX model (" + bytes.length + " bytes): "
          + e.getMessage(), e);
    }
    if (!model.hasField(f(OnnxSchema.MODEL, "graph"))) {
      throw new OnnxFormatException("ONNX model (" + bytes.length + " bytes) has no graph", null);
    }
    Message graph = (Message) model.getField(f(OnnxSchema.MODEL, "graph"));

    Map<String, Long> opsets = new LinkedHashMap<>();
    for (Message o : messages(model, OnnxSchema.MODEL, "opset_import")) {
      opsets.put(string(o, OnnxSchema.OPSET, "domain"),
          (Long) o.getField(f(OnnxSchema.OPSET, "version")));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Message e : messages(model, OnnxSchema.MODEL, "metadata_props")) {
      metadata.put(string(e, OnnxSchema.STRING_ENTRY, "key"),
          string(e, OnnxSchema.STRING_ENTRY, "value"));
    }
    List<OnnxValueInfo> inputs = new ArrayList<>();
    for (Message v : messages(graph, OnnxSchema.GRAPH, "input")) {
      inputs.add(valueInfo(v));
    }
    List<OnnxValueInfo> outputs = new ArrayList<>();
    for (Message v : messages(graph, OnnxSchema.GRAPH, "output")) {
      outputs.add(valueInfo(v));
    }
    List<OnnxNode> nodes = new ArrayList<>();
    for (Message n : messages(graph, OnnxSchema.GRAPH, "node")) {
      nodes.add(node(n));
    }
    List<OnnxInitializer> inits = new ArrayList<>();
    for (Message t : messages(graph, OnnxSchema.GRAPH, "initializer")) {
      inits.add(initializer(t));
    }
    return new OnnxModel((Long) model.getField(f(OnnxSchema.MODEL, "ir_version")),
        string(model, OnnxSchema.MODEL, "producer_name"), opsets, inputs, outputs, nodes, inits,
        metadata);
  }

  /**
   * The IR version.
   *
   * @return the version, 0 when absent
   */
  public long irVersion() {
    return irVersion;
  }

  /**
   * The producer's name.
   *
   * @return the name, empty when absent
   */
  public String producerName() {
    return producerName;
  }

  /**
   * The imported opsets: domain ({@code ""} for the default ONNX domain) to version.
   *
   * @return an unmodifiable map in file order
   */
  public Map<String, Long> opsets() {
    return opsets;
  }

  /**
   * The graph inputs, initializers listed as inputs included.
   *
   * @return an unmodifiable list in file order
   */
  public List<OnnxValueInfo> inputs() {
    return inputs;
  }

  /**
   * The graph outputs.
   *
   * @return an unmodifiable list in file order
   */
  public List<OnnxValueInfo> outputs() {
    return outputs;
  }

  /**
   * The operator of each node, in graph order.
   *
   * @return an unmodifiable list
   */
  public List<String> opTypes() {
    return opTypes;
  }

  /**
   * The graph's nodes, in graph order (operators, the values they read and write, attribute
   * names). Nodes of sub-graphs inside attributes are not listed.
   *
   * @return an unmodifiable list
   */
  public List<OnnxNode> nodes() {
    return nodes;
  }

  /**
   * The graph's initializers.
   *
   * @return an unmodifiable list in file order
   */
  public List<OnnxInitializer> initializers() {
    return initializers;
  }

  /**
   * The model's metadata entries.
   *
   * @return an unmodifiable map in file order
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  @SuppressWarnings("unchecked")
  private static OnnxNode node(Message n) {
    List<String> attributes = new ArrayList<>();
    for (Message a : messages(n, OnnxSchema.NODE, "attribute")) {
      attributes.add(string(a, OnnxSchema.ATTRIBUTE, "name"));
    }
    return new OnnxNode(string(n, OnnxSchema.NODE, "name"), string(n, OnnxSchema.NODE, "op_type"),
        string(n, OnnxSchema.NODE, "domain"),
        (List<String>) n.getField(f(OnnxSchema.NODE, "input")),
        (List<String>) n.getField(f(OnnxSchema.NODE, "output")), attributes);
  }

  private static OnnxValueInfo valueInfo(Message v) {
    String name = string(v, OnnxSchema.VALUE_INFO, "name");
    int elemType = 0;
    List<Long> dims = new ArrayList<>();
    List<String> dimNames = new ArrayList<>();
    FieldDescriptor typeField = f(OnnxSchema.VALUE_INFO, "type");
    if (v.hasField(typeField)) {
      Message type = (Message) v.getField(typeField);
      FieldDescriptor tt = f(OnnxSchema.TYPE, "tensor_type");
      if (type.hasField(tt)) {
        Message tensor = (Message) type.getField(tt);
        elemType = (Integer) tensor.getField(f(OnnxSchema.TYPE_TENSOR, "elem_type"));
        FieldDescriptor shapeField = f(OnnxSchema.TYPE_TENSOR, "shape");
        if (tensor.hasField(shapeField)) {
          Message shape = (Message) tensor.getField(shapeField);
          for (Message d : messages(shape, OnnxSchema.SHAPE, "dim")) {
            FieldDescriptor value = f(OnnxSchema.DIMENSION, "dim_value");
            if (d.hasField(value)) {
              dims.add((Long) d.getField(value));
              dimNames.add("");
            } else {
              dims.add(-1L);
              dimNames.add(string(d, OnnxSchema.DIMENSION, "dim_param"));
            }
          }
        }
      }
    }
    return new OnnxValueInfo(name, elemType, dims, dimNames);
  }

  private static OnnxInitializer initializer(Message t) {
    Descriptor d = OnnxSchema.TENSOR;
    String name = string(t, d, "name");
    int dataType = (Integer) t.getField(f(d, "data_type"));
    List<Long> dims = new ArrayList<>();
    FieldDescriptor dimsField = f(d, "dims");
    for (int i = 0; i < t.getRepeatedFieldCount(dimsField); i++) {
      dims.add((Long) t.getRepeatedField(dimsField, i));
    }
    FieldDescriptor loc = f(d, "data_location");
    boolean external = t.hasField(loc)
        && ((EnumValueDescriptor) t.getField(loc)).getNumber() == 1;
    FieldDescriptor rawField = f(d, "raw_data");
    ByteBuffer raw = null;
    long stored;
    List<Float> floats = List.of();
    List<Double> doubles = List.of();
    int width = elementWidth(dataType);
    if (t.hasField(rawField)) {
      ByteString bs = (ByteString) t.getField(rawField);
      raw = bs.asReadOnlyByteBuffer();
      stored = width > 0 && bs.size() % width == 0 ? bs.size() / width : -1;
    } else {
      floats = typedList(t, f(d, "float_data"));
      doubles = typedList(t, f(d, "double_data"));
      stored = switch (dataType) {
        case 1 -> floats.size();
        case 11 -> doubles.size();
        case 7 -> t.getRepeatedFieldCount(f(d, "int64_data"));
        case 2, 3, 4, 5, 6, 9, 10, 16 -> t.getRepeatedFieldCount(f(d, "int32_data"));
        case 12, 13 -> t.getRepeatedFieldCount(f(d, "uint64_data"));
        default -> -1;
      };
    }
    return new OnnxInitializer(name, dataType, dims, external, raw, floats, doubles, stored);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> typedList(Message m, FieldDescriptor field) {
    return (List<T>) m.getField(field);
  }

  private static int elementWidth(int dataType) {
    return switch (dataType) {
      case 1, 6, 12 -> 4; // float, int32, uint32
      case 2, 3, 9 -> 1; // uint8, int8, bool
      case 4, 5, 10, 16 -> 2; // uint16, int16, float16, bfloat16
      case 7, 11, 13 -> 8; // int64, double, uint64
      default -> -1;
    };
  }

  @SuppressWarnings("unchecked")
  private static List<Message> messages(Message m, Descriptor d, String field) {
    return (List<Message>) m.getField(f(d, field));
  }

  private static String string(Message m, Descriptor d, String field) {
    return (String) m.getField(f(d, field));
  }

  private static FieldDescriptor f(Descriptor d, String name) {
    return OnnxSchema.field(d, name);
  }
}
