package dev.haps.runtime.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.runtime.execution.ExecutionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.Truncation;

/** The default int8 encoder in a real ONNX Runtime session. */
class OnnxQueryEncoderTest {

  // A 64-token budget keeps the suite fast on 2 cores; the default budget is checked on its own.
  private static OnnxQueryEncoder encoder;
  private static OnnxQueryEncoder tail;

  @BeforeAll
  static void build() {
    encoder =
        OnnxQueryEncoder.builder().defaultModel().maxTokens(64).truncation(Truncation.HEAD).build();
    tail =
        OnnxQueryEncoder.builder()
            .defaultModel()
            .maxTokens(16)
            .truncation(Truncation.TAIL)
            .parallelism(1)
            .build();
  }

  @AfterAll
  static void close() {
    encoder.close();
    tail.close();
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void info_defaultModel_describesEncoder() throws Exception {
    EncoderInfo info = encoder.info();
    assertThat(info.id()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(info.dimension()).isEqualTo(384);
    assertThat(encoder.dimension()).isEqualTo(384);
    assertThat(info.pooling()).isEqualTo("mean");
    assertThat(info.normalize()).isTrue();
    assertThat(info.maxTokens()).isEqualTo(64);
    assertThat(info.truncation()).isEqualTo(Truncation.HEAD);
    byte[] model;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
      model = in.readAllBytes();
    }
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    assertThat(info.sha256()).isEqualTo(sha).hasSize(64);
    assertThat(encoder.executionProvider()).isEqualTo(ExecutionProvider.cpu());
    assertThat(encoder.toString()).contains("all-minilm-l6-v2-q", "maxTokens=64", "CPU");
  }

  @Test
  void encode_sameSentence_identicalVectors() {
    String q = "Which planet is the largest in the solar system?";
    assertThat(encoder.encode(q)).containsExactly(encoder.encode(q));
  }

  @Test
  void encode_realQueries_unitNormAnd384Dimensions() {
    for (String q : SharedQueries.mixed(10)) {
      float[] v = encoder.encode(q);
      assertThat(v).hasSize(384);
      double norm = Math.sqrt(cosineDenominator(v));
      assertThat(norm).isCloseTo(1.0, within(1e-5));
      for (float x : v) {
        assertThat(Float.isFinite(x)).isTrue();
      }
    }
  }

  private static double cosineDenominator(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s;
  }

  @Test
  void encode_similarQueries_closerThanUnrelated() {
    String[][] triples = {
      {
        "Which planet is the largest in the solar system?",
        "What is the biggest planet orbiting the Sun?",
        "How do I bake sourdough bread at home?"
      },
      {
        "Translate 'good morning' into French.",
        "How do you say good morning in French?",
        "What is the derivative of x squared?"
      },
      {
        "Write a Python function that reverses a string.",
        "Python code to reverse a string",
        "Who won the football world cup in 2014?"
      },
    };
    for (String[] t : triples) {
      float[] a = encoder.encode(t[0]);
      double similar = cosine(a, encoder.encode(t[1]));
      double unrelated = cosine(a, encoder.encode(t[2]));
      assertThat(similar).as("%s ~ %s", t[0], t[1]).isGreaterThan(unrelated + 0.3);
    }
  }

  @Test
  void encode_blankText_clearError() {
    for (String blank : new String[] {"", " ", "\n\t  \r\n"}) {
      assertThatThrownBy(() -> encoder.encode(blank))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("text is blank")
          .hasMessageContaining("length " + blank.length())
          .hasMessageContaining("must contain some non-whitespace text");
    }
  }

  @Test
  void encode_noTokens_clearError() {
    assertThatThrownBy(() -> encoder.encode("\u0000\u0001"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no tokens after normalisation");
  }

  @Test
  void encode_null_nullPointerNamingArgument() {
    assertThatThrownBy(() -> encoder.encode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
  }

  @Test
  void encodeAll_realQueries_bitIdenticalToOneByOne() {
    List<String> queries = SharedQueries.mixed(16);
    float[][] batch = encoder.encodeAll(queries);
    assertThat(batch.length).isEqualTo(16);
    for (int i = 0; i < queries.size(); i++) {
      assertThat(batch[i]).as("query %d", i).containsExactly(encoder.encode(queries.get(i)));
    }
  }

  @Test
  void encodeAll_sameTextDifferentCompanions_identicalVectors() {
    String q = "Which planet is the largest in the solar system?";
    List<String> others = SharedQueries.mixed(12);
    float[] alone = encoder.encodeAll(List.of(q))[0];
    float[] withShort = encoder.encodeAll(List.of("hi", q, "ok"))[1];
    List<String> longCompanions = new ArrayList<>(others);
    longCompanions.add(5, q);
    float[] withLong = encoder.encodeAll(longCompanions)[5];
    assertThat(withShort).containsExactly(alone);
    assertThat(withLong).containsExactly(alone);
    assertThat(alone).containsExactly(encoder.encode(q));
  }

  @Test
  void encode_concurrentCallers_sameVectorsAsSequential() throws Exception {
    List<String> queries = SharedQueries.mixed(6);
    float[][] expected = new float[queries.size()][];
    for (int i = 0; i < queries.size(); i++) {
      expected[i] = encoder.encode(queries.get(i));
    }
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (String q : queries) {
          futures.add(threads.submit(() -> encoder.encode(q)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).containsExactly(expected[i % queries.size()]);
      }
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void close_whileCallersRun_finishesOrFailsCleanly() throws Exception {
    OnnxQueryEncoder e = OnnxQueryEncoder.builder().defaultModel().maxTokens(16).build();
    float[] expected = e.encode("hello there");
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        futures.add(threads.submit(() -> e.encode("hello there")));
      }
      e.close();
      for (java.util.concurrent.Future<float[]> f : futures) {
        try {
          assertThat(f.get()).containsExactly(expected);
        } catch (java.util.concurrent.ExecutionException ex) {
          assertThat(ex.getCause())
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("is closed");
        }
      }
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void encodeAll_blankElement_errorNamesIndex() {
    assertThatThrownBy(() -> encoder.encodeAll(List.of("fine", "also fine", "   ")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("texts[2] is blank");
  }

  @Test
  void encodeAll_elementWithoutTokens_errorNamesIndex() {
    assertThatThrownBy(() -> encoder.encodeAll(List.of("fine", "\u0007", "also fine", "ok")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("texts[1]: ")
        .hasMessageContaining("no tokens");
  }

  @Test
  void encodeAll_empty_emptyResult() {
    assertThat(encoder.encodeAll(List.of())).isEmpty();
  }

  @Test
  void encodeTokenized_tokenizedText_equalsEncode() {
    String q = SharedQueries.mixed(3).get(2);
    Tokenized t = encoder.tokenize(q);
    assertThat(t.length()).isLessThanOrEqualTo(64);
    assertThat(encoder.encodeTokenized(t)).containsExactly(encoder.encode(q));
  }

  @Test
  void encode_oneMegabyteText_costsAboutOneShortQuery() {
    String text = SharedQueries.longText(1_000_000).substring(0, 1_000_000);
    String start = text.substring(0, 2_000);
    assertThat(encoder.encode(text)).containsExactly(encoder.encode(start));
    assertThat(encoder.tokenize(text).length()).isEqualTo(64);
    assertThat(encoder.tokenize(text).truncated()).isTrue();
    // Relative, so that a busy machine slows both sides: tokenizing all of 1 MB would add about
    // a second (50 short encodes) on an idle 2-core VM.
    long big = fastest(() -> encoder.encode(text));
    long small = fastest(() -> encoder.encode(start));
    assertThat(big).as("1 MB encode vs 2 kB encode, ns").isLessThan(3 * small + 50_000_000L);
  }

  static long fastest(Runnable r) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best;
  }

  @Test
  void truncation_longText_keepsConfiguredEnd() {
    // the tokenizer tests check HEAD_TAIL and every cut position; here: the vectors follow
    String head = "The capital of France is Paris. ".repeat(40);
    String last = "Photosynthesis converts light into chemical energy in plants. ".repeat(40);
    String text = head + last;
    assertThat(encoder.encode(text)).containsExactly(encoder.encode(head));
    assertThat(tail.info().truncation()).isEqualTo(Truncation.TAIL);
    assertThat(tail.encode(text)).containsExactly(tail.encode(last));
    assertThat(tail.tokenize(text)).isEqualTo(tail.tokenize(last));
  }

  @Test
  void close_twice_isIdempotentAndUseAfterCloseFails() {
    OnnxQueryEncoder e = OnnxQueryEncoder.builder().defaultModel().maxTokens(16).build();
    Tokenized t = e.tokenize("hello");
    e.close();
    e.close();
    assertThatThrownBy(() -> e.encode("hello"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "encoder 'all-minilm-l6-v2-q' is closed; build a new OnnxQueryEncoder to encode again");
    assertThatThrownBy(() -> e.encodeAll(List.of("a", "b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> e.tokenize("hello")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> e.encodeTokenized(t)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void encodeTokenized_longerThanBudget_rejected() {
    Tokenized t = encoder.tokenize("one two three four five six seven eight nine ten eleven twelve"
        + " thirteen fourteen fifteen sixteen seventeen eighteen");
    assertThat(t.length()).isEqualTo(20);
    assertThatThrownBy(() -> tail.encodeTokenized(t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokens has 20 ids but this encoder's maxTokens is 16; tokenize with this encoder");
  }

  @Test
  void builder_modelFromFiles_sameVectorsAsDefault(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("minilm.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    copyResource("all-minilm-l6-v2-q.onnx", model);
    copyResource("all-minilm-l6-v2-q-tokenizer.json", tokenizer);
    try (OnnxQueryEncoder e =
        OnnxQueryEncoder.builder()
            .model(model)
            .tokenizer(tokenizer)
            .maxTokens(64)
            .intraOpThreads(2)
            .build()) {
      assertThat(e.info().id()).isEqualTo("minilm");
      assertThat(e.info().sha256()).isEqualTo(encoder.info().sha256());
      String q = "Which planet is the largest?";
      assertThat(cosine(e.encode(q), encoder.encode(q))).isCloseTo(1.0, within(1e-5));
    }
  }

  private static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = OnnxQueryEncoderTest.class.getClassLoader().getResourceAsStream(name)) {
      Files.copy(in, to);
    }
  }

  @Test
  void builder_optionSetTwice_rejected() {
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().maxTokens(64).maxTokens(128))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxTokens was already set to 64");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().defaultModel().model(Path.of("m.onnx")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model was already set to class path resources all-minilm-l6-v2-q.onnx");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().id("a").id("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("id was already set to a");
  }

  @Test
  void builder_badValues_rejected() {
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().maxTokens(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens must be at least 4, got 3");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().intraOpThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intraOpThreads must be at least 1, got 0");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().id(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no encoder model set");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().model(Path.of("m.onnx")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no tokenizer");
  }

  @Test
  void builder_missingFile_configurationError(@TempDir Path dir) throws IOException {
    Path tokenizer = dir.resolve("tokenizer.json");
    copyResource("all-minilm-l6-v2-q-tokenizer.json", tokenizer);
    Path missing = dir.resolve("missing.onnx");
    assertThatThrownBy(
            () -> OnnxQueryEncoder.builder().model(missing).tokenizer(tokenizer).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("could not read encoder model " + missing)
        .hasMessageContaining("expected a readable .onnx file");
  }

  @Test
  void builder_notATokenizer_configurationError(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("m.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    Files.writeString(model, "not used");
    Files.writeString(tokenizer, "{\"version\": 1}");
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().model(model).tokenizer(tokenizer).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("could not load tokenizer")
        .hasMessageContaining("expected a Hugging Face tokenizer.json");
  }

  @Test
  void builder_notAnOnnxModel_configurationError(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("m.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    Files.writeString(model, "definitely not protobuf");
    copyResource("all-minilm-l6-v2-q-tokenizer.json", tokenizer);
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().model(model).tokenizer(tokenizer).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("could not load model file " + model)
        .hasMessageContaining("into ONNX Runtime");
  }

  // Issue 16.13: the default model's limit is known: refuse before ONNX Runtime runs at all.
  @Test
  void builder_maxTokensBeyondPositions_configurationError() {
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().defaultModel().maxTokens(1000).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("maxTokens 1000 is more than the 512 tokens encoder all-minilm-l6-v2-q can"
            + " read (its position embeddings); use at most 512 (default 128)");
  }

  // A model from files has no known limit: one run at the full budget finds it.
  @Test
  void builder_modelFileBeyondPositions_configurationError(@TempDir Path dir)
      throws IOException {
    Path model = dir.resolve("minilm.onnx");
    Path tokenizer = dir.resolve("tokenizer.json");
    copyResource("all-minilm-l6-v2-q.onnx", model);
    copyResource("all-minilm-l6-v2-q-tokenizer.json", tokenizer);
    assertThatThrownBy(() -> OnnxQueryEncoder.builder().model(model).tokenizer(tokenizer)
        .maxTokens(600).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot run 600 tokens")
        .hasMessageContaining("use a maxTokens the model supports");
  }

  @Test
  void builder_cudaOnCpuClasspath_configurationErrorNamingGpuArtifact() {
    assertThatThrownBy(
            () ->
                OnnxQueryEncoder.builder()
                    .defaultModel()
                    .executionProvider(ExecutionProvider.cuda(0))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CUDA(0) is not available")
        .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime_gpu");
  }

  @Test
  void builder_defaultsAndAuto_trainerDefaults128TailOnCpu() {
    try (OnnxQueryEncoder e =
        OnnxQueryEncoder.builder().defaultModel().executionProvider(ExecutionProvider.auto()).build()) {
      assertThat(e.executionProvider()).isEqualTo(ExecutionProvider.cpu());
      assertThat(e.info().maxTokens())
          .isEqualTo(OnnxQueryEncoder.DEFAULT_MAX_TOKENS)
          .isEqualTo(128);
      assertThat(e.info().truncation())
          .isEqualTo(OnnxQueryEncoder.DEFAULT_TRUNCATION)
          .isEqualTo(Truncation.TAIL);
    }
  }

  @Test
  void defaultModelFp32_onTestClasspath_agreesWithInt8() {
    // same budget and truncation as the shared int8 encoder, so that long queries are cut alike
    try (OnnxQueryEncoder fp32 =
        OnnxQueryEncoder.builder()
            .defaultModelFp32()
            .maxTokens(64)
            .truncation(Truncation.HEAD)
            .build()) {
      assertThat(fp32.info().id()).isEqualTo("all-minilm-l6-v2");
      assertThat(fp32.info().sha256()).isNotEqualTo(encoder.info().sha256());
      List<String> queries = SharedQueries.mixed(4);
      float[][] batch = fp32.encodeAll(queries);
      for (int i = 0; i < queries.size(); i++) {
        float[] v = fp32.encode(queries.get(i));
        assertThat(batch[i]).containsExactly(v);
        assertThat(cosine(v, encoder.encode(queries.get(i)))).isGreaterThan(0.9);
      }
    }
  }
}
