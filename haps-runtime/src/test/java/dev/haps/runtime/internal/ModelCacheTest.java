package dev.haps.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17 item 3: the unpacked-model cache gives the jar's bytes, or reads the jar. */
class ModelCacheTest {

  // A resource inside a jar (the tokenizer file of the default model's artifact): small, deflated.
  private static final String RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  @TempDir Path cache;
  private String saved;

  @BeforeEach
  void pointTheCacheAtATemporaryFolder() {
    saved = System.getProperty("haps.cache.dir");
    System.setProperty("haps.cache.dir", cache.toString());
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty("haps.cache.dir");
    } else {
      System.setProperty("haps.cache.dir", saved);
    }
  }

  private static byte[] jarBytes() throws Exception {
    try (InputStream in = ModelCacheTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      return in.readAllBytes();
    }
  }

  private List<Path> cached() throws Exception {
    try (Stream<Path> s = Files.list(cache.resolve("models"))) {
      return s.filter(p -> p.toString().endsWith(RESOURCE)).toList();
    }
  }

  @Test
  void read_firstUnpacksThenServesTheSameBytesAndChecksum() throws Exception {
    byte[] jar = jarBytes();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
    ClassLoader cl = getClass().getClassLoader();

    ModelCache.Model first = ModelCache.read(cl, RESOURCE).orElseThrow();
    assertThat(cached()).singleElement();
    ModelCache.Model second = ModelCache.read(cl, RESOURCE).orElseThrow();

    for (ModelCache.Model m : List.of(first, second)) {
      assertThat(m.bytes()).isEqualTo(jar);
      assertThat(m.sha256()).isEqualTo(sha);
    }
  }

  @Test
  void read_damagedCacheFile_isIgnoredAndTheJarRead() throws Exception {
    ClassLoader cl = getClass().getClassLoader();
    ModelCache.read(cl, RESOURCE).orElseThrow();
    Path file = cached().get(0);
    byte[] damaged = Files.readAllBytes(file);
    damaged[damaged.length / 2] ^= 0x5A; // same size, other content
    Files.write(file, damaged);

    ModelCache.Model m = ModelCache.read(cl, RESOURCE).orElseThrow();

    assertThat(m.bytes()).isEqualTo(jarBytes());
    assertThat(Files.readAllBytes(file)).as("rewritten").isEqualTo(jarBytes());
  }

  @Test
  void read_missingResource_isEmpty() throws Exception {
    assertThat(ModelCache.read(getClass().getClassLoader(), "no/such/model.onnx")).isEmpty();
  }
}
