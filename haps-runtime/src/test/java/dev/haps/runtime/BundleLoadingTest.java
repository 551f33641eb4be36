package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.BundleException;
import dev.haps.spi.EncoderInfo;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.haps.testing.TestBundles;
import dev.haps.testing.HashingEncoder;

class BundleLoadingTest {

  @TempDir Path dir;

  private HapsRouter router(RouterBundle b) {
    return HapsRouter.builder().bundle(b).encoder(new HashingEncoder())
        .cache(CacheSettings.disabled()).build();
  }

  @Test
  void load_directory_readsManifestAndCandidates() throws Exception {
    Path d = TestBundles.create().writeDir(dir.resolve("b"));
    RouterBundle b = RouterBundle.load(d);
    assertThat(b.info().id()).isEqualTo("test-bundle");
    assertThat(b.candidates()).extracting(c -> c.model())
        .containsExactly("gpt-4", "mixtral-8x7b", "claude-instant");
    assertThat(b.head("gpt-4").orElseThrow().width()).isEqualTo(6);
    assertThat(b.head("gpt-4").orElseThrow().space().specs()).hasSize(3);
    assertThat(b.encoder()).isEqualTo(HashingEncoder.INFO);
    assertThat(b.costScale()).isEqualTo(0.1);
    assertThat(b.validation()).containsEntry("aiq", 0.5);
    assertThat(b.routerSha256()).hasSize(64);
  }

  @Test
  void load_zipAtRootOrInOneFolder_loads() throws Exception {
    TestBundles t = TestBundles.create();
    assertThat(RouterBundle.load(t.writeZip(dir.resolve("a.zip"))).info().id())
        .isEqualTo("test-bundle");
    Path nested = TestBundles.writeZip(dir.resolve("n.zip"), List.of(
        new TestBundles.Entry("bundle/manifest.json", t.manifestBytes()),
        new TestBundles.Entry("bundle/router.onnx", t.onnxBytes())));
    assertThat(RouterBundle.load(nested).candidates()).hasSize(3);
  }

  @Test
  void fromClasspath_resourceFolder_loads() throws Exception {
    TestBundles.create().id("cp", "7").writeDir(dir.resolve("res/bundles/x"));
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.resolve("res").toUri().toURL()},
        null)) {
      RouterBundle b = RouterBundle.fromClasspath("/bundles/x", cl);
      assertThat(b.info().toString()).isEqualTo("cp@7");
      assertThat(b.source()).isEqualTo("classpath:bundles/x/");
      assertThatThrownBy(() -> RouterBundle.fromClasspath("bundles/none/", cl))
          .isInstanceOf(BundleException.class)
          .hasMessage("bundle 'classpath:bundles/none/': manifest.json: not found on the class"
              + " path (resource bundles/none/manifest.json); put the bundle's files in that"
              + " resource folder");
    }
  }

  @Test
  void load_missingManifestFile_failsNamingIt() throws Exception {
    Path d = TestBundles.create().writeDir(dir.resolve("b"));
    Files.delete(d.resolve("manifest.json"));
    assertThatThrownBy(() -> RouterBundle.load(d))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("bundle '" + d + "': manifest.json: is missing");
  }

  @Test
  void load_missingRouterFile_failsNamingIt() throws Exception {
    Path d = TestBundles.create().writeDir(dir.resolve("b"));
    Files.delete(d.resolve("router.onnx"));
    assertThatThrownBy(() -> RouterBundle.load(d))
        .hasMessageContaining("router.onnx: is missing");
  }

  @Test
  void load_missingPath_fails() {
    assertThatThrownBy(() -> RouterBundle.load(dir.resolve("nope.zip")))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("no such directory or zip file");
  }

  @Test
  void load_truncatedZip_failsAsIncompleteZip() throws Exception {
    Path zip = TestBundles.create().writeZip(dir.resolve("t.zip"));
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(zip, Arrays.copyOf(bytes, bytes.length - 30));
    assertThatThrownBy(() -> RouterBundle.load(zip))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("(zip): is not a complete zip file")
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void load_zipWithParentPathEntry_isRefused() throws Exception {
    TestBundles t = TestBundles.create();
    List<TestBundles.Entry> entries = new java.util.ArrayList<>(TestBundles.entries(t));
    entries.add(new TestBundles.Entry("../evil.txt", "x".getBytes(StandardCharsets.UTF_8)));
    Path zip = TestBundles.writeZip(dir.resolve("evil.zip"), entries);
    assertThatThrownBy(() -> RouterBundle.load(zip))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("has an unsafe entry name '../evil.txt'");
    assertThat(dir.getParent().resolve("evil.txt")).doesNotExist();
  }

  @Test
  void load_zipWithAbsoluteEntry_isRefused() throws Exception {
    List<TestBundles.Entry> entries = new java.util.ArrayList<>(
        TestBundles.entries(TestBundles.create()));
    entries.add(new TestBundles.Entry("/etc/x", new byte[1]));
    Path zip = TestBundles.writeZip(dir.resolve("abs.zip"), entries);
    assertThatThrownBy(() -> RouterBundle.load(zip))
        .hasMessageContaining("has an unsafe entry name '/etc/x'");
  }

  @Test
  void load_zipWithDuplicateEntry_isRefused() throws Exception {
    // ZipOutputStream refuses duplicates, so write router.onnY and patch the name in place.
    TestBundles t = TestBundles.create();
    List<TestBundles.Entry> entries = new java.util.ArrayList<>(TestBundles.entries(t));
    entries.add(new TestBundles.Entry("router.onnY", t.onnxBytes()));
    Path zip = TestBundles.writeZip(dir.resolve("dup.zip"), entries);
    byte[] bytes = Files.readAllBytes(zip);
    byte[] from = "router.onnY".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + from.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
        bytes[i + from.length - 1] = 'x';
      }
    }
    Files.write(zip, bytes);
    assertThatThrownBy(() -> RouterBundle.load(zip))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("has a duplicate entry 'router.onnx'");
  }

  @Test
  void load_unknownFormatVersion_failsWithUpgradeHint() {
    TestBundles t = TestBundles.create().manifest(m -> m.put("formatVersion", 2));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes))
        .isInstanceOf(BundleException.class)
        .hasMessage("bundle 'test:test-bundle@1': manifest.json field 'formatVersion': found 2,"
            + " expected 1; this runtime reads format version 1 only: upgrade HAPS or re-export"
            + " the bundle");
  }

  @Test
  void load_wrongFormatName_fails() {
    TestBundles t = TestBundles.create().manifest(m -> m.put("format", "onnx"));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "manifest.json field 'format': found 'onnx', expected 'haps-router-bundle'");
  }

  @Test
  void load_manifestOfWrongShape_failsNamingField() {
    assertThatThrownBy(() -> RouterBundle.fromBytes("s", "[1,2]".getBytes(StandardCharsets.UTF_8),
        TestBundles.create().onnxBytes()))
        .hasMessageContaining("field '(root)': found array [1,2], expected a JSON object");
    TestBundles t = TestBundles.create().manifest(m -> m.put("candidates", "gpt-4"));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "field 'candidates': found string \"gpt-4\", expected a non-empty array");
  }

  @Test
  void load_invalidJson_failsWithPosition() {
    assertThatThrownBy(() -> RouterBundle.fromBytes("s", "{\"format\": ".getBytes(
        StandardCharsets.UTF_8), TestBundles.create().onnxBytes()))
        .hasMessageContaining("manifest.json: is not valid JSON")
        .hasMessageContaining("line 1").message().doesNotContain("REDACTED", "StreamReadFeature");
    assertThatThrownBy(() -> RouterBundle.fromBytes("s", "{\"format\": {".getBytes(
        StandardCharsets.UTF_8), TestBundles.create().onnxBytes()))
        .message().doesNotContain("REDACTED", "StreamReadFeature", "start marker");
  }

  @Test
  void load_duplicateJsonKey_fails() {
    String json = new String(TestBundles.create().manifestBytes(), StandardCharsets.UTF_8)
        .replaceFirst("\\{", "{\"id\": \"a\",");
    assertThatThrownBy(() -> RouterBundle.fromBytes("s", json.getBytes(StandardCharsets.UTF_8),
        TestBundles.create().onnxBytes()))
        .hasMessageContaining("is not valid JSON: Duplicate field 'id'");
  }

  @Test
  void load_wrongEmbeddingDims_failsWithFoundAndExpectedShapes() {
    TestBundles t = TestBundles.create().onnxEmbeddingWidth(8);
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes))
        .isInstanceOf(BundleException.class)
        .hasMessage("bundle 'test:test-bundle@1': router.onnx field 'input 'embedding'': found"
            + " shape [N, 8], expected [N, 16] with a dynamic batch dimension N"
            + " (encoder.dimension in manifest.json); fix the bundle (see docs/bundle-format.md)");
  }

  @Test
  void load_parameterWidthDisagreesWithOnnx_fails() {
    // gpt-4 declares 6 slots; make it 7 by adding a float at slot 6.
    TestBundles t = TestBundles.create().manifest(m -> ((ArrayNode) m.get("candidates").get(0)
        .get("parameters")).addObject().put("name", "top_p").put("type", "float")
        .put("min", 0.0).put("max", 1.0).put("default", 1.0).put("slot", 6));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "router.onnx field 'output 'params_0'': found shape [N, 6], expected [N, 7]");
  }

  @Test
  void load_nanWeight_failsNamingInitializerAndIndex() {
    TestBundles t = TestBundles.create().poisonWeight(Float.NaN);
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("router.onnx field 'initializer 'W1'': found element 0 = NaN,"
            + " expected finite weights");
  }

  @Test
  void load_infiniteWeight_fails() {
    assertThatThrownBy(() -> TestBundles.create().poisonWeight(Float.NEGATIVE_INFINITY)
        .bundle(RouterBundle::fromBytes))
        .hasMessageContaining("element 0 = -Infinity");
  }

  @Test
  void load_wrongOutputName_failsListingOutputs() {
    TestBundles t = TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("candidates").get(1)).put("output", "params_x"));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "router.onnx field 'graph.output': found outputs [model_logits, params_0, params_1],"
            + " expected an output named 'params_x' (manifest.json)");
  }

  @Test
  void load_corruptOnnx_failsAsUnreadable() {
    byte[] onnx = TestBundles.create().onnxBytes();
    byte[] bad = Arrays.copyOf(onnx, onnx.length / 3);
    assertThatThrownBy(() -> RouterBundle.fromBytes("s", TestBundles.create().manifestBytes(),
        bad))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("bundle 's': router.onnx: not a readable ONNX model");
  }

  @Test
  void load_routerChecksumMismatch_fails() {
    TestBundles t = TestBundles.create().manifest(m -> m.put("routerSha256", "00".repeat(32)));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining("field 'routerSha256': found "
        + "00".repeat(32) + ", expected the SHA-256 of router.onnx");
  }

  @Test
  void load_absurdDeclaredSizes_failWithoutAllocating() {
    assertThatThrownBy(() -> TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("encoder")).put("dimension", 2_000_000_000))
        .bundle(RouterBundle::fromBytes))
        .hasMessageContaining("field 'encoder.dimension': found number 2000000000, expected a"
            + " whole number in [1, 65536]");
    assertThatThrownBy(() -> TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("candidates").get(0).get("parameters").get(0))
            .put("slot", 2_000_000_000)).bundle(RouterBundle::fromBytes))
        .hasMessageContaining("candidates[0].parameters[0].slot");
  }

  @Test
  void load_slotsWithGap_failsNamingSlot() {
    TestBundles t = TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("candidates").get(1).get("parameters").get(1)).put("slot", 2));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining("candidates[1].parameters")
        .hasMessageContaining("output slot 1 of 3 is used by no parameter");
  }

  @Test
  void load_sharedOutputWithGap_failsNamingOffset() {
    TestBundles t = TestBundles.create().sharedParams(true).manifest(m ->
        ((ObjectNode) m.get("candidates").get(1)).put("outputOffset", 7));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "field 'candidates[1].outputOffset': found 7, expected 6: candidates sharing output"
            + " 'params' must tile its columns from 0 without gaps or overlaps");
  }

  @Test
  void load_duplicateCandidate_fails() {
    TestBundles t = TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("candidates").get(2)).put("model", "gpt-4"));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "field 'candidates[2].model': found 'gpt-4', expected a model id unique within the"
            + " bundle");
  }

  @Test
  void load_unknownField_failsAndExtensionFieldPasses() {
    assertThatThrownBy(() -> TestBundles.create().manifest(m -> m.put("costscale", 1))
        .bundle(RouterBundle::fromBytes))
        .hasMessageContaining("field 'costscale': found an unknown field");
    assertThat(TestBundles.create().manifest(m -> m.put("x-note", "ok")).bundle(RouterBundle::fromBytes)).isNotNull();
  }

  @Test
  void load_parameterDefaultOutsideRange_fails() {
    TestBundles t = TestBundles.create().manifest(m ->
        ((ObjectNode) m.get("candidates").get(0).get("parameters").get(0)).put("default", 3.0));
    assertThatThrownBy(() -> t.bundle(RouterBundle::fromBytes)).hasMessageContaining(
        "field 'candidates[0].parameters[0].default': found 3.0, expected a number in [0.0,"
            + " 1.0]");
  }

  @Test
  void build_encoderMismatch_failsNamingShaAndEncoder() {
    EncoderInfo other = new EncoderInfo("test-hash-encoder", 16, "mean", true, 64,
        HashingEncoder.INFO.truncation(), "ff".repeat(32));
    RouterBundle b = TestBundles.create().encoder(other).bundle(RouterBundle::fromBytes);
    assertThatThrownBy(() -> router(b))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith("bundle 'test:test-bundle@1': manifest.json field"
            + " 'encoder.sha256': found " + "ff".repeat(32) + ", expected "
            + HashingEncoder.INFO.sha256() + " (the configured encoder 'test-hash-encoder')");
  }

  @Test
  void build_encoderMaxTokensMismatch_fails() {
    EncoderInfo other = new EncoderInfo("test-hash-encoder", 16, "mean", true, 128,
        HashingEncoder.INFO.truncation(), HashingEncoder.INFO.sha256());
    assertThatThrownBy(() -> router(TestBundles.create().encoder(other).bundle(RouterBundle::fromBytes)))
        .hasMessageContaining("field 'encoder.maxTokens': found 128, expected 64");
  }

  @Test
  void build_networkProducingNaN_failsInTestRun() {
    // log(x - x) = log(0) = -inf on every row: structurally valid, numerically broken.
    TestBundles t = TestBundles.create().onnx(b -> { })
        .manifest(m -> ((ObjectNode) m.get("io")).put("logits", "bad_logits"));
    RouterBundle bundle = RouterBundle.fromBytes("s", t.manifestBytes(), TestBundles.create()
        .onnx(b -> b.sub("model_logits", "model_logits", "zero").log("zero", "bad_logits")
            .output("bad_logits", -1, 3))
        .onnxBytes());
    assertThatThrownBy(() -> router(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("router.onnx (ONNX Runtime session) field 'output 'bad_logits'':"
            + " found -Infinity at row 0, column 0 of a test run on zero inputs");
  }

  @Test
  void load_randomlyMutatedZips_eitherLoadOrFailWithBundleException() throws Exception {
    byte[] zip = Files.readAllBytes(TestBundles.create().writeZip(dir.resolve("good.zip")));
    java.util.Random r = new java.util.Random(8);
    int failed = 0;
    for (int i = 0; i < 300; i++) {
      byte[] bad = zip.clone();
      int mode = r.nextInt(3);
      if (mode == 0) {
        bad = Arrays.copyOf(bad, r.nextInt(bad.length));
      } else {
        for (int k = 0; k < 1 + r.nextInt(8); k++) {
          bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
        }
      }
      Path p = Files.write(dir.resolve("m" + i + ".zip"), bad);
      try {
        RouterBundle b = RouterBundle.load(p);
        router(b).close(); // a harmless mutation (e.g. in a zip comment field) may still load
      } catch (BundleException e) {
        assertThat(e.getMessage()).startsWith("bundle '" + p + "'");
        failed++;
      }
    }
    assertThat(failed).isGreaterThan(250);
  }

  @Test
  void load_randomlyMutatedOnnx_eitherLoadOrFailWithBundleException() {
    TestBundles t = TestBundles.create();
    byte[] manifest = t.manifestBytes();
    byte[] onnx = t.onnxBytes();
    java.util.Random r = new java.util.Random(9);
    for (int i = 0; i < 80; i++) { // most survive parsing and open a session: keep it short
      byte[] bad = onnx.clone();
      for (int k = 0; k < 1 + r.nextInt(4); k++) {
        bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
      }
      try {
        router(RouterBundle.fromBytes("mut" + i, manifest, bad)).close();
      } catch (BundleException e) {
        assertThat(e.getMessage()).startsWith("bundle 'mut" + i + "'");
      }
    }
  }
}
