package dev.haps.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import org.junit.jupiter.api.Test;

class OnnxModelAbsurdSizesTest {

  @Test
  void parse_initializerDeclaringAbsurdShape_reportsMismatchWithoutAllocating() {
    DynamicMessage tensor = DynamicMessage.newBuilder(OnnxSchema.TENSOR)
        .addRepeatedField(OnnxSchema.field(OnnxSchema.TENSOR, "dims"), 1_000_000_000_000L)
        .addRepeatedField(OnnxSchema.field(OnnxSchema.TENSOR, "dims"), 1_000_000_000_000L)
        .setField(OnnxSchema.field(OnnxSchema.TENSOR, "data_type"), 1)
        .setField(OnnxSchema.field(OnnxSchema.TENSOR, "name"), "W")
        .setField(OnnxSchema.field(OnnxSchema.TENSOR, "raw_data"), ByteString.copyFrom(new byte[16]))
        .build();
    DynamicMessage graph = DynamicMessage.newBuilder(OnnxSchema.GRAPH)
        .addRepeatedField(OnnxSchema.field(OnnxSchema.GRAPH, "initializer"), tensor)
        .build();
    byte[] bytes = DynamicMessage.newBuilder(OnnxSchema.MODEL)
        .setField(OnnxSchema.field(OnnxSchema.MODEL, "ir_version"), 8L)
        .setField(OnnxSchema.field(OnnxSchema.MODEL, "graph"), graph)
        .build().toByteArray();
    OnnxInitializer w = OnnxModel.parse(bytes).initializers().get(0);
    assertThat(w.storedElements()).isEqualTo(4);
    assertThat(w.declaredElements()).isEqualTo(-1); // overflows a long
    assertThat(w.shapeMatchesData()).isFalse();
    assertThat(w.firstNonFinite()).isEqualTo(-1);
  }
}
