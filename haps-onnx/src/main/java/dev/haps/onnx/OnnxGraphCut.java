package dev.haps.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cuts an ONNX model at inner tensors: the result computes only those tensors, as new float32
 * graph outputs, from the original graph inputs they depend on. For example, a transformer
 * encoder cut at the output of its fifth layer runs the embeddings and five layers and hands the
 * hidden state on to another graph that holds the rest.
 *
 * <pre>{@code
 * byte[] lower = OnnxGraphCut.cut(encoderBytes,
 *     Map.of("/encoder/layer.4/output/LayerNorm/Add_1_output_0", "hidden_state"));
 * }</pre>
 *
 * <p>The cut keeps, in their original order and unchanged, exactly the nodes the requested
 * tensors depend on, the initializers and graph inputs those nodes read, the opset imports and
 * metadata; it adds one {@code Identity} node per requested tensor that writes the new output,
 * declared as a float32 tensor of unknown shape (ONNX Runtime infers it). The original outputs
 * and the {@code value_info} annotations are dropped. The same input bytes always give the same
 * output bytes.
 *
 * @since 0.1.0
 */
public final class OnnxGraphCut {

  private static final int RECURSION_LIMIT = 64;

  private OnnxGraphCut() {}

  /**
   * Cuts a model.
   *
   * @param model a serialised {@code ModelProto}
   * @param outputs each tensor to compute (a node output of the graph) mapped to the name of the
   *     new graph output that carries it; iteration order is the new outputs' order
   * @return the cut model's bytes
   * @throws OnnxFormatException if the bytes are not an ONNX model with a graph
   * @throws IllegalArgumentException if {@code outputs} is empty, names a tensor no node of the
   *     graph produces, or gives an output name that is already a value of the graph or used
   *     twice
   */
  public static byte[] cut(byte[] model, Map<String, String> outputs) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(outputs, "outputs");
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("no tensor to cut at; name at least one node output");
    }
    DynamicMessage m = parse(model);
    FieldDescriptor graphField = f(OnnxSchema.MODEL, "graph");
    if (!m.hasField(graphField)) {
      throw new OnnxFormatException("ONNX model (" + model.length + " bytes) has no graph", null);
    }
    Message graph = (Message) m.getField(graphField);
    List<Message> nodes = messages(graph, OnnxSchema.GRAPH, "node");
    Map<String, Message> producer = new HashMap<>();
    Set<String> values = new HashSet<>();
    for (Message n : nodes) {
      for (String o : strings(n, "output")) {
        producer.put(o, n);
        values.add(o);
      }
    }
    for (Message in : messages(graph, OnnxSchema.GRAPH, "input")) {
      values.add(name(in, OnnxSchema.VALUE_INFO));
    }
    Set<String> newNames = new HashSet<>();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      String tensor = Objects.requireNonNull(e.getKey(), "tensor name");
      String out = Objects.requireNonNull(e.getValue(), "output name");
      if (!producer.containsKey(tensor)) {
        throw new IllegalArgumentException("no node of the graph produces tensor '" + tensor
            + "'; cut at a node output (OnnxModel.nodes() lists them)");
      }
      if (out.isBlank() || values.contains(out) || !newNames.add(out)) {
        throw new IllegalArgumentException("output name '" + out + "' is blank, already a value"
            + " of the graph or given twice; choose a new, unique name");
      }
    }

    // Walk back from the requested tensors to everything they depend on.
    Set<Message> keep = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> needed = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(outputs.keySet());
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (!needed.add(v)) {
        continue;
      }
      Message p = producer.get(v);
      if (p != null && keep.add(p)) {
        for (String in : strings(p, "input")) {
          if (!in.isEmpty()) {
            todo.push(in);
          }
        }
      }
    }

    DynamicMessage.Builder g = ((DynamicMessage) graph).toBuilder();
    FieldDescriptor nodeField = f(OnnxSchema.GRAPH, "node");
    g.clearField(nodeField);
    for (Message n : nodes) {
      if (keep.contains(n)) {
        g.addRepeatedField(nodeField, n);
      }
    }
    FieldDescriptor outputField = f(OnnxSchema.GRAPH, "output");
    g.clearField(outputField);
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      g.addRepeatedField(nodeField, DynamicMessage.newBuilder(OnnxSchema.NODE)
          .addRepeatedField(f(OnnxSchema.NODE, "input"), e.getKey())
          .addRepeatedField(f(OnnxSchema.NODE, "output"), e.getValue())
          .setField(f(OnnxSchema.NODE, "name"), "cut_" + e.getValue())
          .setField(f(OnnxSchema.NODE, "op_type"), "Identity")
          .build());
      g.addRepeatedField(outputField, floatOutput(e.getValue()));
    }
    FieldDescriptor initField = f(OnnxSchema.GRAPH, "initializer");
    g.clearField(initField);
    for (Message t : messages(graph, OnnxSchema.GRAPH, "initializer")) {
      if (needed.contains(name(t, OnnxSchema.TENSOR))) {
        g.addRepeatedField(initField, t);
      }
    }
    FieldDescriptor inputField = f(OnnxSchema.GRAPH, "input");
    g.clearField(inputField);
    for (Message in : messages(graph, OnnxSchema.GRAPH, "input")) {
      if (needed.contains(name(in, OnnxSchema.VALUE_INFO))) {
        g.addRepeatedField(inputField, in);
      }
    }
    g.clearField(f(OnnxSchema.GRAPH, "value_info"));
    return m.toBuilder().setField(graphField, g.build()).build().toByteArray();
  }

  private static DynamicMessage floatOutput(String name) {
    DynamicMessage tensor = DynamicMessage.newBuilder(OnnxSchema.TYPE_TENSOR)
        .setField(f(OnnxSchema.TYPE_TENSOR, "elem_type"), OnnxSchema.FLOAT)
        .build();
    DynamicMessage type = DynamicMessage.newBuilder(OnnxSchema.TYPE)
        .setField(f(OnnxSchema.TYPE, "tensor_type"), tensor)
        .build();
    return DynamicMessage.newBuilder(OnnxSchema.VALUE_INFO)
        .setField(f(OnnxSchema.VALUE_INFO, "name"), name)
        .setField(f(OnnxSchema.VALUE_INFO, "type"), type)
        .build();
  }

  private static DynamicMessage parse(byte[] bytes) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(RECURSION_LIMIT);
      return DynamicMessage.parseFrom(OnnxSchema.MODEL, in, ExtensionRegistry.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxFormatException("not a readable ONNX model (" + bytes.length + " bytes): "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new OnnxFormatException("not a readable ONNX model (" + bytes.length + " bytes): "
          + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Message> messages(Message m, com.google.protobuf.Descriptors.Descriptor d,
      String field) {
    return (List<Message>) m.getField(f(d, field));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Message node, String field) {
    return (List<String>) node.getField(f(OnnxSchema.NODE, field));
  }

  private static String name(Message m, com.google.protobuf.Descriptors.Descriptor d) {
    return (String) m.getField(f(d, "name"));
  }

  private static FieldDescriptor f(com.google.protobuf.Descriptors.Descriptor d, String name) {
    return OnnxSchema.field(d, name);
  }
}
