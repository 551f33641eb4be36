package dev.haps.onnx;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * The subset of ONNX's {@code onnx.proto} (proto2, package {@code onnx}) this module reads and
 * writes, built as protobuf descriptors in code so that the build needs no {@code protoc}.
 *
 * <p>Field numbers follow onnx/onnx {@code onnx/onnx.proto}; messages and fields not listed here
 * are preserved as unknown fields when parsing and never written. The descriptor is validated by
 * protobuf-java itself when this class initialises.
 */
final class OnnxSchema {

  static final FileDescriptor FILE = build();

  static final Descriptor MODEL = FILE.findMessageTypeByName("ModelProto");
  static final Descriptor OPSET = FILE.findMessageTypeByName("OperatorSetIdProto");
  static final Descriptor STRING_ENTRY = FILE.findMessageTypeByName("StringStringEntryProto");
  static final Descriptor GRAPH = FILE.findMessageTypeByName("GraphProto");
  static final Descriptor NODE = FILE.findMessageTypeByName("NodeProto");
  static final Descriptor ATTRIBUTE = FILE.findMessageTypeByName("AttributeProto");
  static final Descriptor VALUE_INFO = FILE.findMessageTypeByName("ValueInfoProto");
  static final Descriptor TENSOR = FILE.findMessageTypeByName("TensorProto");
  static final Descriptor SHAPE = FILE.findMessageTypeByName("TensorShapeProto");
  static final Descriptor DIMENSION = SHAPE.findNestedTypeByName("Dimension");
  static final Descriptor TYPE = FILE.findMessageTypeByName("TypeProto");
  static final Descriptor TYPE_TENSOR = TYPE.findNestedTypeByName("Tensor");

  /** ONNX {@code TensorProto.DataType.FLOAT}. */
  static final int FLOAT = 1;
  /** ONNX {@code TensorProto.DataType.INT64}. */
  static final int INT64 = 7;

  /** ONNX {@code AttributeProto.AttributeType} numbers. */
  static final int ATTR_FLOAT = 1;
  static final int ATTR_INT = 2;
  static final int ATTR_STRING = 3;
  static final int ATTR_TENSOR = 4;
  static final int ATTR_FLOATS = 6;
  static final int ATTR_INTS = 7;
  static final int ATTR_STRINGS = 8;

  private OnnxSchema() {}

  static FieldDescriptor field(Descriptor d, String name) {
    FieldDescriptor f = d.findFieldByName(name);
    if (f == null) {
      throw new IllegalStateException("onnx schema: " + d.getName() + " has no field " + name);
    }
    return f;
  }

  private static FileDescriptor build() {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
        .setName("dev/haps/onnx/onnx_subset.proto")
        .setPackage("onnx")
        .setSyntax("proto2");

    file.addMessageType(message("StringStringEntryProto")
        .addField(opt("key", 1, Type.TYPE_STRING))
        .addField(opt("value", 2, Type.TYPE_STRING)));

    file.addMessageType(message("OperatorSetIdProto")
        .addField(opt("domain", 1, Type.TYPE_STRING))
        .addField(opt("version", 2, Type.TYPE_INT64)));

    DescriptorProto.Builder dimension = message("Dimension")
        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("value"))
        .addField(opt("dim_value", 1, Type.TYPE_INT64).setOneofIndex(0))
        .addField(opt("dim_param", 2, Type.TYPE_STRING).setOneofIndex(0))
        .addField(opt("denotation", 3, Type.TYPE_STRING));
    file.addMessageType(message("TensorShapeProto")
        .addNestedType(dimension)
        .addField(rep("dim", 1, ".onnx.TensorShapeProto.Dimension")));

    DescriptorProto.Builder typeTensor = message("Tensor")
        .addField(opt("elem_type", 1, Type.TYPE_INT32))
        .addField(optMsg("shape", 2, ".onnx.TensorShapeProto"));
    file.addMessageType(message("TypeProto")
        .addNestedType(typeTensor)
        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("value"))
        .addField(optMsg("tensor_type", 1, ".onnx.TypeProto.Tensor").setOneofIndex(0))
        .addField(opt("denotation", 6, Type.TYPE_STRING)));

    file.addMessageType(message("ValueInfoProto")
        .addField(opt("name", 1, Type.TYPE_STRING))
        .addField(optMsg("type", 2, ".onnx.TypeProto"))
        .addField(opt("doc_string", 3, Type.TYPE_STRING)));

    DescriptorProto.Builder segment = message("Segment")
        .addField(opt("begin", 1, Type.TYPE_INT64))
        .addField(opt("end", 2, Type.TYPE_INT64));
    EnumDescriptorProto.Builder dataLocation = EnumDescriptorProto.newBuilder()
        .setName("DataLocation")
        .addValue(EnumValueDescriptorProto.newBuilder().setName("DEFAULT").setNumber(0))
        .addValue(EnumValueDescriptorProto.newBuilder().setName("EXTERNAL").setNumber(1));
    file.addMessageType(message("TensorProto")
        .addNestedType(segment)
        .addEnumType(dataLocation)
        .addField(packed(rep("dims", 1, Type.TYPE_INT64)))
        .addField(opt("data_type", 2, Type.TYPE_INT32))
        .addField(optMsg("segment", 3, ".onnx.TensorProto.Segment"))
        .addField(packed(rep("float_data", 4, Type.TYPE_FLOAT)))
        .addField(packed(rep("int32_data", 5, Type.TYPE_INT32)))
        .addField(rep("string_data", 6, Type.TYPE_BYTES))
        .addField(packed(rep("int64_data", 7, Type.TYPE_INT64)))
        .addField(opt("name", 8, Type.TYPE_STRING))
        .addField(opt("raw_data", 9, Type.TYPE_BYTES))
        .addField(packed(rep("double_data", 10, Type.TYPE_DOUBLE)))
        .addField(packed(rep("uint64_data", 11, Type.TYPE_UINT64)))
        .addField(opt("doc_string", 12, Type.TYPE_STRING))
        .addField(rep("external_data", 13, ".onnx.StringStringEntryProto"))
        .addField(opt("data_location", 14, Type.TYPE_ENUM)
            .setTypeName(".onnx.TensorProto.DataLocation")));

    EnumDescriptorProto.Builder attrType = EnumDescriptorProto.newBuilder()
        .setName("AttributeType");
    String[] attrNames = {"UNDEFINED", "FLOAT", "INT", "STRING", "TENSOR", "GRAPH", "FLOATS",
        "INTS", "STRINGS", "TENSORS", "GRAPHS", "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO",
        "TYPE_PROTOS"};
    for (int i = 0; i < attrNames.length; i++) {
      attrType.addValue(EnumValueDescriptorProto.newBuilder().setName(attrNames[i]).setNumber(i));
    }
    file.addMessageType(message("AttributeProto")
        .addEnumType(attrType)
        .addField(opt("name", 1, Type.TYPE_STRING))
        .addField(opt("f", 2, Type.TYPE_FLOAT))
        .addField(opt("i", 3, Type.TYPE_INT64))
        .addField(opt("s", 4, Type.TYPE_BYTES))
        .addField(optMsg("t", 5, ".onnx.TensorProto"))
        .addField(optMsg("g", 6, ".onnx.GraphProto"))
        .addField(rep("floats", 7, Type.TYPE_FLOAT))
        .addField(rep("ints", 8, Type.TYPE_INT64))
        .addField(rep("strings", 9, Type.TYPE_BYTES))
        .addField(rep("tensors", 10, ".onnx.TensorProto"))
        .addField(rep("graphs", 11, ".onnx.GraphProto"))
        .addField(opt("doc_string", 13, Type.TYPE_STRING))
        .addField(opt("type", 20, Type.TYPE_ENUM)
            .setTypeName(".onnx.AttributeProto.AttributeType"))
        .addField(opt("ref_attr_name", 21, Type.TYPE_STRING)));

    file.addMessageType(message("NodeProto")
        .addField(rep("input", 1, Type.TYPE_STRING))
        .addField(rep("output", 2, Type.TYPE_STRING))
        .addField(opt("name", 3, Type.TYPE_STRING))
        .addField(opt("op_type", 4, Type.TYPE_STRING))
        .addField(rep("attribute", 5, ".onnx.AttributeProto"))
        .addField(opt("doc_string", 6, Type.TYPE_STRING))
        .addField(opt("domain", 7, Type.TYPE_STRING)));

    file.addMessageType(message("GraphProto")
        .addField(rep("node", 1, ".onnx.NodeProto"))
        .addField(opt("name", 2, Type.TYPE_STRING))
        .addField(rep("initializer", 5, ".onnx.TensorProto"))
        .addField(opt("doc_string", 10, Type.TYPE_STRING))
        .addField(rep("input", 11, ".onnx.ValueInfoProto"))
        .addField(rep("output", 12, ".onnx.ValueInfoProto"))
        .addField(rep("value_info", 13, ".onnx.ValueInfoProto")));

    file.addMessageType(message("ModelProto")
        .addField(opt("ir_version", 1, Type.TYPE_INT64))
        .addField(opt("producer_name", 2, Type.TYPE_STRING))
        .addField(opt("producer_version", 3, Type.TYPE_STRING))
        .addField(opt("domain", 4, Type.TYPE_STRING))
        .addField(opt("model_version", 5, Type.TYPE_INT64))
        .addField(opt("doc_string", 6, Type.TYPE_STRING))
        .addField(optMsg("graph", 7, ".onnx.GraphProto"))
        .addField(rep("opset_import", 8, ".onnx.OperatorSetIdProto"))
        .addField(rep("metadata_props", 14, ".onnx.StringStringEntryProto")));

    try {
      return FileDescriptor.buildFrom(file.build(), new FileDescriptor[0]);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("onnx schema descriptor is invalid: " + e.getMessage(), e);
    }
  }

  private static DescriptorProto.Builder message(String name) {
    return DescriptorProto.newBuilder().setName(name);
  }

  private static FieldDescriptorProto.Builder opt(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(Label.LABEL_OPTIONAL).setType(type);
  }

  private static FieldDescriptorProto.Builder optMsg(String name, int number, String typeName) {
    return opt(name, number, Type.TYPE_MESSAGE).setTypeName(typeName);
  }

  private static FieldDescriptorProto.Builder rep(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(Label.LABEL_REPEATED).setType(type);
  }

  private static FieldDescriptorProto.Builder rep(String name, int number, String typeName) {
    return rep(name, number, Type.TYPE_MESSAGE).setTypeName(typeName);
  }

  private static FieldDescriptorProto.Builder packed(FieldDescriptorProto.Builder f) {
    return f.setOptions(FieldOptions.newBuilder().setPacked(true));
  }
}
