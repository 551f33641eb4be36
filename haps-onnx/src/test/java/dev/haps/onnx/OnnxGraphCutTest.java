package dev.haps.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxGraphCutTest {

  /** x → a = x·2 → b = a + 1 → y = b·b (outputs y); z = x − 3 is a branch the cut must drop. */
  private static byte[] chain() {
    return OnnxModelBuilder.create()
        .input("x", -1, 3)
        .initializer("two", new float[] {2f}, 1)
        .initializer("one", new float[] {1f}, 1)
        .initializer("three", new float[] {3f}, 1)
        .mul("x", "two", "a")
        .add("a", "one", "b")
        .mul("b", "b", "y")
        .sub("x", "three", "z")
        .output("y", -1, 3)
        .output("z", -1, 3)
        .metadata("k", "v")
        .toBytes();
  }

  @Test
  void nodes_listOperatorsInputsAndOutputs() {
    List<OnnxNode> nodes = OnnxModel.parse(chain()).nodes();

    assertThat(nodes).extracting(OnnxNode::opType).containsExactly("Mul", "Add", "Mul", "Sub");
    assertThat(nodes.get(1).inputs()).containsExactly("a", "one");
    assertThat(nodes.get(1).outputs()).containsExactly("b");
    assertThat(nodes.get(0).domain()).isEmpty();
    assertThat(OnnxModel.parse(chain()).opTypes()).containsExactly("Mul", "Add", "Mul", "Sub");
  }

  @Test
  void cut_computesTheInnerTensorsAndDropsWhatTheyDoNotNeed() throws Exception {
    Map<String, String> outs = new LinkedHashMap<>();
    outs.put("b", "hidden");
    outs.put("a", "first");
    byte[] cut = OnnxGraphCut.cut(chain(), outs);

    OnnxModel m = OnnxModel.parse(cut);
    assertThat(m.outputs()).extracting(OnnxValueInfo::name).containsExactly("hidden", "first");
    assertThat(m.outputs().get(0).elementType()).isEqualTo(1);
    assertThat(m.opTypes()).containsExactly("Mul", "Add", "Identity", "Identity");
    assertThat(m.initializers()).extracting(OnnxInitializer::name).containsExactly("two", "one");
    assertThat(m.metadata()).containsEntry("k", "v");
    assertThat(m.opsets()).isEqualTo(OnnxModel.parse(chain()).opsets());
    assertThat(OnnxGraphCut.cut(chain(), outs)).isEqualTo(cut); // same bytes every time

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(cut, new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3}),
            new long[] {1, 3});
        OrtSession.Result r = s.run(Map.of("x", x))) {
      float[][] hidden = (float[][]) r.get("hidden").orElseThrow().getValue();
      float[][] first = (float[][]) r.get("first").orElseThrow().getValue();
      assertThat(hidden[0]).containsExactly(3f, 5f, 7f);
      assertThat(first[0]).containsExactly(2f, 4f, 6f);
    }
  }

  @Test
  void cut_refusesUnknownTensorsAndClashingNames() {
    assertThatThrownBy(() -> OnnxGraphCut.cut(chain(), Map.of("nope", "out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no node of the graph produces tensor 'nope'");
    assertThatThrownBy(() -> OnnxGraphCut.cut(chain(), Map.of("b", "y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output name 'y'");
    assertThatThrownBy(() -> OnnxGraphCut.cut(chain(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OnnxGraphCut.cut(new byte[] {1, 2, 3}, Map.of("b", "h")))
        .isInstanceOf(OnnxFormatException.class);
  }
}
