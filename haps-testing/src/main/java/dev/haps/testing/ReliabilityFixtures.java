package dev.haps.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import java.util.function.Consumer;

/**
 * A public door into this package's test fixtures for the reliability tests in
 * {@code dev.haps.runtime.reliability}: the test bundles (built with haps-onnx), the hashing test
 * encoder, and the process-wide count of open heads sessions. Nothing here changes behaviour; it
 * only exposes what package-private fixtures already do.
 */
public final class ReliabilityFixtures {

  private ReliabilityFixtures() {}

  /** A test bundle specification: the knobs the reliability tests turn. */
  public static final class Spec {
    private final TestBundles b = TestBundles.create();

    /** A fresh specification of the default three-candidate test bundle. */
    public Spec() {}

    /** The weight seed. */
    public Spec seed(long seed) {
      b.seed(seed);
      return this;
    }

    /** The manifest's id and version. */
    public Spec id(String id, String version) {
      b.id(id, version);
      return this;
    }

    /** The encoder written into the manifest (default: the hashing test encoder). */
    public Spec encoder(EncoderInfo info) {
      b.encoder(info);
      return this;
    }

    /** Adds the optional expected-cost output. */
    public Spec expectedCost(boolean on) {
      b.expectedCost(on);
      return this;
    }

    /** Width of the trunk. */
    public Spec hidden(int h) {
      b.hidden(h);
      return this;
    }

    /** Puts a non-finite (or any) value into the first weight. */
    public Spec poisonWeight(float value) {
      b.poisonWeight(value);
      return this;
    }

    /** Declares another embedding width in the ONNX graph than the manifest says. */
    public Spec onnxEmbeddingWidth(int width) {
      b.onnxEmbeddingWidth(width);
      return this;
    }

    /** Edits the ONNX graph after the standard network is in place. */
    public Spec onnx(Consumer<OnnxModelBuilder> hook) {
      b.onnx(hook);
      return this;
    }

    /** Edits the manifest tree after it is built. */
    public Spec manifest(Consumer<ObjectNode> hook) {
      b.manifest(hook);
      return this;
    }

    /** The manifest as a tree (a fresh copy each call). */
    public ObjectNode manifestJson() {
      return b.manifestJson();
    }

    /** The manifest's bytes, pretty-printed JSON. */
    public byte[] manifestBytes() {
      return b.manifestBytes();
    }

    /** The network's bytes. */
    public byte[] onnxBytes() {
      return b.onnxBytes();
    }

    /**
     * The bundle, loaded by the caller, e.g. {@code bundle(RouterBundle::fromBytes)}.
     *
     * @param <T> the loaded type
     * @param loader turns the bytes into a bundle
     * @return the bundle
     */
    public <T> T bundle(TestBundles.Loader<T> loader) {
      return b.bundle(loader);
    }
  }

  /** A new bundle specification. */
  public static Spec spec() {
    return new Spec();
  }

  /** The deterministic, pure-Java test encoder (16 dimensions). */
  public static QueryEncoder hashingEncoder() {
    return new HashingEncoder();
  }

  /** The test encoder's identity, as a manifest must declare it. */
  public static EncoderInfo hashingEncoderInfo() {
    return HashingEncoder.INFO;
  }

}
