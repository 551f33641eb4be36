package dev.haps.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.onnx.OnnxModelBuilder;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.ExecutionProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.encoder.EncoderInfo;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Where the benchmarks get their bundle and encoder, the same way for every benchmark and for
 * the memory probe.
 *
 * <p>The bundle is, in order: the path in system property {@code haps.bench.bundle}; the SDK's
 * default bundle on the class path ({@link HapsRouter#DEFAULT_BUNDLE}); otherwise a stand-in
 * built here with the shape of the trainer's default network (a 256-unit ReLU trunk over the
 * embedding and cost weight, a logits head and a 64-unit generator per candidate). The stand-in
 * exists only so the suite runs before a default bundle ships; whichever is used is printed to
 * stderr and recorded by {@link Report}.
 */
final class BenchSetup {

  /** System property naming a bundle directory or zip to benchmark instead of the default. */
  static final String BUNDLE_PROPERTY = "haps.bench.bundle";

  /** System property choosing the encoder's execution provider: cpu (default), cuda:N or auto. */
  static final String PROVIDER_PROPERTY = "haps.bench.provider";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchSetup() {}

  /** The default encoder with the bundle's token budget: what the router builds for itself. */
  static OnnxQueryEncoder encoder(RouterBundle bundle) {
    EncoderInfo want = bundle.encoder();
    return OnnxQueryEncoder.builder()
        .defaultModel()
        .maxTokens(want.maxTokens())
        .truncation(want.truncation())
        .executionProvider(provider())
        .build();
  }

  /** A router on {@link #bundle()} with the default encoder (built and owned by the router). */
  static HapsRouter router(RouterBundle bundle, CacheSettings cache) {
    return HapsRouter.builder().bundle(bundle).cache(cache).executionProvider(provider()).build();
  }

  /** As {@link #router} with the default encoder running each query on {@code threads} threads. */
  static HapsRouter router(RouterBundle bundle, CacheSettings cache, int threads) {
    return HapsRouter.builder().bundle(bundle).cache(cache).executionProvider(provider())
        .intraOpThreads(threads).build();
  }

  /** The execution provider named by {@value #PROVIDER_PROPERTY}; CPU when unset. */
  static ExecutionProvider provider() {
    String p = System.getProperty(PROVIDER_PROPERTY, "cpu").trim().toLowerCase(Locale.ROOT);
    if (p.equals("cpu")) {
      return ExecutionProvider.cpu();
    }
    if (p.equals("auto")) {
      return ExecutionProvider.auto();
    }
    if (p.startsWith("cuda")) {
      String id = p.substring(4).replace(":", "");
      return ExecutionProvider.cuda(id.isEmpty() ? 0 : Integer.parseInt(id));
    }
    throw new IllegalArgumentException("-D" + PROVIDER_PROPERTY + "=" + p
        + " is not a provider; expected cpu, auto, cuda or cuda:<device id>");
  }

  /** The bundle to benchmark; see the class comment. */
  static RouterBundle bundle() {
    String prop = System.getProperty(BUNDLE_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      RouterBundle b = RouterBundle.load(Path.of(prop));
      System.err.println("[haps-bench] bundle from -D" + BUNDLE_PROPERTY + ": " + b.info());
      return b;
    }
    if (defaultBundlePresent()) {
      RouterBundle b = RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE);
      System.err.println("[haps-bench] default bundle: " + b.info());
      return b;
    }
    RouterBundle b = standIn();
    System.err.println("[haps-bench] WARNING: no default bundle on the class path ("
        + HapsRouter.DEFAULT_BUNDLE + "); using the stand-in " + b.info());
    return b;
  }

  /** Whether the SDK's default bundle is on the class path. */
  static boolean defaultBundlePresent() {
    return BenchSetup.class.getClassLoader()
        .getResource(HapsRouter.DEFAULT_BUNDLE + "manifest.json") != null;
  }

  /**
   * A bundle shaped like the trainer's default for concise-cot (two candidates, each with a
   * four-way prompt style), with seeded random weights, for the default encoder.
   */
  static RouterBundle standIn() {
    EncoderInfo enc;
    try (OnnxQueryEncoder e = OnnxQueryEncoder.builder().defaultModel().build()) {
      enc = e.info();
    }
    int dim = enc.dimension();
    int hidden = 256;
    int gen = 64;
    String[] models = {"gpt-35-turbo", "gpt-4"};
    double[] meanCost = {0.003578, 0.105595};
    int styles = 4;
    Random r = new Random(42);
    OnnxModelBuilder g = OnnxModelBuilder.create()
        .input("embedding", -1, dim)
        .input("cost_weight", -1, 1)
        .concat("x", 1, "embedding", "cost_weight")
        .initializer("W1", gaussian(r, hidden * (dim + 1), dim + 1), hidden, dim + 1)
        .initializer("b1", new float[hidden], hidden)
        .gemm("x", "W1", "b1", "t_pre", true)
        .relu("t_pre", "t")
        .initializer("Wl", gaussian(r, models.length * hidden, hidden), models.length, hidden)
        .initializer("bl", new float[models.length], models.length)
        .gemm("t", "Wl", "bl", "model_logits", true)
        .output("model_logits", -1, models.length);
    for (int c = 0; c < models.length; c++) {
      g.initializer("Wg" + c, gaussian(r, gen * hidden, hidden), gen, hidden)
          .initializer("bg" + c, new float[gen], gen)
          .gemm("t", "Wg" + c, "bg" + c, "g_pre" + c, true)
          .relu("g_pre" + c, "g" + c)
          .initializer("Wp" + c, gaussian(r, styles * gen, gen), styles, gen)
          .initializer("bp" + c, new float[styles], styles)
          .gemm("g" + c, "Wp" + c, "bp" + c, "params_" + c, true)
          .output("params_" + c, -1, styles);
    }
    ObjectNode m = JSON.createObjectNode();
    m.put("format", "haps-router-bundle");
    m.put("formatVersion", 1);
    m.put("id", "bench-stand-in");
    m.put("version", "1");
    m.put("createdAt", "2026-01-01T00:00:00Z");
    ObjectNode e = m.putObject("encoder");
    e.put("id", enc.id());
    e.put("dimension", enc.dimension());
    e.put("pooling", enc.pooling());
    e.put("normalize", enc.normalize());
    e.put("maxTokens", enc.maxTokens());
    e.put("truncation", enc.truncation().manifestName());
    e.put("sha256", enc.sha256());
    m.putArray("features");
    ObjectNode io = m.putObject("io");
    io.put("embedding", "embedding");
    io.put("costWeight", "cost_weight");
    io.putNull("features");
    io.put("logits", "model_logits");
    io.putNull("expectedCost");
    ArrayNode cs = m.putArray("candidates");
    for (int c = 0; c < models.length; c++) {
      ObjectNode n = cs.addObject();
      n.put("provider", "openai");
      n.put("model", models[c]);
      n.put("meanCostUsd", meanCost[c]);
      n.put("output", "params_" + c);
      ObjectNode p = n.putArray("parameters").addObject();
      p.put("name", "prompt_style");
      p.put("type", "categorical");
      ArrayNode choices = p.putArray("choices");
      for (String s : new String[] {"baseline", "concise", "chain_of_thought", "composite"}) {
        choices.add(s);
      }
      p.put("default", "baseline");
      p.put("slot", 0);
      p.put("transform", "argmax");
    }
    m.put("costScale", 0.1);
    m.putObject("training").put("seed", 42);
    m.putObject("validation");
    try {
      return RouterBundle.fromBytes("haps-bench:stand-in", JSON.writeValueAsBytes(m),
          g.toBytes());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  // He-style scale so activations stay in a realistic range.
  private static float[] gaussian(Random r, int n, int fanIn) {
    float[] a = new float[n];
    double scale = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * scale);
    }
    return a;
  }
}
