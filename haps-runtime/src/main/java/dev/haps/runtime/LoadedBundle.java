package dev.haps.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.haps.api.BundleInfo;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.decode.CandidateHead;
import dev.haps.runtime.decode.Ranking;
import dev.haps.runtime.decode.RoutingDecoder;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.internal.BundleErrors;
import dev.haps.runtime.internal.BundleIo;
import dev.haps.runtime.internal.BundleSources;
import dev.haps.runtime.internal.IoLayout;
import dev.haps.runtime.internal.OrtSessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bundle validated against ONNX Runtime and the router's encoder, with its heads session open.
 * Reference counted: the router holds one reference while the bundle is current, each request
 * holds one while it runs; the session closes when the count reaches zero. This is what makes a
 * hot swap safe: requests in flight keep the old bundle alive and never see the new one.
 *
 * <p>The heads session runs on the CPU with one intra-op thread: the network is a few small
 * matrix products, cheaper than any thread hand-off or device transfer. Single-row calls reuse a
 * per-thread set of direct buffers and pinned output tensors, so they allocate nothing in ONNX
 * Runtime beyond the call itself.
 */
final class LoadedBundle {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedBundle.class);
  private static final String SESSION = BundleSources.ROUTER + " (ONNX Runtime session)";

  final RouterBundle bundle;
  final BundleInfo info;
  final long generation;
  final RoutingDecoder decoder;
  /** The logging policy's id in decisions: the SHA-256 of router.onnx. */
  final String policyId;
  /** Logit × this = utility, for exploration. */
  final double utilityScale;
  private final int dimension;
  private final int k;
  private final BundleIo io;
  /** Output names in this order: logits, then each candidate's parameters, then cost. */
  private final String[] outputs;
  private final int[] outputWidths;
  /** For candidate k, its position in {@link #outputs}, or -1 without parameters. */
  private final int[] paramOutput;
  private final int costOutput;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  /** Bundles whose native session is open, process-wide; for leak checks in tests. */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final AtomicInteger refs = new AtomicInteger(1);
  private boolean batchInvariant; // set once by probe() before the bundle is published
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<Scratch> scratches = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(this::newScratch);

  private LoadedBundle(RouterBundle bundle, long generation, OrtSession.SessionOptions options,
      OrtSession session) {
    this.bundle = bundle;
    this.info = bundle.info();
    this.generation = generation;
    this.policyId = bundle.routerSha256();
    this.utilityScale = bundle.utilityScale();
    this.decoder = new RoutingDecoder(bundle.heads());
    this.dimension = bundle.encoder().dimension();
    this.k = bundle.heads().size();
    this.io = bundle.io();
    this.env = OrtSessions.environment();
    this.options = options;
    this.session = session;
    List<String> names = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    names.add(io.logits());
    widths.add(k);
    paramOutput = new int[k];
    for (CandidateHead h : bundle.heads()) {
      if (h.width() == 0) {
        paramOutput[h.index()] = -1;
      } else if (names.contains(h.output())) {
        paramOutput[h.index()] = names.indexOf(h.output()); // shared with an earlier candidate
      } else {
        paramOutput[h.index()] = names.size();
        names.add(h.output());
        widths.add(h.outputWidth());
      }
    }
    if (io.hasExpectedCost()) {
      costOutput = names.size();
      names.add(io.expectedCost());
      widths.add(k);
    } else {
      costOutput = -1;
    }
    outputs = names.toArray(new String[0]);
    outputWidths = widths.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Opens and fully validates a bundle: encoder identity, the session's inputs and outputs, and a
   * test run on zero inputs that must produce finite outputs of the declared shapes.
   */
  static LoadedBundle open(RouterBundle bundle, EncoderInfo encoder, long generation) {
    checkEncoder(bundle, encoder);
    OrtSession.SessionOptions options = OrtSessions.options(ExecutionProvider.cpu(), 1);
    OrtSession session = null;
    try {
      try {
        session = OrtSessions.environment().createSession(bundle.routerBytes(), options);
      } catch (OrtException e) {
        throw BundleErrors.file(bundle.source(), BundleSources.ROUTER, "ONNX Runtime cannot load"
            + " it: " + e.getMessage() + "; re-export the network", e);
      }
      LoadedBundle b = new LoadedBundle(bundle, generation, options, session);
      b.checkSession();
      b.probe();
      OPEN.incrementAndGet();
      LOG.info("loaded router bundle {} from {}: {} candidates, encoder {} ({} dimensions)",
          b.info, bundle.source(), b.k, encoder.id(), encoder.dimension());
      return b;
    } catch (RuntimeException e) {
      closeQuietly(session, options, e);
      throw e;
    }
  }

  private static void closeQuietly(OrtSession session, OrtSession.SessionOptions options,
      RuntimeException failure) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    options.close();
  }

  static void checkEncoder(RouterBundle bundle, EncoderInfo encoder) {
    EncoderInfo want = bundle.encoder();
    String hint = " (the configured encoder '" + encoder.id() + "'); the bundle was trained with"
        + " another encoder or encoder setting: configure HapsRouter.builder().encoder(...) to"
        + " match, or use a bundle trained for this encoder";
    check(bundle, "encoder.id", want.id(), encoder.id(), hint);
    check(bundle, "encoder.dimension", want.dimension(), encoder.dimension(), hint);
    check(bundle, "encoder.sha256", want.sha256(),
        encoder.sha256().toLowerCase(java.util.Locale.ROOT), hint);
    check(bundle, "encoder.pooling", want.pooling(), encoder.pooling(), hint);
    check(bundle, "encoder.normalize", want.normalize(), encoder.normalize(), hint);
    check(bundle, "encoder.maxTokens", want.maxTokens(), encoder.maxTokens(), hint);
    check(bundle, "encoder.truncation", want.truncation().manifestName(),
        encoder.truncation().manifestName(), hint);
  }

  private static void check(RouterBundle b, String field, Object found, Object expected,
      String hint) {
    if (!Objects.equals(found, expected)) {
      throw BundleErrors.field(b.source(), BundleSources.MANIFEST, field, found,
          expected + hint);
    }
  }

  private void checkSession() {
    IoLayout layout = new IoLayout(bundle.source(), bundle.manifest());
    try {
      Map<String, NodeInfo> in = session.getInputInfo();
      Map<String, NodeInfo> out = session.getOutputInfo();
      layout.checkInputNames(in.keySet(), SESSION);
      layout.checkOutputNames(out.keySet(), SESSION);
      for (NodeInfo n : in.values()) {
        checkNode(layout, n);
      }
      for (NodeInfo n : out.values()) {
        checkNode(layout, n);
      }
    } catch (OrtException e) {
      throw BundleErrors.file(bundle.source(), SESSION, "cannot describe its inputs and"
          + " outputs: " + e.getMessage(), e);
    }
  }

  private static void checkNode(IoLayout layout, NodeInfo n) {
    if (!(n.getInfo() instanceof TensorInfo)) {
      layout.checkShape(n.getName(), 0, new long[0], SESSION);
      return;
    }
    TensorInfo t = (TensorInfo) n.getInfo();
    int type = t.type == OnnxJavaType.FLOAT ? IoLayout.FLOAT : -1;
    layout.checkShape(n.getName(), type, t.getShape(), SESSION);
  }

  /**
   * Test runs before the bundle serves: (1) two rows of zeros (cost weights 0 and 1) must give
   * finite outputs; (2) four seeded random unit embeddings run as one batch must equal the same
   * rows run one at a time. Bit-for-bit equality lets {@link #routeBatch} use one batched call;
   * differences in the last bits (some kernels take another path for a single row) make it run
   * rows one at a time instead, so decisions never depend on the batch; larger differences mean
   * rows influence each other, which the contract forbids.
   */
  private void probe() {
    float[][] out = runBatch(new float[2][dimension], new float[] {0f, 1f},
        "a test run on zero inputs");
    for (int o = 0; o < outputs.length; o++) {
      float[] values = out[o];
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw BundleErrors.field(bundle.source(), SESSION, "output '" + outputs[o] + "'",
              values[i] + " at row " + (i / outputWidths[o]) + ", column "
                  + (i % outputWidths[o]) + " of a test run on zero inputs",
              "finite outputs; the network is numerically broken");
        }
      }
    }
    java.util.Random r = new java.util.Random(0x4A505321L);
    int rows = 4;
    float[][] emb = new float[rows][dimension];
    float[] cw = {0f, 0.25f, 0.75f, 1f};
    for (float[] row : emb) {
      double norm = 0;
      for (int i = 0; i < dimension; i++) {
        row[i] = (float) r.nextGaussian();
        norm += row[i] * row[i];
      }
      for (int i = 0; i < dimension; i++) {
        row[i] /= (float) Math.sqrt(norm);
      }
    }
    float[][] batched = runBatch(emb, cw, "a batched test run");
    boolean identical = true;
    for (int row = 0; row < rows; row++) {
      float[][] single = runSingleRaw(emb[row], cw[row]);
      for (int o = 0; o < outputs.length; o++) {
        int w = outputWidths[o];
        for (int j = 0; j < w; j++) {
          float a = batched[o][row * w + j];
          float b = single[o][j];
          if (Float.floatToIntBits(a) != Float.floatToIntBits(b)) {
            identical = false;
            if (!(Math.abs(a - b) <= 1e-3 * (1 + Math.abs(a)))) {
              throw BundleErrors.field(bundle.source(), SESSION, "output '" + outputs[o] + "'",
                  a + " for row " + row + " in a batch of " + rows + " but " + b + " alone",
                  "rows computed independently of each other (no operator may mix the batch"
                      + " dimension)");
            }
          }
        }
      }
    }
    batchInvariant = identical;
    if (!identical) {
      LOG.info("bundle {}: a batched network call differs in the last bits from single-row calls"
          + " (kernel paths differ by batch size); route(List) will run rows one at a time so"
          + " that decisions never depend on the batch", info);
    }
  }

  /** One single-row run on this thread's scratch; returns copies of every output row. */
  private float[][] runSingleRaw(float[] embedding, float costWeight) {
    Scratch s = scratch.get();
    s.embedding.put(0, embedding);
    s.costWeight.put(0, costWeight);
    try {
      session.run(s.inputs, s.pinned).close();
    } catch (OrtException e) {
      throw BundleErrors.file(bundle.source(), SESSION, "a single-row test run failed: "
          + e.getMessage(), e);
    }
    float[][] out = new float[outputs.length][];
    for (int o = 0; o < outputs.length; o++) {
      out[o] = new float[outputWidths[o]];
      s.outBuffers[o].get(0, out[o]);
    }
    return out;
  }

  /** Whether one batched network call gives bit-for-bit the single-row results. */
  boolean batchInvariant() {
    return batchInvariant;
  }

  /** The number of bundles with an open session in this process. */
  static int openCount() {
    return OPEN.get();
  }

  boolean acquire() {
    while (true) {
      int r = refs.get();
      if (r == 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    int r = refs.decrementAndGet();
    if (r == 0) {
      closeNative();
    } else if (r < 0) {
      throw new IllegalStateException("bundle " + info + " released more often than acquired");
    }
  }

  /** Waits until the session is closed (all references released). */
  void awaitClosed() {
    closed.join();
  }

  boolean isClosed() {
    return closed.isDone();
  }

  private void closeNative() {
    RuntimeException failure = null;
    for (Scratch s : scratches) {
      try {
        s.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    scratches.clear();
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warn("closing the heads session of bundle {} failed: {}", info, e.toString());
    }
    options.close();
    OPEN.decrementAndGet();
    LOG.debug("closed router bundle {} (generation {})", info, generation);
    closed.complete(null);
    if (failure != null) {
      LOG.warn("closing buffers of bundle {} failed: {}", info, failure.toString());
    }
  }

  /** Routes one embedding; the caller holds a reference. */
  Ranking routeOne(float[] embedding, RouteRequest request) {
    Scratch s = scratch.get();
    s.embedding.put(0, embedding);
    s.costWeight.put(0, (float) request.costWeight());
    try {
      // Outputs are written into the pinned buffers; the result owns none of them.
      session.run(s.inputs, s.pinned).close();
      for (int o = 0; o < outputs.length; o++) {
        s.outBuffers[o].get(0, s.outArrays[o]);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("router network of bundle " + info + " failed: "
          + e.getMessage(), e);
    }
    return decoder.decode(s.outArrays[0], s.params, s.cost, 0, request);
  }

  /** Routes several embeddings in one network call; the caller holds a reference. */
  Ranking[] routeBatch(float[][] embeddings, List<RouteRequest> requests) {
    int n = embeddings.length;
    if (!batchInvariant || n == 1) {
      Ranking[] r = new Ranking[n];
      for (int i = 0; i < n; i++) {
        r[i] = routeOne(embeddings[i], requests.get(i));
      }
      return r;
    }
    float[] cw = new float[n];
    for (int i = 0; i < n; i++) {
      cw[i] = (float) requests.get(i).costWeight();
    }
    float[][] out = runBatch(embeddings, cw, null);
    float[][] params = new float[k][];
    for (int c = 0; c < k; c++) {
      params[c] = paramOutput[c] < 0 ? new float[0] : out[paramOutput[c]];
    }
    float[] cost = costOutput < 0 ? new float[0] : out[costOutput];
    Ranking[] r = new Ranking[n];
    for (int i = 0; i < n; i++) {
      r[i] = decoder.decode(out[0], params, cost, i, requests.get(i));
    }
    return r;
  }

  /**
   * One batched network call with fresh tensors; returns each output row-major. With a non-null
   * {@code probe} description, failures are bundle errors (validation); otherwise runtime errors.
   */
  private float[][] runBatch(float[][] embeddings, float[] cw, String probe) {
    int n = embeddings.length;
    FloatBuffer e = ByteBuffer.allocateDirect(n * dimension * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (float[] row : embeddings) {
      e.put(row);
    }
    e.rewind();
    FloatBuffer c = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    c.put(cw).rewind();
    try (OnnxTensor et = OnnxTensor.createTensor(env, e, new long[] {n, dimension});
        OnnxTensor ct = OnnxTensor.createTensor(env, c, new long[] {n, 1});
        OrtSession.Result res = session.run(Map.of(io.embedding(), et, io.costWeight(), ct),
            new java.util.LinkedHashSet<>(List.of(outputs)))) {
      float[][] out = new float[outputs.length][];
      for (int o = 0; o < outputs.length; o++) {
        OnnxValue v = res.get(outputs[o]).orElseThrow();
        if (!(v instanceof OnnxTensor) || ((OnnxTensor) v).getInfo().type != OnnxJavaType.FLOAT) {
          throw new IllegalStateException("output '" + outputs[o] + "' is not a float tensor");
        }
        OnnxTensor t = (OnnxTensor) v;
        long[] shape = t.getInfo().getShape();
        if (shape.length != 2 || shape[0] != n || shape[1] != outputWidths[o]) {
          throw new IllegalStateException("output '" + outputs[o] + "' has shape "
              + java.util.Arrays.toString(shape) + " for " + n + " rows; expected [" + n + ", "
              + outputWidths[o] + "]");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        out[o] = a;
      }
      return out;
    } catch (OrtException | IllegalStateException ex) {
      if (probe != null) {
        throw BundleErrors.file(bundle.source(), SESSION, probe + " failed: " + ex.getMessage()
            + "; the network does not compute what the manifest declares", ex);
      }
      throw new IllegalStateException("router network of bundle " + info + " failed on a batch"
          + " of " + n + ": " + ex.getMessage(), ex);
    }
  }

  private Scratch newScratch() {
    try {
      Scratch s = new Scratch(this);
      scratches.add(s);
      return s;
    } catch (OrtException e) {
      throw new IllegalStateException("cannot allocate ONNX Runtime buffers for bundle " + info
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * One thread's reusable single-row tensors: direct buffers shared with ONNX Runtime. Static,
   * holding no reference to its bundle: a thread-local value that pointed back at its bundle
   * (and so at the thread-local key) would keep every swapped-out bundle reachable from every
   * thread that ever routed on it.
   */
  private static final class Scratch implements AutoCloseable {
    final FloatBuffer embedding;
    final FloatBuffer costWeight;
    final Map<String, OnnxTensor> inputs;
    final FloatBuffer[] outBuffers;
    final float[][] outArrays;
    final Map<String, OnnxValue> pinned;
    final float[][] params;
    final float[] cost;
    private final List<OnnxTensor> tensors = new ArrayList<>();

    Scratch(LoadedBundle b) throws OrtException {
      int dimension = b.dimension;
      BundleIo io = b.io;
      OrtEnvironment env = b.env;
      String[] outputs = b.outputs;
      int[] outputWidths = b.outputWidths;
      int k = b.k;
      int[] paramOutput = b.paramOutput;
      int costOutput = b.costOutput;
      try {
        embedding = direct(dimension);
        costWeight = direct(1);
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        in.put(io.embedding(), track(OnnxTensor.createTensor(env, embedding,
            new long[] {1, dimension})));
        in.put(io.costWeight(), track(OnnxTensor.createTensor(env, costWeight,
            new long[] {1, 1})));
        inputs = in;
        outBuffers = new FloatBuffer[outputs.length];
        outArrays = new float[outputs.length][];
        Map<String, OnnxValue> pin = new LinkedHashMap<>();
        for (int o = 0; o < outputs.length; o++) {
          outBuffers[o] = direct(outputWidths[o]);
          outArrays[o] = new float[outputWidths[o]];
          pin.put(outputs[o], track(OnnxTensor.createTensor(env, outBuffers[o],
              new long[] {1, outputWidths[o]})));
        }
        pinned = pin;
        params = new float[k][];
        for (int c = 0; c < k; c++) {
          params[c] = paramOutput[c] < 0 ? new float[0] : outArrays[paramOutput[c]];
        }
        cost = costOutput < 0 ? new float[0] : outArrays[costOutput];
      } catch (OrtException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private OnnxTensor track(OnnxTensor t) {
      tensors.add(t);
      return t;
    }

    @Override
    public void close() {
      for (OnnxTensor t : tensors) {
        t.close();
      }
      tensors.clear();
    }
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

}
