package dev.haps.runtime.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.runtime.internal.OrtSessions;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurements behind {@code docs/encoder.md}, not a test: run on demand with
 *
 * <pre>
 * mvn -o -q -pl haps-runtime test -Dtest=EncoderMeasurementTest -Dhaps.measure=true
 * </pre>
 *
 * <p>{@code -Dhaps.measure.skipBatch=true} skips part (1). Prints (1) the cosine between padded batched inference and single inference over real
 * queries, for the int8 and the float32 model, (2) single-query latency over 200 real queries at
 * 256 and 128 tokens, split into tokenization and bare inference, (3) throughput with 1 and 2
 * caller threads and (4) the per-query cost of {@code encodeAll} on 32 queries.
 */
@EnabledIfSystemProperty(named = "haps.measure", matches = "true")
class EncoderMeasurementTest {

  private static void out(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  @Test
  void measure() throws Exception {
    out("machine: %d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    List<String> queries = SharedQueries.mixed(200);
    if (!Boolean.getBoolean("haps.measure.skipBatch")) {
      batchInvariance("all-minilm-l6-v2-q.onnx", OnnxQueryEncoder.builder().defaultModel(), queries);
      batchInvariance("all-minilm-l6-v2.onnx", OnnxQueryEncoder.builder().defaultModelFp32(), queries);
    }
    for (int maxTokens : new int[] {256, 128}) {
      try (OnnxQueryEncoder e =
          OnnxQueryEncoder.builder().defaultModel().maxTokens(maxTokens).build()) {
        latency(e, queries);
        throughput(e, queries);
        batch(e, queries);
      }
    }
  }

  // (1) padded batches of B queries in one run vs each query alone
  private static void batchInvariance(String resource, OnnxQueryEncoder.Builder builder, List<String> all)
      throws Exception {
    List<String> queries = all.subList(0, 96);
    byte[] model;
    try (InputStream in = EncoderMeasurementTest.class.getClassLoader().getResourceAsStream(resource)) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtSessions.environment();
    try (OnnxQueryEncoder e = builder.build();
        OrtSession.SessionOptions options = OrtSessions.options(ExecutionProvider.cpu(), 1);
        OrtSession session = env.createSession(model, options)) {
      float[][] single = new float[queries.size()][];
      for (int i = 0; i < queries.size(); i++) {
        single[i] = e.encode(queries.get(i));
      }
      for (int batchSize : new int[] {8, 32}) {
        double min = 1;
        double sum = 0;
        int identical = 0;
        List<Double> all32 = new ArrayList<>();
        for (int from = 0; from < queries.size(); from += batchSize) {
          List<Tokenized> batch = new ArrayList<>();
          for (String q : queries.subList(from, Math.min(queries.size(), from + batchSize))) {
            batch.add(e.tokenize(q));
          }
          float[][] batched = paddedRun(env, session, batch, e.dimension());
          for (int i = 0; i < batched.length; i++) {
            double c = OnnxQueryEncoderTest.cosine(batched[i], single[from + i]);
            min = Math.min(min, c);
            sum += c;
            all32.add(c);
            if (Arrays.equals(batched[i], single[from + i])) {
              identical++;
            }
          }
        }
        all32.sort(null);
        out("batch invariance %-26s batch %2d over %d queries: min cosine %.6f, median %.6f,"
                + " mean %.6f, bit-identical %d/%d",
            resource, batchSize, queries.size(), min, all32.get(all32.size() / 2),
            sum / queries.size(), identical, queries.size());
      }
      // the same query padded to the longest of its batch-mates, alone in the run otherwise
      double minSelf = 1;
      for (int i = 0; i < queries.size(); i++) {
        float[] v = paddedRun(env, session, List.of(e.tokenize(queries.get(i))), e.dimension())[0];
        minSelf = Math.min(minSelf, OnnxQueryEncoderTest.cosine(v, single[i]));
      }
      out("  sanity: raw session, batch 1, no padding vs encoder: min cosine %.9f", minSelf);
    }
  }

  static float[][] paddedRun(OrtEnvironment env, OrtSession session, List<Tokenized> batch, int dim)
      throws Exception {
    int b = batch.size();
    int len = batch.stream().mapToInt(Tokenized::length).max().orElseThrow();
    long[] ids = new long[b * len];
    long[] mask = new long[b * len];
    for (int i = 0; i < b; i++) {
      long[] t = batch.get(i).ids();
      System.arraycopy(t, 0, ids, i * len, t.length);
      Arrays.fill(mask, i * len, i * len + t.length, 1L);
    }
    long[] shape = {b, len};
    try (OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor tTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape);
        OrtSession.Result r =
            session.run(Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes))) {
      FloatBuffer h = ((OnnxTensor) r.get("last_hidden_state").orElseThrow()).getFloatBuffer();
      float[][] out = new float[b][];
      for (int i = 0; i < b; i++) {
        int n = batch.get(i).length();
        float[] rows = new float[n * dim];
        for (int t = 0; t < n; t++) {
          h.get((i * len + t) * dim, rows, t * dim, dim);
        }
        out[i] = OnnxQueryEncoder.meanPoolAndNormalize(rows, n, dim);
      }
      return out;
    }
  }

  // (2) single-thread latency: full encode, tokenize only, inference only; wall clock and this
  // thread's CPU time (the latter is what an idle machine would show with one intra-op thread)
  private static void latency(OnnxQueryEncoder e, List<String> queries) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    List<Tokenized> tokens = new ArrayList<>();
    for (String q : queries) {
      tokens.add(e.tokenize(q));
      e.encode(q); // warm-up pass
    }
    int n = queries.size();
    long[][] wall = new long[3][n];
    long[][] cpu = new long[3][n];
    for (int i = 0; i < n; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      e.encode(queries.get(i));
      long c1 = mx.getCurrentThreadCpuTime();
      long t1 = System.nanoTime();
      e.tokenize(queries.get(i));
      long c2 = mx.getCurrentThreadCpuTime();
      long t2 = System.nanoTime();
      e.encodeTokenized(tokens.get(i));
      long c3 = mx.getCurrentThreadCpuTime();
      long t3 = System.nanoTime();
      wall[0][i] = t1 - t0;
      wall[1][i] = t2 - t1;
      wall[2][i] = t3 - t2;
      cpu[0][i] = c1 - c0;
      cpu[1][i] = c2 - c1;
      cpu[2][i] = c3 - c2;
    }
    double meanLen = tokens.stream().mapToInt(Tokenized::length).average().orElseThrow();
    long truncated = tokens.stream().filter(Tokenized::truncated).count();
    out("latency maxTokens %d, %d queries (mean %.0f tokens, %d truncated), load average %.1f:",
        e.info().maxTokens(), n, meanLen, truncated, load());
    out("  wall median: encode %.2f ms (p90 %.2f), tokenize %.3f ms, encodeTokenized %.2f ms",
        median(wall[0]), p90(wall[0]), median(wall[1]), median(wall[2]));
    out("  CPU  median: encode %.2f ms (p90 %.2f), tokenize %.3f ms, encodeTokenized %.2f ms;"
            + " encode / encodeTokenized %.3f",
        median(cpu[0]), p90(cpu[0]), median(cpu[1]), median(cpu[2]), sum(cpu[0]) / sum(cpu[2]));
  }

  private static double sum(long[] xs) {
    double s = 0;
    for (long x : xs) {
      s += x;
    }
    return s;
  }

  // (3) encodes per second with 1 and 2 caller threads, and CPU time per encode: on a busy
  // machine wall-clock scaling says little, CPU time per encode says whether threads interfere.
  private static void throughput(OnnxQueryEncoder e, List<String> queries) throws Exception {
    List<Tokenized> tokens = new ArrayList<>();
    for (String q : queries.subList(0, 100)) {
      tokens.add(e.tokenize(q));
    }
    double[] one = rate(e, tokens, 1);
    double[] two = rate(e, tokens, 2);
    out("throughput maxTokens %d (encodeTokenized): 1 thread %.1f/s (%.1f ms CPU each),"
            + " 2 threads %.1f/s (%.1f ms CPU each), ratio %.2f, load average %.1f",
        e.info().maxTokens(), one[0], one[1], two[0], two[1], two[0] / one[0], load());
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double[] rate(OnnxQueryEncoder e, List<Tokenized> tokens, int threads)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong cpu = new java.util.concurrent.atomic.AtomicLong();
    int total = tokens.size() * 2;
    CountDownLatch done = new CountDownLatch(threads);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
          e.encodeTokenized(tokens.get(i % tokens.size()));
        }
        cpu.addAndGet(mx.getCurrentThreadCpuTime() - c0);
        done.countDown();
      }).start();
    }
    done.await();
    return new double[] {total / ((System.nanoTime() - start) / 1e9), cpu.get() / 1e6 / total};
  }

  // (4) encodeAll of 32 vs 32 sequential encodes, per query
  private static void batch(OnnxQueryEncoder e, List<String> queries) {
    List<Double> perQueryAll = new ArrayList<>();
    List<Double> perQuerySeq = new ArrayList<>();
    for (int from = 0; from + 32 <= 128; from += 32) {
      List<String> chunk = queries.subList(from, from + 32);
      long t0 = System.nanoTime();
      e.encodeAll(chunk);
      long t1 = System.nanoTime();
      for (String q : chunk) {
        e.encode(q);
      }
      long t2 = System.nanoTime();
      perQueryAll.add((t1 - t0) / 32e6);
      perQuerySeq.add((t2 - t1) / 32e6);
    }
    perQueryAll.sort(null);
    perQuerySeq.sort(null);
    out("encodeAll(32) maxTokens %d: per query median %.2f ms vs sequential encode %.2f ms"
            + " (ratio %.2f), load average %.1f",
        e.info().maxTokens(), perQueryAll.get(perQueryAll.size() / 2),
        perQuerySeq.get(perQuerySeq.size() / 2),
        perQueryAll.get(perQueryAll.size() / 2) / perQuerySeq.get(perQuerySeq.size() / 2), load());
  }

  private static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }

  private static double p90(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[(int) (s.length * 0.9)] / 1e6;
  }
}
