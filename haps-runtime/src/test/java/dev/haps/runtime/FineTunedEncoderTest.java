package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.BundleException;
import dev.haps.api.error.ConfigurationException;
import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.EncoderInfo;
import dev.haps.testing.TestBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder with fine-tuned top layers ({@link EncoderTop}) and bundles that carry them
 * ({@code encoder-top.onnx}). The real layers are trained and checked in haps-train-torch; here
 * the top graphs are small stand-ins, so that what is tested is the plumbing: the cut of the base
 * model, the second session, the identity of the encoder and the bundle's checks.
 */
class FineTunedEncoderTest {

  /** The int8 MiniLM's last layer output: cutting there leaves nothing for the top to do. */
  private static final String LAST = "last_hidden_state";
  /** The output of the fifth of six layers: the cut for one fine-tuned layer. */
  private static final String H4 = "/encoder/layer.4/output/LayerNorm/Add_1_output_0";

  private static final List<String> TEXTS = List.of("What is 17 * 23?",
      "Summarise the causes of World War I.", "word ".repeat(300));

  private static String baseSha;

  @BeforeAll
  static void base() throws Exception {
    baseSha = DefaultEncoderRouterTest.defaultEncoderInfo().sha256();
  }

  /** hidden_state [1, T, 384] → scale · hidden_state → last_hidden_state. */
  static byte[] scaleTop(float scale) {
    return OnnxModelBuilder.create()
        .batchDimName("tokens")
        .input(EncoderTop.INPUT, 1, -1, 384)
        .initializer("scale", new float[] {scale}, 1)
        .mul(EncoderTop.INPUT, "scale", EncoderTop.OUTPUT)
        .output(EncoderTop.OUTPUT, 1, -1, 384)
        .toBytes();
  }

  static EncoderTop top(String cut, byte[] onnx) {
    return EncoderTop.of("minilm-q+test-top", OnnxQueryEncoder.DEFAULT_MODEL_ID, baseSha, cut,
        6, 1, onnx);
  }

  @Test
  void topAtTheLastLayer_givesTheBaseVectors_underItsOwnIdentity() {
    EncoderTop top = top(LAST, scaleTop(1f));
    try (OnnxQueryEncoder base = OnnxQueryEncoder.builder().defaultModel().build();
        OnnxQueryEncoder tuned = OnnxQueryEncoder.builder().defaultModel().fineTunedTop(top)
            .build()) {
      for (String t : TEXTS) {
        assertThat(tuned.encode(t)).as(t).isEqualTo(base.encode(t));
      }
      EncoderInfo info = tuned.info();
      assertThat(info.id()).isEqualTo("minilm-q+test-top");
      assertThat(info.sha256()).isEqualTo(top.encoderSha256()).isNotEqualTo(baseSha);
      assertThat(info.dimension()).isEqualTo(384);
      assertThat(info.maxTokens()).isEqualTo(base.info().maxTokens());
      assertThat(tuned.encodeAll(TEXTS)[2]).isEqualTo(tuned.encode(TEXTS.get(2)));
    }
  }

  @Test
  void topRunsOnTheCutHiddenState() {
    // Scaling every token vector by 3 leaves the normalised mean (almost) unchanged; a top that
    // never ran, or ran on the wrong buffer, would not.
    try (OnnxQueryEncoder base = OnnxQueryEncoder.builder().defaultModel().build();
        OnnxQueryEncoder tuned = OnnxQueryEncoder.builder().defaultModel()
            .fineTunedTop(top(LAST, scaleTop(3f))).build()) {
      for (String t : TEXTS) {
        float[] a = base.encode(t);
        float[] b = tuned.encode(t);
        for (int j = 0; j < a.length; j++) {
          assertThat(b[j]).isCloseTo(a[j], org.assertj.core.data.Offset.offset(1e-6f));
        }
      }
    }
    // Cut one layer earlier with an identity top: a different vector (layer 6 is skipped).
    try (OnnxQueryEncoder base = OnnxQueryEncoder.builder().defaultModel().build();
        OnnxQueryEncoder skip = OnnxQueryEncoder.builder().defaultModel()
            .fineTunedTop(top(H4, scaleTop(1f))).build()) {
      float[] a = base.encode(TEXTS.get(0));
      float[] b = skip.encode(TEXTS.get(0));
      double dot = 0;
      for (int j = 0; j < a.length; j++) {
        dot += a[j] * b[j];
      }
      assertThat(dot).isLessThan(0.999).isGreaterThan(0.3);
    }
  }

  @Test
  void wrongBaseOrCut_failsAtBuild() {
    EncoderTop otherBase = EncoderTop.of("x", OnnxQueryEncoder.DEFAULT_MODEL_ID, "ab".repeat(32),
        LAST, 6, 1, scaleTop(1f));
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().defaultModel().fineTunedTop(otherBase)
        .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("continue the base model with SHA-256 " + "ab".repeat(32));
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().defaultModel()
        .fineTunedTop(top("/no/such/tensor", scaleTop(1f))).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot cut")
        .hasMessageContaining("/no/such/tensor");
    byte[] wrongInput = OnnxModelBuilder.create().input("x", 1, -1, 384)
        .identity("x", EncoderTop.OUTPUT).output(EncoderTop.OUTPUT, 1, -1, 384).toBytes();
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().defaultModel()
        .fineTunedTop(top(LAST, wrongInput)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("expected exactly one float tensor 'hidden_state'");
  }

  /** A bundle whose manifest declares the top, with its file beside it. */
  static TestBundles bundle(EncoderTop top, EncoderInfo base) {
    return bundle(top, base, m -> { });
  }

  static TestBundles bundle(EncoderTop top, EncoderInfo base,
      java.util.function.Consumer<ObjectNode> more) {
    EncoderInfo info = new EncoderInfo(top.id(), 384, "mean", true, base.maxTokens(),
        base.truncation(), top.encoderSha256());
    return TestBundles.create().encoder(info).id("tuned", "1").manifest(m -> {
      ObjectNode t = ((ObjectNode) m.get("encoder")).putObject("top");
      t.put("file", "encoder-top.onnx");
      t.put("sha256", top.sha256());
      t.put("base", top.base());
      t.put("baseSha256", top.baseSha256());
      t.put("cut", top.cut());
      t.put("baseLayers", top.baseLayers());
      t.put("topLayers", top.topLayers());
      more.accept(m);
    });
  }

  @Test
  void bundleWithTop_routerBuildsTheTunedEncoder_andRoutesAsTheBaseWouldForAnIdentityTop(
      @TempDir Path dir) throws Exception {
    EncoderTop top = top(LAST, scaleTop(1f));
    EncoderInfo base = DefaultEncoderRouterTest.defaultEncoderInfo();
    TestBundles tb = bundle(top, base);
    Path tuned = tb.writeDir(dir.resolve("tuned"));
    Files.write(tuned.resolve("encoder-top.onnx"), top.onnx());
    Path zip = TestBundles.writeZip(dir.resolve("tuned.zip"), List.of(
        new TestBundles.Entry("manifest.json", tb.manifestBytes()),
        new TestBundles.Entry("router.onnx", tb.onnxBytes()),
        new TestBundles.Entry("encoder-top.onnx", top.onnx())));
    RouterBundle frozen = TestBundles.create().encoder(base).id("tuned", "1") // same id: the fingerprint names it
        .bundle(RouterBundle::fromBytes);

    RouterBundle fromDir = RouterBundle.load(tuned);
    assertThat(fromDir.encoderTop()).isPresent();
    assertThat(fromDir.encoderTop().get().sha256()).isEqualTo(top.sha256());
    assertThat(RouterBundle.load(zip).encoderTop().get().sha256()).isEqualTo(top.sha256());
    assertThat(RouterBundle.fromBytesWithTop("mem", tb.manifestBytes(), tb.onnxBytes(), top.onnx())
        .encoderTop()).isPresent();
    assertThat(frozen.encoderTop()).isEmpty();

    try (HapsRouter a = HapsRouter.builder().bundle(fromDir).cache(CacheSettings.disabled())
            .build();
        HapsRouter b = HapsRouter.builder().bundle(frozen).cache(CacheSettings.disabled())
            .build()) {
      assertThat(a.encoder().info()).isEqualTo(fromDir.encoder());
      for (String t : TEXTS) {
        RouteRequest r = RouteRequest.of(t, 0.3);
        assertThat(HapsRouterTest.fingerprint(a.route(r)))
            .isEqualTo(HapsRouterTest.fingerprint(b.route(r)));
      }
    }
  }

  @Test
  void bundleWithTop_missingOrForeignFile_isRefused(@TempDir Path dir) throws Exception {
    EncoderTop top = top(LAST, scaleTop(1f));
    TestBundles tb = bundle(top, DefaultEncoderRouterTest.defaultEncoderInfo());
    Path missing = tb.writeDir(dir.resolve("missing"));
    assertThatThrownBy(() -> RouterBundle.load(missing))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("encoder-top.onnx")
        .hasMessageContaining("is missing");
    Path foreign = tb.writeDir(dir.resolve("foreign"));
    Files.write(foreign.resolve("encoder-top.onnx"), scaleTop(2f));
    assertThatThrownBy(() -> RouterBundle.load(foreign))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("encoder.top.sha256");
    TestBundles wrongSha = TestBundles.create().encoder(new EncoderInfo(top.id(), 384, "mean",
        true, 128, dev.haps.spi.Truncation.TAIL, baseSha)).manifest(m ->
        ((ObjectNode) m.get("encoder")).set("top", ((ObjectNode) tb.manifestJson().get("encoder"))
            .get("top")));
    assertThatThrownBy(() -> RouterBundle.fromBytesWithTop("mem", wrongSha.manifestBytes(),
        wrongSha.onnxBytes(), top.onnx()))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("encoder.sha256");
    TestBundles unknownField = bundle(top, DefaultEncoderRouterTest.defaultEncoderInfo(),
        m -> ((ObjectNode) m.get("encoder").get("top")).put("layers", 3));
    assertThatThrownBy(() -> RouterBundle.fromBytesWithTop("mem", unknownField.manifestBytes(),
        unknownField.onnxBytes(), top.onnx()))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("encoder.top.layers");
  }
}
