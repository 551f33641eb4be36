package dev.haps.train.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.QueryEncoder;
import dev.haps.spi.Truncation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreTest {

  @TempDir Path dir;

  /** A deterministic stand-in encoder (hash-seeded vectors) that counts the texts it encodes. */
  static class CountingEncoder implements QueryEncoder {
    final EncoderInfo info;
    final AtomicInteger encoded = new AtomicInteger();

    CountingEncoder(int maxTokens) {
      this.info = new EncoderInfo("counting", 8, "mean", true, maxTokens, Truncation.TAIL,
          "ab".repeat(32));
    }

    @Override
    public EncoderInfo info() {
      return info;
    }

    @Override
    public float[] encode(String text) {
      encoded.incrementAndGet();
      java.util.SplittableRandom r = new java.util.SplittableRandom(text.hashCode());
      float[] v = new float[8];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextDouble();
      }
      return v;
    }

    @Override
    public float[][] encodeAll(List<String> texts) {
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = encode(texts.get(i));
      }
      return out;
    }

    @Override
    public void close() { }
  }

  private static List<String> texts(int from, int to) {
    List<String> t = new ArrayList<>();
    for (int i = from; i < to; i++) {
      t.add("query number " + i);
    }
    return t;
  }

  // Issue 16.12: an unusable cache folder is a warning, never the end of a training run.
  @Test
  void open_unusableCacheDir_embedsInMemoryWithoutWriting() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    CountingEncoder a = new CountingEncoder(256);
    EmbeddingStore store = EmbeddingStore.open(a, file);
    assertThat(store.persistent()).isFalse();
    float[][] v = store.embed(texts(0, 5));
    assertThat(v).hasNumberOfRows(5);
    assertThat(a.encoded.get()).isEqualTo(5);
    // Nothing was written: a second store encodes again.
    CountingEncoder b = new CountingEncoder(256);
    assertThat(EmbeddingStore.open(b, file).embed(texts(0, 5))).isDeepEqualTo(v);
    assertThat(b.encoded.get()).isEqualTo(5);
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void embed_secondStoreReadsTheCacheWithoutEncoding() {
    CountingEncoder a = new CountingEncoder(256);
    float[][] first = EmbeddingStore.open(a, dir).embed(texts(0, 300));
    assertThat(a.encoded.get()).isEqualTo(300);
    CountingEncoder b = new CountingEncoder(256);
    float[][] second = EmbeddingStore.open(b, dir).embed(texts(0, 300));
    assertThat(b.encoded.get()).isZero();
    assertThat(second).isDeepEqualTo(first);
  }

  @Test
  void embed_duplicatesAreEncodedOnceAndProgressReachesTotal() {
    CountingEncoder a = new CountingEncoder(256);
    List<String> t = new ArrayList<>(texts(0, 10));
    t.addAll(texts(0, 10));
    List<int[]> updates = new ArrayList<>();
    float[][] v = EmbeddingStore.open(a, dir).embed(t, (d, n) -> updates.add(new int[] {d, n}));
    assertThat(a.encoded.get()).isEqualTo(10);
    assertThat(v[3]).isEqualTo(v[13]);
    assertThat(updates.get(updates.size() - 1)).containsExactly(20, 20);
  }

  @Test
  void embed_otherEncoderSettingsDoNotShareEntries() {
    EmbeddingStore.open(new CountingEncoder(256), dir).embed(texts(0, 5));
    CountingEncoder other = new CountingEncoder(128);
    EmbeddingStore.open(other, dir).embed(texts(0, 5));
    assertThat(other.encoded.get()).isEqualTo(5);
  }

  @Test
  void open_tornOrForeignSegmentIsSkipped() throws Exception {
    CountingEncoder a = new CountingEncoder(256);
    EmbeddingStore s = EmbeddingStore.open(a, dir);
    s.embed(texts(0, 20));
    Path seg;
    try (Stream<Path> files = Files.list(s.folder())) {
      seg = files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst()
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(seg);
    // A crash mid-copy: the same name, cut short; and a file that is not ours at all.
    Files.write(seg, java.util.Arrays.copyOf(bytes, bytes.length - 17));
    Files.writeString(s.folder().resolve("seg-garbage.emb"), "not an embedding file");
    CountingEncoder b = new CountingEncoder(256);
    float[][] again = EmbeddingStore.open(b, dir).embed(texts(0, 20));
    assertThat(b.encoded.get()).isEqualTo(20);
    assertThat(again[7]).isEqualTo(new CountingEncoder(256).encode("query number 7"));
  }

  @Test
  void embed_concurrentWritersLeaveACompleteCache() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> f = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int from = w * 50;
        f.add(pool.submit(() -> EmbeddingStore.open(new CountingEncoder(256), dir)
            .embed(texts(from, from + 120))));
      }
      for (Future<float[][]> x : f) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
    CountingEncoder check = new CountingEncoder(256);
    EmbeddingStore.open(check, dir).embed(texts(0, 270));
    assertThat(check.encoded.get()).isZero();
  }

  @Test
  void open_manySegmentsAreCompacted() throws Exception {
    for (int i = 0; i < 30; i++) {
      EmbeddingStore.open(new CountingEncoder(256), dir).embed(texts(i, i + 1));
    }
    EmbeddingStore s = EmbeddingStore.open(new CountingEncoder(256), dir);
    try (Stream<Path> files = Files.list(s.folder())) {
      // 25 single-entry segments were merged into one when the 26th store opened.
      assertThat(files.count()).isEqualTo(6);
    }
    CountingEncoder check = new CountingEncoder(256);
    EmbeddingStore.open(check, dir).embed(texts(0, 30));
    assertThat(check.encoded.get()).isZero();
  }

  @Test
  void embed_wrongDimensionFromEncoderIsReported() {
    CountingEncoder bad = new CountingEncoder(256) {
      @Override
      public float[] encode(String text) {
        return new float[3];
      }
    };
    assertThatThrownBy(() -> EmbeddingStore.open(bad, dir).embed(List.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("vector of length 3").hasMessageContaining("expected 8");
  }

  @Test
  void embed_realEncoderRoundTripsBitForBit() {
    try (OnnxQueryEncoder enc = OnnxQueryEncoder.builder().defaultModel().maxTokens(64)
        .truncation(Truncation.TAIL).build()) {
      List<String> t = List.of("Which planet is the largest?", "Ünïcødé and emoji 🚀 text",
          "A long question. ".repeat(40));
      float[][] first = EmbeddingStore.open(enc, dir).embed(t);
      float[][] cached = EmbeddingStore.open(enc, dir).embed(t);
      for (int i = 0; i < t.size(); i++) {
        assertThat(first[i]).isEqualTo(enc.encode(t.get(i)));
        assertThat(cached[i]).isEqualTo(first[i]);
      }
    }
  }
}
