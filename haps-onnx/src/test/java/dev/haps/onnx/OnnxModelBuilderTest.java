package dev.haps.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelBuilderTest {

  private static final int IN = 6;
  private static final int HIDDEN = 16;
  private static final int OUT = 3;

  private static OrtEnvironment env;

  @BeforeAll
  static void env() {
    env = OrtEnvironment.getEnvironment();
  }

  /** A 2-layer MLP: y = W2 · tanh(W1 · x + b1) + b2, plus softmax and sigmoid heads. */
  private static final class Mlp {
    final float[] w1 = new float[HIDDEN * IN];
    final float[] b1 = new float[HIDDEN];
    final float[] w2 = new float[OUT * HIDDEN];
    final float[] b2 = new float[OUT];

    Mlp(long seed) {
      Random r = new Random(seed);
      fill(r, w1);
      fill(r, b1);
      fill(r, w2);
      fill(r, b2);
    }

    static void fill(Random r, float[] a) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian() * 0.5f;
      }
    }

    byte[] onnx() {
      return OnnxModelBuilder.create()
          .input("x", -1, IN)
          .initializer("W1", w1, HIDDEN, IN)
          .initializer("b1", b1, HIDDEN)
          .initializer("W2", w2, OUT, HIDDEN)
          .initializer("b2", b2, OUT)
          .gemm("x", "W1", "b1", "h_pre", true)
          .tanh("h_pre", "h")
          .gemm("h", "W2", "b2", "y", true)
          .softmax("y", "p", -1)
          .sigmoid("y", "s")
          .output("y", -1, OUT)
          .output("p", -1, OUT)
          .output("s", -1, OUT)
          .toBytes();
    }

    float[] forward(float[] x) {
      float[] h = new float[HIDDEN];
      for (int j = 0; j < HIDDEN; j++) {
        double acc = b1[j];
        for (int i = 0; i < IN; i++) {
          acc += (double) w1[j * IN + i] * x[i];
        }
        h[j] = (float) Math.tanh(acc);
      }
      float[] y = new float[OUT];
      for (int k = 0; k < OUT; k++) {
        double acc = b2[k];
        for (int j = 0; j < HIDDEN; j++) {
          acc += (double) w2[k * HIDDEN + j] * h[j];
        }
        y[k] = (float) acc;
      }
      return y;
    }
  }

  @Test
  void toBytes_twoLayerMlp_matchesJavaForwardPassOn1000Inputs() throws Exception {
    Mlp mlp = new Mlp(7);
    Random r = new Random(11);
    float[][] x = new float[1000][IN];
    for (float[] row : x) {
      for (int i = 0; i < IN; i++) {
        row[i] = (float) (r.nextGaussian() * 2);
      }
    }
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(mlp.onnx(), opts);
        OnnxTensor in = OnnxTensor.createTensor(env, x);
        OrtSession.Result res = session.run(Map.of("x", in))) {
      float[][] y = (float[][]) res.get("y").orElseThrow().getValue();
      float[][] p = (float[][]) res.get("p").orElseThrow().getValue();
      float[][] s = (float[][]) res.get("s").orElseThrow().getValue();
      double maxErr = 0;
      for (int n = 0; n < x.length; n++) {
        float[] expected = mlp.forward(x[n]);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : expected) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : expected) {
          sum += Math.exp(v - max);
        }
        for (int k = 0; k < OUT; k++) {
          maxErr = Math.max(maxErr, Math.abs(y[n][k] - expected[k]));
          maxErr = Math.max(maxErr, Math.abs(p[n][k] - Math.exp(expected[k] - max) / sum));
          maxErr = Math.max(maxErr, Math.abs(s[n][k] - 1 / (1 + Math.exp(-expected[k]))));
        }
      }
      assertThat(maxErr).isLessThan(1e-5);
    }
  }

  @Test
  void toBytes_dynamicBatchDim_runsForBatchOf1And32() throws Exception {
    Mlp mlp = new Mlp(3);
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(mlp.onnx(), opts)) {
      TensorInfo info = (TensorInfo) session.getInputInfo().get("x").getInfo();
      assertThat(info.getShape()).containsExactly(-1L, IN);
      NodeInfo out = session.getOutputInfo().get("y");
      assertThat(((TensorInfo) out.getInfo()).getShape()).containsExactly(-1L, OUT);
      for (int n : new int[] {1, 32}) {
        float[][] x = new float[n][IN];
        for (int i = 0; i < n; i++) {
          Arrays.fill(x[i], 0.1f * i);
        }
        try (OnnxTensor in = OnnxTensor.createTensor(env, x);
            OrtSession.Result res = session.run(Map.of("x", in))) {
          float[][] y = (float[][]) res.get("y").orElseThrow().getValue();
          assertThat(y).hasDimensions(n, OUT);
          for (int i = 0; i < n; i++) {
            float[] expected = mlp.forward(x[i]);
            for (int k = 0; k < OUT; k++) {
              assertThat((double) y[i][k]).isCloseTo(expected[k],
                  org.assertj.core.data.Offset.offset(1e-5));
            }
          }
        }
      }
    }
  }

  @Test
  void node_attributes_areWrittenInNameOrder_whateverTheMapOrder() {
    // Map.of iterates in an order that changes between JVM runs; the bytes must not.
    Map<String, Object> forward = new java.util.LinkedHashMap<>();
    forward.put("axes", new long[] {1});
    forward.put("keepdims", 0L);
    Map<String, Object> backward = new java.util.LinkedHashMap<>();
    backward.put("keepdims", 0L);
    backward.put("axes", new long[] {1});
    assertThat(reduceMax(backward)).isEqualTo(reduceMax(forward));
  }

  private static byte[] reduceMax(Map<String, Object> attributes) {
    return OnnxModelBuilder.create().input("x", -1, 3)
        .node("ReduceMax", List.of("x"), List.of("y"), attributes)
        .output("y", -1).toBytes();
  }

  @Test
  void convenienceOps_concatSliceSubMulExpLogReluDivIdentityMatMul_computeAsOnnxSpecifies()
      throws Exception {
    byte[] bytes = OnnxModelBuilder.create()
        .input("a", -1, 2)
        .input("b", -1, 3)
        .initializer("two", new float[] {2f}, 1)
        .initializer("swap", new float[] {0, 1, 1, 0}, 2, 2)
        .concat("c", 1, "a", "b")                                        // [N, 5]
        .slice("c", "mid", new long[] {1}, new long[] {4}, new long[] {1}) // [N, 3]
        .sub("mid", "b", "d")
        .mul("d", "two", "e")
        .exp("e", "f")
        .log("f", "g")
        .relu("g", "h")
        .div("h", "two", "q")
        .identity("q", "out")
        .matMul("a", "swap", "mm")
        .output("out", -1, 3)
        .output("mm", -1, 2)
        .toBytes();
    float[][] a = {{1, 2}, {-3, 4}};
    float[][] b = {{10, 20, 30}, {0.5f, -1, 2}};
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(bytes, opts);
        OnnxTensor ta = OnnxTensor.createTensor(env, a);
        OnnxTensor tb = OnnxTensor.createTensor(env, b);
        OrtSession.Result res = session.run(Map.of("a", ta, "b", tb))) {
      float[][] out = (float[][]) res.get("out").orElseThrow().getValue();
      float[][] mm = (float[][]) res.get("mm").orElseThrow().getValue();
      for (int n = 0; n < 2; n++) {
        float[] c = {a[n][0], a[n][1], b[n][0], b[n][1], b[n][2]};
        for (int k = 0; k < 3; k++) {
          double d = 2 * (c[1 + k] - b[n][k]);
          double expected = Math.max(0, Math.log(Math.exp(d))) / 2;
          assertThat((double) out[n][k]).isCloseTo(expected,
              org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(mm[n]).containsExactly(a[n][1], a[n][0]);
      }
    }
  }

  @Test
  void toBytes_inputUsedBeforeDefinition_failsNamingIt() {
    OnnxModelBuilder b = OnnxModelBuilder.create()
        .input("x", -1, 2)
        .relu("y_undefined", "z")
        .output("z", -1, 2);
    assertThatThrownBy(b::toBytes)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("uses 'y_undefined'");
  }

  @Test
  void initializer_lengthDisagreesWithShape_failsWithBothCounts() {
    assertThatThrownBy(() -> OnnxModelBuilder.create().initializer("W", new float[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initializer 'W' has 5 elements but shape [2, 3] needs 6");
  }

  @Test
  void toBytes_duplicateName_fails() {
    OnnxModelBuilder b = OnnxModelBuilder.create()
        .input("x", -1, 2)
        .initializer("x", new float[2], 2)
        .relu("x", "y")
        .output("y", -1, 2);
    assertThatThrownBy(b::toBytes).hasMessageContaining("'x' (initializer) is defined twice");
  }

  @Test
  void parse_builtModel_readsBackIoOpsetsAndInitializers(@TempDir Path dir) throws Exception {
    Mlp mlp = new Mlp(5);
    Path file = dir.resolve("m.onnx");
    OnnxModelBuilder.create().metadata("k", "v")
        .input("x", -1, IN)
        .initializer("W1", mlp.w1, HIDDEN, IN)
        .initializer("b1", mlp.b1, HIDDEN)
        .gemm("x", "W1", "b1", "y", true)
        .output("y", -1, HIDDEN)
        .write(file);
    OnnxModel m = OnnxModel.parse(Files.readAllBytes(file));
    assertThat(m.irVersion()).isEqualTo(8);
    assertThat(m.opsets()).containsEntry("", 17L);
    assertThat(m.metadata()).containsEntry("k", "v");
    assertThat(m.opTypes()).containsExactly("Gemm");
    assertThat(m.inputs()).containsExactly(
        new OnnxValueInfo("x", 1, List.of(-1L, (long) IN), List.of("N", "")));
    assertThat(m.outputs().get(0).dims()).containsExactly(-1L, (long) HIDDEN);
    OnnxInitializer w1 = m.initializers().get(0);
    assertThat(w1.name()).isEqualTo("W1");
    assertThat(w1.dims()).containsExactly((long) HIDDEN, (long) IN);
    assertThat(w1.shapeMatchesData()).isTrue();
    assertThat(w1.floats()).containsExactly(mlp.w1);
    assertThat(w1.firstNonFinite()).isEqualTo(-1);
  }

  @Test
  void parse_nanWeight_isReportedAtItsIndex() {
    float[] w = new float[12];
    w[7] = Float.NaN;
    byte[] bytes = OnnxModelBuilder.create()
        .input("x", -1, 4)
        .initializer("W", w, 3, 4)
        .initializer("b", new float[] {0, Float.POSITIVE_INFINITY, 0}, 3)
        .gemm("x", "W", "b", "y", true)
        .output("y", -1, 3)
        .toBytes();
    OnnxModel m = OnnxModel.parse(bytes);
    assertThat(m.initializers().get(0).firstNonFinite()).isEqualTo(7);
    assertThat(m.initializers().get(1).firstNonFinite()).isEqualTo(1);
  }

  @Test
  void parse_garbageAndTruncatedBytes_throwOnnxFormatException() {
    byte[] good = new Mlp(1).onnx();
    assertThatThrownBy(() -> OnnxModel.parse(Arrays.copyOf(good, good.length / 2)))
        .isInstanceOf(OnnxFormatException.class)
        .hasMessageContaining("not a readable ONNX model");
    assertThatThrownBy(() -> OnnxModel.parse(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}))
        .isInstanceOf(OnnxFormatException.class);
    assertThatThrownBy(() -> OnnxModel.parse(new byte[0]))
        .isInstanceOf(OnnxFormatException.class)
        .hasMessageContaining("has no graph");
  }

  @Test
  void parse_randomByteFlips_neverThrowsAnythingButOnnxFormatException() {
    byte[] good = new Mlp(2).onnx();
    Random r = new Random(99);
    for (int i = 0; i < 500; i++) {
      byte[] bad = good.clone();
      for (int k = 0; k < 1 + r.nextInt(4); k++) {
        bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
      }
      try {
        OnnxModel m = OnnxModel.parse(bad);
        for (OnnxInitializer t : m.initializers()) {
          t.declaredElements();
          t.firstNonFinite();
        }
      } catch (OnnxFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
