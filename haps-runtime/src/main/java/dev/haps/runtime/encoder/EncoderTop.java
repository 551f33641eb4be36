package dev.haps.runtime.encoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Fine-tuned top layers of a sentence encoder, as a router bundle carries them
 * ({@code encoder-top.onnx} and the manifest's {@code encoder.top}): the base model runs up to
 * the tensor {@link #cut()}, this ONNX graph runs the rest. An {@link OnnxQueryEncoder} built
 * with {@link OnnxQueryEncoder.Builder#fineTunedTop(EncoderTop)} cuts its base model there at
 * load time and runs the two graphs one after the other, then pools as usual.
 *
 * <p><b>The graph's contract.</b> One input {@value #INPUT}, float32 {@code [1, tokens, D]}: the
 * base model's hidden state at the cut for one text; one output {@value #OUTPUT}, float32 {@code
 * [1, tokens, D]} with a fixed {@code D}: the token vectors that are then mean-pooled and
 * L2-normalised (so pooling is not part of the graph). Rows never mix texts: one text per run.
 *
 * <p><b>Identity.</b> An encoder with a top reports {@link #id()} as its id and {@link
 * #encoderSha256()} as its SHA-256, so that a bundle, an embedding cache or a "same encoder"
 * check never takes its vectors for the base model's.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class EncoderTop {

  /** The graph's input name. */
  public static final String INPUT = "hidden_state";
  /** The graph's output name. */
  public static final String OUTPUT = "last_hidden_state";

  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  private final String id;
  private final String base;
  private final String baseSha256;
  private final String cut;
  private final int baseLayers;
  private final int topLayers;
  private final byte[] onnx;
  private final String sha256;

  private EncoderTop(String id, String base, String baseSha256, String cut, int baseLayers,
      int topLayers, byte[] onnx) {
    this.id = id;
    this.base = base;
    this.baseSha256 = baseSha256.toLowerCase(Locale.ROOT);
    this.cut = cut;
    this.baseLayers = baseLayers;
    this.topLayers = topLayers;
    this.onnx = onnx;
    this.sha256 = sha256(onnx);
  }

  /**
   * Fine-tuned top layers.
   *
   * @param id the id of the encoder the base and these layers make up, e.g. {@code
   *     all-minilm-l6-v2-q+top1-1a2b3c4d}
   * @param base the base encoder's id, e.g. {@value OnnxQueryEncoder#DEFAULT_MODEL_ID}
   * @param baseSha256 the SHA-256 of the base model file the layers were trained on
   * @param cut the base graph's tensor whose value this graph reads
   * @param baseLayers how many of the base model's layers run before the cut (for the record)
   * @param topLayers how many layers this graph holds (for the record)
   * @param onnx the graph's bytes; copied
   * @return the top
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a name is blank, {@code baseSha256} is not 64 hex
   *     digits, a layer count is negative (or {@code topLayers} zero), or {@code onnx} is empty
   */
  public static EncoderTop of(String id, String base, String baseSha256, String cut,
      int baseLayers, int topLayers, byte[] onnx) {
    nonBlank("id", id);
    nonBlank("base", base);
    nonBlank("cut", cut);
    Objects.requireNonNull(baseSha256, "baseSha256");
    Objects.requireNonNull(onnx, "onnx");
    if (!HEX64.matcher(baseSha256).matches()) {
      throw new IllegalArgumentException("baseSha256 must be 64 hex digits, got '" + baseSha256
          + "'");
    }
    if (baseLayers < 0 || topLayers < 1) {
      throw new IllegalArgumentException("expected baseLayers >= 0 and topLayers >= 1, got "
          + baseLayers + " and " + topLayers);
    }
    if (onnx.length == 0) {
      throw new IllegalArgumentException("onnx is empty; expected the top layers' ONNX graph");
    }
    return new EncoderTop(id, base, baseSha256, cut, baseLayers, topLayers, onnx.clone());
  }

  private static void nonBlank(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /**
   * The id of the whole encoder (base plus these layers).
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The base encoder's id.
   *
   * @return e.g. {@value OnnxQueryEncoder#DEFAULT_MODEL_ID}
   */
  public String base() {
    return base;
  }

  /**
   * The SHA-256 of the base model file these layers continue, lower-case hex.
   *
   * @return 64 hex digits
   */
  public String baseSha256() {
    return baseSha256;
  }

  /**
   * The base graph's tensor at which the base model is cut.
   *
   * @return the tensor name
   */
  public String cut() {
    return cut;
  }

  /**
   * How many of the base model's layers run before the cut.
   *
   * @return the count
   */
  public int baseLayers() {
    return baseLayers;
  }

  /**
   * How many layers this graph holds.
   *
   * @return the count, at least 1
   */
  public int topLayers() {
    return topLayers;
  }

  /**
   * The graph's bytes.
   *
   * @return a copy
   */
  public byte[] onnx() {
    return onnx.clone();
  }

  /** The graph's bytes, not copied: for sessions inside this package. */
  byte[] onnxShared() {
    return onnx;
  }

  /**
   * The SHA-256 of the graph's bytes, lower-case hex (the manifest's {@code encoder.top.sha256}).
   *
   * @return 64 hex digits
   */
  public String sha256() {
    return sha256;
  }

  /**
   * The SHA-256 that identifies the whole encoder: of the UTF-8 text {@code
   * "haps-encoder-top/1\n" + baseSha256 + "\n" + cut + "\n" + sha256}. An {@link
   * OnnxQueryEncoder} with this top reports it as {@code EncoderInfo.sha256()}, and a bundle
   * records it as {@code encoder.sha256}.
   *
   * @return 64 hex digits
   */
  public String encoderSha256() {
    return sha256(("haps-encoder-top/1\n" + baseSha256 + "\n" + cut + "\n" + sha256)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "EncoderTop[id=" + id + ", base=" + base + " (" + baseLayers + " layers, cut at "
        + cut + "), " + topLayers + " fine-tuned layers, " + onnx.length + " bytes, sha256 "
        + sha256.substring(0, 12) + "...]";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
