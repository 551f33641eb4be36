package dev.haps.runtime;

import dev.haps.api.BundleInfo;
import dev.haps.api.Candidate;
import dev.haps.api.error.BundleException;
import dev.haps.api.params.ParameterSpace;
import dev.haps.onnx.OnnxFormatException;
import dev.haps.onnx.OnnxInitializer;
import dev.haps.onnx.OnnxModel;
import dev.haps.onnx.OnnxValueInfo;
import dev.haps.runtime.decode.CandidateHead;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.internal.EncoderTopSpec;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.internal.BundleErrors;
import dev.haps.runtime.internal.BundleIo;
import dev.haps.runtime.internal.BundleSources;
import dev.haps.runtime.internal.IoLayout;
import dev.haps.runtime.internal.ManifestParser;
import dev.haps.runtime.internal.ParsedManifest;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A router bundle read into memory and checked against the bundle contract
 * ({@code docs/bundle-format.md}): {@code manifest.json} field by field, and {@code router.onnx}
 * as a protobuf model (IR and opset versions, self-contained finite weights, inputs and outputs
 * against the manifest). The checks that need ONNX Runtime and the encoder run when a
 * {@link HapsRouter} takes the bundle.
 *
 * <pre>{@code
 * RouterBundle b = RouterBundle.load(Path.of("bundles/concise-cot.zip"));
 * RouterBundle d = RouterBundle.fromClasspath("dev/haps/bundles/default/");
 * }</pre>
 *
 * <p>Loading never extracts a zip to disk: both files are read into memory, with size caps
 * ({@value BundleSources#MAX_MANIFEST_BYTES} bytes for the manifest, 256 MiB for the network),
 * and zip entries with absolute or {@code ..} paths, or duplicate names, are refused.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RouterBundle {

  private final String source;
  private final ParsedManifest manifest;
  private final byte[] manifestJson;
  private final byte[] router;
  private final String routerSha256;
  private final EncoderTop encoderTop; // null when the encoder has no fine-tuned layers

  private RouterBundle(BundleSources.Bytes bytes) {
    this.source = bytes.source();
    this.manifest = ManifestParser.parse(source, bytes.manifest());
    this.manifestJson = bytes.manifest();
    this.router = bytes.router();
    this.routerSha256 = sha256(router);
    if (!manifest.routerSha256().isEmpty() && !manifest.routerSha256().equals(routerSha256)) {
      throw BundleErrors.field(source, BundleSources.MANIFEST, "routerSha256",
          manifest.routerSha256(), "the SHA-256 of router.onnx, " + routerSha256
              + " (router.onnx is corrupt or belongs to another bundle)");
    }
    checkOnnx();
    this.encoderTop = manifest.encoderTop().map(spec -> encoderTop(spec, bytes)).orElse(null);
  }

  /** The fine-tuned encoder layers the manifest names, checked against their file. */
  private EncoderTop encoderTop(EncoderTopSpec spec, BundleSources.Bytes bytes) {
    String file = BundleSources.ENCODER_TOP;
    byte[] onnx = bytes.encoderTop().orElseThrow(() -> BundleErrors.file(source, file,
        "is missing; manifest.json's encoder.top says the encoder's top " + spec.topLayers()
            + " layer(s) are fine-tuned and stored in it. Copy the whole bundle (every file)"
            + " or re-export it", null));
    checkWeights(file, parse(file, onnx));
    EncoderTop top = EncoderTop.of(manifest.encoder().id(), spec.base(), spec.baseSha256(),
        spec.cut(), spec.baseLayers(), spec.topLayers(), onnx);
    if (!top.sha256().equals(spec.sha256())) {
      throw BundleErrors.field(source, BundleSources.MANIFEST, "encoder.top.sha256", spec.sha256(),
          "the SHA-256 of " + file + ", " + top.sha256() + " (" + file + " is corrupt or belongs"
              + " to another bundle)");
    }
    if (!top.encoderSha256().equals(manifest.encoder().sha256())) {
      throw BundleErrors.field(source, BundleSources.MANIFEST, "encoder.sha256",
          manifest.encoder().sha256(), top.encoderSha256() + ", the encoder made of base "
              + spec.base() + " and " + file + " (EncoderTop.encoderSha256()); re-export the"
              + " bundle");
    }
    return top;
  }

  /**
   * Loads a bundle from a directory or a zip file.
   *
   * @param path a directory holding {@code manifest.json} and {@code router.onnx}, or a zip of
   *     them (at its root or in one top-level folder)
   * @return the checked bundle
   * @throws BundleException naming the file, the field, what was found and what was expected
   */
  public static RouterBundle load(Path path) {
    Objects.requireNonNull(path, "bundle path must not be null");
    return new RouterBundle(BundleSources.read(path));
  }

  /**
   * Loads a bundle from a class path resource folder, with this library's class loader.
   *
   * @param folder the resource folder, e.g. {@code dev/haps/bundles/default/}
   * @return the checked bundle
   * @throws BundleException if a file is missing or breaks the contract
   */
  public static RouterBundle fromClasspath(String folder) {
    return fromClasspath(folder, RouterBundle.class.getClassLoader());
  }

  /**
   * Loads a bundle from a class path resource folder.
   *
   * @param folder the resource folder, e.g. {@code dev/haps/bundles/default/}
   * @param loader the class loader to read with
   * @return the checked bundle
   * @throws BundleException if a file is missing or breaks the contract
   */
  public static RouterBundle fromClasspath(String folder, ClassLoader loader) {
    Objects.requireNonNull(folder, "resource folder must not be null");
    Objects.requireNonNull(loader, "class loader must not be null");
    return new RouterBundle(BundleSources.readClasspath(folder, loader));
  }

  /**
   * Makes a bundle from the two files' bytes (a trainer's export in memory, a test).
   *
   * @param source a description of where the bytes came from, for messages
   * @param manifestJson the {@code manifest.json} bytes
   * @param routerOnnx the {@code router.onnx} bytes
   * @return the checked bundle
   * @throws BundleException if either file breaks the contract
   */
  public static RouterBundle fromBytes(String source, byte[] manifestJson, byte[] routerOnnx) {
    return of(source, manifestJson, routerOnnx, Optional.empty());
  }

  /**
   * Makes a bundle from its three files' bytes, for a bundle whose encoder has fine-tuned top
   * layers ({@code encoder-top.onnx}, see {@link #encoderTop()}).
   *
   * @param source a description of where the bytes came from, for messages
   * @param manifestJson the {@code manifest.json} bytes
   * @param routerOnnx the {@code router.onnx} bytes
   * @param encoderTopOnnx the {@code encoder-top.onnx} bytes
   * @return the checked bundle
   * @throws BundleException if a file breaks the contract
   */
  public static RouterBundle fromBytesWithTop(String source, byte[] manifestJson,
      byte[] routerOnnx, byte[] encoderTopOnnx) {
    return of(source, manifestJson, routerOnnx, Optional.of(encoderTopOnnx.clone()));
  }

  private static RouterBundle of(String source, byte[] manifestJson, byte[] routerOnnx,
      Optional<byte[]> encoderTop) {
    Objects.requireNonNull(source, "source");
    if (manifestJson.length > BundleSources.MAX_MANIFEST_BYTES) {
      throw BundleErrors.file(source, BundleSources.MANIFEST, "is over the limit of "
          + BundleSources.MAX_MANIFEST_BYTES + " bytes", null);
    }
    return new RouterBundle(new BundleSources.Bytes(source, manifestJson.clone(),
        routerOnnx.clone(), encoderTop));
  }

  /**
   * The bundle's identity ({@code id} and {@code version}).
   *
   * @return the info
   */
  public BundleInfo info() {
    return new BundleInfo(manifest.id(), manifest.version());
  }

  /**
   * Where the bundle was read from: a path, {@code classpath:<folder>}, or the source given to
   * {@link #fromBytes}.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * The encoder the bundle was trained with.
   *
   * @return the encoder info
   */
  public EncoderInfo encoder() {
    return manifest.encoder();
  }

  /**
   * The fine-tuned top layers of the bundle's encoder ({@code encoder-top.onnx} and the
   * manifest's {@code encoder.top}): the base encoder runs up to a cut, these layers run the
   * rest. Empty for a bundle trained on a frozen encoder. A router given no encoder builds the
   * base encoder with these layers itself.
   *
   * @return the layers, or empty
   */
  public Optional<EncoderTop> encoderTop() {
    return Optional.ofNullable(encoderTop);
  }

  /**
   * The candidates, in bundle order.
   *
   * @return an unmodifiable list
   */
  public List<Candidate> candidates() {
    List<Candidate> list = new ArrayList<>();
    for (CandidateHead h : manifest.heads()) {
      list.add(h.candidate());
    }
    return Collections.unmodifiableList(list);
  }

  /**
   * The parameter space the bundle declares for a candidate.
   *
   * @param model the model id
   * @return the candidate's space, or empty if the bundle has no such candidate
   */
  public Optional<ParameterSpace> parameterSpace(String model) {
    return head(model).map(CandidateHead::space);
  }

  /** The candidates with their parameter spaces and output layouts, in bundle order. */
  List<CandidateHead> heads() {
    return manifest.heads();
  }

  /** A candidate's head by model id; the decoder's layout stays inside the runtime. */
  Optional<CandidateHead> head(String model) {
    for (CandidateHead h : manifest.heads()) {
      if (h.model().equals(model)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /**
   * The cost unit (USD) of the training reward {@code score − λ · cost / costScale}.
   *
   * @return the cost scale
   */
  public double costScale() {
    return manifest.costScale();
  }

  /**
   * When the bundle was made.
   *
   * @return the instant
   */
  public Instant createdAt() {
    return manifest.createdAt();
  }

  /**
   * The SHA-256 of {@code router.onnx}, as lower-case hex.
   *
   * @return the checksum
   */
  public String routerSha256() {
    return routerSha256;
  }

  /**
   * The manifest's free-form {@code training} record.
   *
   * @return an unmodifiable map of JSON values (maps, lists, strings, numbers, booleans)
   */
  public Map<String, Object> training() {
    return toMap(manifest.training());
  }

  /**
   * The factor that turns one of this bundle's logits into a utility in reward units: the
   * temperature τ the trainer recorded ({@code training.hyperParameters.temperature}; value heads
   * emit {@code (score − λ·cost) / τ}), or 1 when the manifest records none. Exploration by
   * softmax and by utility margin works on these units.
   *
   * @return τ, positive
   * @since 0.1.0
   */
  public double utilityScale() {
    Object hp = training().get("hyperParameters");
    if (hp instanceof Map<?, ?> m && m.get("temperature") instanceof Number t
        && t.doubleValue() > 0 && Double.isFinite(t.doubleValue())) {
      return t.doubleValue();
    }
    return 1.0;
  }

  /**
   * The bytes of {@code manifest.json} as read, for tools that copy a bundle (a promotion
   * installs the candidate it loaded, from a directory or a zip, without reading it again).
   *
   * @return a copy of the bytes
   * @since 0.1.0
   */
  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  /**
   * The bytes of {@code router.onnx}, for tools that run the network themselves (off-policy
   * evaluation reads value heads' utilities and costs from it).
   *
   * @return a copy of the bytes
   * @since 0.1.0
   */
  public byte[] routerOnnx() {
    return router.clone();
  }

  /**
   * The ONNX input and output names the manifest maps ({@code io}): keys {@code embedding},
   * {@code costWeight}, {@code logits} and, when the bundle has one, {@code expectedCost}.
   *
   * @return an unmodifiable map
   * @since 0.1.0
   */
  public Map<String, String> ioNames() {
    BundleIo io = manifest.io();
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("embedding", io.embedding());
    m.put("costWeight", io.costWeight());
    m.put("logits", io.logits());
    if (io.hasExpectedCost()) {
      m.put("expectedCost", io.expectedCost());
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The manifest's free-form {@code validation} record.
   *
   * @return an unmodifiable map of JSON values
   */
  public Map<String, Object> validation() {
    return toMap(manifest.validation());
  }

  BundleIo io() {
    return manifest.io();
  }

  ParsedManifest manifest() {
    return manifest;
  }

  byte[] routerBytes() {
    return router;
  }

  @Override
  public String toString() {
    return "RouterBundle{" + info() + " from " + source + ", " + manifest.heads().size()
        + " candidates}";
  }

  // By hand rather than with an ObjectMapper, whose initialisation would cost start-up time.
  private static Map<String, Object> toMap(com.fasterxml.jackson.databind.JsonNode node) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) plain(node);
    return Collections.unmodifiableMap(m);
  }

  /** A JSON tree as maps, lists, strings, numbers, booleans and nulls. */
  private static Object plain(com.fasterxml.jackson.databind.JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(e -> l.add(plain(e)));
      return l;
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  private OnnxModel parse(String file, byte[] bytes) {
    try {
      return OnnxModel.parse(bytes);
    } catch (OnnxFormatException e) {
      throw BundleErrors.file(source, file, e.getMessage() + "; the file is corrupt or not an"
          + " ONNX model", e);
    }
  }

  /** Self-contained, consistent and finite initializers; the names of those seen. */
  private Set<String> checkWeights(String file, OnnxModel model) {
    Set<String> initNames = new HashSet<>();
    for (OnnxInitializer t : model.initializers()) {
      initNames.add(t.name());
      String field = "initializer '" + t.name() + "'";
      if (t.isExternal()) {
        throw BundleErrors.field(source, file, field, "external data",
            "weights stored inside " + file + " (a bundle is self-contained)");
      }
      if (!t.shapeMatchesData()) {
        throw BundleErrors.field(source, file, field, "shape " + t.dims() + " ("
            + t.declaredElements() + " elements) over " + t.storedElements()
            + " stored elements", "a shape that matches the stored data");
      }
      long bad = t.firstNonFinite();
      if (bad >= 0) {
        throw BundleErrors.field(source, file, field, "element " + bad + " = "
            + (t.dataType() == 1 ? Float.toString(t.floatAt(bad)) : "non-finite"),
            "finite weights (no NaN or infinity); the training diverged or the export is"
                + " broken");
      }
    }
    return initNames;
  }

  private void checkOnnx() {
    String file = BundleSources.ROUTER;
    OnnxModel model = parse(file, router);
    if (model.irVersion() < 7) {
      throw BundleErrors.field(source, file, "ir_version", model.irVersion(), "7 or later");
    }
    Long opset = model.opsets().get("");
    if (opset == null || opset < 13) {
      throw BundleErrors.field(source, file, "opset_import", model.opsets(),
          "the default ONNX domain at opset 13 or later");
    }
    Set<String> initNames = checkWeights(file, model);
    IoLayout layout = new IoLayout(source, manifest);
    Set<String> inputs = new java.util.LinkedHashSet<>();
    for (OnnxValueInfo v : model.inputs()) {
      if (!initNames.contains(v.name())) {
        inputs.add(v.name());
      }
    }
    layout.checkInputNames(inputs, file);
    Set<String> outputs = new java.util.LinkedHashSet<>();
    for (OnnxValueInfo v : model.outputs()) {
      outputs.add(v.name());
    }
    layout.checkOutputNames(outputs, file);
    for (OnnxValueInfo v : model.inputs()) {
      layout.checkShape(v.name(), v.elementType(), IoLayout.toArray(v.dims()), file);
    }
    for (OnnxValueInfo v : model.outputs()) {
      layout.checkShape(v.name(), v.elementType(), IoLayout.toArray(v.dims()), file);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
