package dev.haps.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.spi.EncoderInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds router bundles for tests: a small HAPS network (shared tanh trunk over the embedding and
 * the cost weight, a logits head, one parameter head per candidate with parameters, an optional
 * expected-cost head) written with haps-onnx, and a manifest written with Jackson. Every piece can
 * be broken on purpose through the hooks.
 */
public final class TestBundles {

  /**
   * Turns a test bundle's bytes into whatever the caller loads bundles as, typically
   * {@code RouterBundle::fromBytes} (this module sits below the runtime, so it cannot name it).
   *
   * @param <T> the loaded type
   */
  @FunctionalInterface
  public interface Loader<T> {
    /**
     * Loads a bundle.
     *
     * @param source a name for messages
     * @param manifestJson the manifest
     * @param routerOnnx the network
     * @return the bundle
     */
    T load(String source, byte[] manifestJson, byte[] routerOnnx);
  }

  public static final ObjectMapper JSON = new ObjectMapper();

  private TestBundles() {}

  /** One candidate: its JSON parameter list and raw output width. */
  public record Cand(String provider, String model, double meanCost, int width, String paramsJson) {}

  public static final List<Cand> DEFAULT_CANDIDATES = List.of(
      new Cand("openai", "gpt-4", 0.06, 6, "["
          + "{\"name\":\"temperature\",\"type\":\"float\",\"min\":0.0,\"max\":1.0,\"default\":0.7,"
          + "\"slot\":0,\"transform\":\"sigmoid\"},"
          + "{\"name\":\"max_tokens\",\"type\":\"int\",\"min\":16,\"max\":4096,\"default\":512,"
          + "\"slot\":1,\"transform\":\"sigmoid\"},"
          + "{\"name\":\"prompt_style\",\"type\":\"categorical\",\"choices\":[\"baseline\","
          + "\"concise\",\"chain_of_thought\",\"composite\"],\"default\":\"baseline\",\"slot\":2,"
          + "\"transform\":\"argmax\"}]"),
      new Cand("together", "mixtral-8x7b", 0.0006, 2, "["
          + "{\"name\":\"temperature\",\"type\":\"float\",\"min\":0.0,\"max\":2.0,\"default\":1.0,"
          + "\"slot\":0,\"transform\":\"clamp\"},"
          + "{\"name\":\"top_p\",\"type\":\"float\",\"min\":0.1,\"max\":1.0,\"default\":1.0,"
          + "\"slot\":1}]"),
      new Cand("anthropic", "claude-instant", 0.002, 0, "[]"));

  private long seed = 1;
  private String id = "test-bundle";
  private String version = "1";
  private EncoderInfo encoder = HashingEncoder.INFO;
  private int hidden = 12;
  private boolean expectedCost;
  private List<Cand> candidates = DEFAULT_CANDIDATES;
  private Consumer<ObjectNode> manifestHook = m -> { };
  private Consumer<OnnxModelBuilder> onnxHook = b -> { };
  private float poison = Float.NaN;
  private boolean poisonWeights;
  private int embeddingWidthInOnnx = -1;
  private boolean matMul;
  private boolean sharedParams;

  public static TestBundles create() {
    return new TestBundles();
  }

  public TestBundles seed(long s) {
    this.seed = s;
    return this;
  }

  public TestBundles id(String id, String version) {
    this.id = id;
    this.version = version;
    return this;
  }

  public TestBundles encoder(EncoderInfo e) {
    this.encoder = e;
    return this;
  }

  public TestBundles hidden(int h) {
    this.hidden = h;
    return this;
  }

  /** Dense layers as MatMul + Add over [in, out] weights (a common PyTorch export) not Gemm. */
  public TestBundles matMul(boolean on) {
    this.matMul = on;
    return this;
  }

  private void dense(OnnxModelBuilder b, String x, String w, float[] wd, String bias, float[] bd,
      int out, int in, String y) {
    b.initializer(bias, bd, out);
    if (matMul) {
      float[] t = new float[wd.length];
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          t[i * out + o] = wd[o * in + i];
        }
      }
      b.initializer(w, t, in, out).matMul(x, w, y + "_mm").add(y + "_mm", bias, y);
    } else {
      b.initializer(w, wd, out, in).gemm(x, w, bias, y, true);
    }
  }

  /** All parameter heads as one Gemm into one output "params", candidates side by side. */
  public TestBundles sharedParams(boolean on) {
    this.sharedParams = on;
    return this;
  }

  public TestBundles expectedCost(boolean on) {
    this.expectedCost = on;
    return this;
  }

  public TestBundles candidates(List<Cand> c) {
    this.candidates = c;
    return this;
  }

  public TestBundles manifest(Consumer<ObjectNode> hook) {
    this.manifestHook = hook;
    return this;
  }

  public TestBundles onnx(Consumer<OnnxModelBuilder> hook) {
    this.onnxHook = hook;
    return this;
  }

  /** Puts a non-finite value into the first trunk weight. */
  public TestBundles poisonWeight(float value) {
    this.poisonWeights = true;
    this.poison = value;
    return this;
  }

  /** Declares (and computes with) another embedding width in the ONNX than the manifest says. */
  public TestBundles onnxEmbeddingWidth(int width) {
    this.embeddingWidthInOnnx = width;
    return this;
  }

  public byte[] onnxBytes() {
    Random r = new Random(seed);
    int e = embeddingWidthInOnnx > 0 ? embeddingWidthInOnnx : encoder.dimension();
    int k = candidates.size();
    OnnxModelBuilder b = OnnxModelBuilder.create()
        .input("embedding", -1, e)
        .input("cost_weight", -1, 1)
        .concat("x", 1, "embedding", "cost_weight");
    dense(b, "x", "W1", weights(r, hidden * (e + 1), 1.5), "b1", weights(r, hidden, 0.3), hidden,
        e + 1, "h_pre");
    b.tanh("h_pre", "h");
    dense(b, "h", "Wl", weights(r, k * hidden, 2.0), "bl", weights(r, k, 0.5), k, hidden,
        "model_logits");
    b.output("model_logits", -1, k);
    float[][] wp = new float[k][];
    float[][] bp = new float[k][];
    int total = 0;
    for (int c = 0; c < k; c++) {
      int w = candidates.get(c).width();
      if (w > 0) {
        wp[c] = weights(r, w * hidden, 3.0);
        bp[c] = weights(r, w, 1.0);
        total += w;
        if (!sharedParams) {
          dense(b, "h", "Wp" + c, wp[c], "bp" + c, bp[c], w, hidden, "params_" + c);
          b.output("params_" + c, -1, w);
        }
      }
    }
    if (sharedParams && total > 0) {
      float[] w = new float[total * hidden];
      float[] bias = new float[total];
      int row = 0;
      for (int c = 0; c < k; c++) {
        if (wp[c] != null) {
          System.arraycopy(wp[c], 0, w, row * hidden, wp[c].length);
          System.arraycopy(bp[c], 0, bias, row, bp[c].length);
          row += bp[c].length;
        }
      }
      dense(b, "h", "Wp", w, "bp", bias, total, hidden, "params");
      b.output("params", -1, total);
    }
    if (expectedCost) {
      dense(b, "h", "Wc", weights(r, k * hidden, 1.0), "bc", weights(r, k, 1.0), k, hidden,
          "cost_pre");
      b.initializer("cost_unit", new float[] {0.05f}, 1)
          .sigmoid("cost_pre", "cost_sig")
          .mul("cost_sig", "cost_unit", "expected_cost")
          .output("expected_cost", -1, k);
    }
    onnxHook.accept(b);
    return b.toBytes();
  }

  private float[] weights(Random r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * scale / Math.sqrt(hidden));
    }
    if (poisonWeights && n > 0) {
      a[0] = poison;
      poisonWeights = false; // only the first initializer
    }
    return a;
  }

  public ObjectNode manifestJson() {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", "haps-router-bundle");
    m.put("formatVersion", 1);
    m.put("id", id);
    m.put("version", version);
    m.put("createdAt", "2026-01-31T12:00:00Z");
    ObjectNode enc = m.putObject("encoder");
    enc.put("id", encoder.id());
    enc.put("dimension", encoder.dimension());
    enc.put("pooling", encoder.pooling());
    enc.put("normalize", encoder.normalize());
    enc.put("maxTokens", encoder.maxTokens());
    enc.put("truncation", encoder.truncation().manifestName());
    enc.put("sha256", encoder.sha256());
    m.putArray("features");
    ObjectNode io = m.putObject("io");
    io.put("embedding", "embedding");
    io.put("costWeight", "cost_weight");
    io.putNull("features");
    io.put("logits", "model_logits");
    if (expectedCost) {
      io.put("expectedCost", "expected_cost");
    } else {
      io.putNull("expectedCost");
    }
    ArrayNode cs = m.putArray("candidates");
    int offset = 0;
    for (int c = 0; c < candidates.size(); c++) {
      Cand cand = candidates.get(c);
      ObjectNode n = cs.addObject();
      n.put("provider", cand.provider());
      n.put("model", cand.model());
      n.put("meanCostUsd", cand.meanCost());
      if (cand.width() > 0 && sharedParams) {
        n.put("output", "params");
        n.put("outputOffset", offset);
        offset += cand.width();
      } else if (cand.width() > 0) {
        n.put("output", "params_" + c);
      }
      try {
        n.set("parameters", JSON.readTree(cand.paramsJson()));
      } catch (IOException ex) {
        throw new IllegalArgumentException(ex);
      }
    }
    m.put("costScale", 0.1);
    ObjectNode t = m.putObject("training");
    t.put("seed", seed);
    m.putObject("validation").put("aiq", 0.5);
    manifestHook.accept(m);
    return m;
  }

  public byte[] manifestBytes() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifestJson());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public <T> T bundle(Loader<T> loader) {
    return loader.load("test:" + id + "@" + version, manifestBytes(), onnxBytes());
  }

  public Path writeDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("manifest.json"), manifestBytes());
    Files.write(dir.resolve("router.onnx"), onnxBytes());
    return dir;
  }

  public Path writeZip(Path zip) throws IOException {
    return writeZip(zip, List.of(new Entry("manifest.json", manifestBytes()),
        new Entry("router.onnx", onnxBytes())));
  }

  /** A named zip entry. */
  public record Entry(String name, byte[] data) {}

  public static Path writeZip(Path zip, List<Entry> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (Entry e : entries) {
        z.putNextEntry(new ZipEntry(e.name()));
        z.write(e.data());
        z.closeEntry();
      }
    }
    return zip;
  }

  public static List<Entry> entries(TestBundles b) {
    List<Entry> list = new ArrayList<>();
    list.add(new Entry("manifest.json", b.manifestBytes()));
    list.add(new Entry("router.onnx", b.onnxBytes()));
    return list;
  }
}
