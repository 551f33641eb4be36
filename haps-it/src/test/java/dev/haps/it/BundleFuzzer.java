package dev.haps.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.error.BundleException;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.ReliabilityFixtures;
import dev.haps.runtime.RouterBundle;
import dev.haps.spi.QueryEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Mutates a valid router bundle many ways (seeded) and loads each mutant the way an application
 * does: from a directory, a zip, the class path, or bytes, into a {@link HapsRouter}. Each mutant
 * must either load and then route with every decision inside its declared spaces, or fail with a
 * {@link BundleException} with a message; within 5 s; without writing anything outside (or
 * inside) its folder; without leaking a native session. Every other outcome is collected as a
 * failure with the mutation that caused it.
 */
final class BundleFuzzer {

  static final long CASE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String RAW = "@@RAW-TOKEN@@";

  /** One mutant: how it was made and where it lies. */
  record Case(int index, String kind, String detail, Path target, Loader loader,
      List<Path> forbidden, boolean mustReject) {}

  /** How a case is loaded. */
  enum Loader { PATH, CLASSPATH, BYTES }

  private final Random rnd;
  private final Path root;
  private final boolean bombs;
  private final QueryEncoder encoder = ReliabilityFixtures.hashingEncoder();
  private final ObjectNode baseManifest;
  private final byte[] baseManifestBytes;
  private final byte[] baseOnnx;
  private final String escapeTag = "haps-fuzz-escape-" + UUID.randomUUID();

  // Outcome tallies
  final Map<String, int[]> byKind = new TreeMap<>(); // kind -> {loaded, rejected}
  final List<String> failures = new ArrayList<>();
  final Map<String, String> sampleMessages = new TreeMap<>();
  long maxCaseNanos;
  String slowestCase = "";
  int loaded;
  int rejected;
  int routed;

  BundleFuzzer(long seed, Path root, boolean bombs) {
    this.rnd = new Random(seed);
    this.root = root;
    this.bombs = bombs;
    ReliabilityFixtures.Spec spec = ReliabilityFixtures.spec().seed(11).id("fuzz", "1")
        .expectedCost(true);
    this.baseManifest = spec.manifestJson();
    this.baseManifestBytes = spec.manifestBytes();
    this.baseOnnx = spec.onnxBytes();
  }

  String escapeTag() {
    return escapeTag;
  }

  /** Builds, loads and checks {@code n} mutants; returns when all ran (or one hung). */
  void run(int n) throws Exception {
    // The base bundle itself must load, or every mutant would be rejected for nothing.
    Case base = writeDir(-1, "base", "unmodified bundle", baseManifestBytes, baseOnnx);
    runOne(base);
    if (loaded != 1) {
      throw new AssertionError("the unmodified bundle does not load: " + failures);
    }
    loaded = 0;
    routed = 0;
    maxCaseNanos = 0;
    byKind.clear();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bundle-fuzz");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int i = 0; i < n; i++) {
        Case c = make(i);
        Future<?> f = worker.submit(() -> {
          runOne(c);
          return null;
        });
        try {
          f.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          failures.add(describe(c) + ": still running after 60 s (hung)");
          return; // the worker thread is stuck; do not pile more work on it
        }
        checkFolder(c);
      }
    } finally {
      worker.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Loading and judging one case

  private void runOne(Case c) {
    long t0 = System.nanoTime();
    String outcome;
    try {
      RouterBundle bundle = switch (c.loader()) {
        case PATH -> null;
        case CLASSPATH -> {
          try (URLClassLoader cl = new URLClassLoader(
              new URL[] {c.target().getParent().toUri().toURL()}, null)) {
            yield RouterBundle.fromClasspath(c.target().getFileName() + "/", cl);
          }
        }
        case BYTES -> RouterBundle.fromBytes("bytes:" + c.index(),
            Files.readAllBytes(c.target().resolve("manifest.json")),
            Files.readAllBytes(c.target().resolve("router.onnx")));
      };
      HapsRouter.Builder b = HapsRouter.builder().encoder(encoder)
          .cache(c.index() % 2 == 0 ? CacheSettings.disabled() : CacheSettings.defaults());
      if (bundle == null) {
        b.bundle(c.target());
      } else {
        b.bundle(bundle);
      }
      try (HapsRouter router = b.build()) {
        RouterBundle live = router.currentBundle();
        Random q = new Random(c.index());
        List<RouteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          RouteRequest req = RouteRequest.of("fuzz query " + q.nextInt(1000) + " about topic "
              + q.nextInt(50), i == 0 ? 0.0 : i == 3 ? 1.0 : q.nextDouble());
          batch.add(req);
          Decisions.assertInside(live, router.route(req), req);
        }
        List<RouteDecision> ds = router.route(batch);
        for (int i = 0; i < ds.size(); i++) {
          Decisions.assertInside(live, ds.get(i), batch.get(i));
        }
        routed += 8;
      }
      outcome = "loaded";
      if (c.mustReject()) {
        failures.add(describe(c) + ": loaded, but the bundle contract says it must be refused");
      }
      loaded++;
    } catch (BundleException e) {
      outcome = "rejected";
      rejected++;
      String m = e.getMessage();
      if (m == null || m.isBlank() || !m.toLowerCase(java.util.Locale.ROOT).contains("bundle")) {
        failures.add(describe(c) + ": BundleException without a useful message: " + m);
      }
      sampleMessages.putIfAbsent(c.kind(), m == null ? "null" : shorten(m));
    } catch (Throwable t) {
      outcome = "failed";
      StringWriter sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      failures.add(describe(c) + ": " + t + "\n" + shorten(sw.toString(), 1800));
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
    }
    long took = System.nanoTime() - t0;
    if (took > maxCaseNanos) {
      maxCaseNanos = took;
      slowestCase = describe(c) + " (" + outcome + ")";
    }
    if (took > CASE_LIMIT_NANOS) {
      failures.add(describe(c) + ": took " + TimeUnit.NANOSECONDS.toMillis(took)
          + " ms, over the 5 s limit (" + outcome + ")");
    }
    int[] tally = byKind.computeIfAbsent(c.kind(), k -> new int[3]);
    tally["loaded".equals(outcome) ? 0 : "rejected".equals(outcome) ? 1 : 2]++;
  }

  /** The case folder holds exactly what the test wrote, and no escape target exists. */
  private void checkFolder(Case c) throws IOException {
    Path dir = c.target().getParent();
    Set<String> files = list(dir);
    Set<String> expected = expectedFiles.remove(c.index());
    if (expected != null && !files.equals(expected)) {
      failures.add(describe(c) + ": its folder changed: expected " + expected + ", found "
          + files);
    }
    for (Path p : c.forbidden()) {
      if (Files.exists(p)) {
        failures.add(describe(c) + ": wrote outside its folder: " + p);
      }
    }
    // Links out of the temp folder make JUnit's clean-up warn; remove them once checked.
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isSymbolicLink).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Set<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private final Map<Integer, Set<String>> expectedFiles = new LinkedHashMap<>();

  private Path caseDir(int i) throws IOException {
    return Files.createDirectories(root.resolve("case-" + i));
  }

  private void remember(int i, Path dir) throws IOException {
    expectedFiles.put(i, list(dir));
  }

  static String describe(Case c) {
    return "case " + c.index() + " [" + c.kind() + "] " + shorten(c.detail(), 300) + " ("
        + c.loader() + ")";
  }

  static String shorten(String s) {
    return shorten(s, 400);
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  // ---------------------------------------------------------------------------------------
  // Mutants

  private Case make(int i) throws IOException {
    int k = rnd.nextInt(100);
    if (k < 14) {
      return onnxBitFlips(i);
    } else if (k < 18) {
      return onnxOverwrite(i);
    } else if (k < 22) {
      return truncate(i, false);
    } else if (k < 30) {
      return manifestByteFlips(i);
    } else if (k < 33) {
      return truncate(i, true);
    } else if (k < 55) {
      return manifestTree(i);
    } else if (k < 58) {
      return wrongShape(i);
    } else if (k < 65) {
      return absurd(i);
    } else if (k < 70) {
      return weights(i);
    } else if (k < 73) {
      return graph(i);
    } else if (k < 90) {
      return zip(i);
    } else if (k < 95) {
      return directory(i);
    } else {
      return checksum(i);
    }
  }

  private Case writeDir(int i, String kind, String detail, byte[] manifest, byte[] onnx)
      throws IOException {
    return writeDir(i, kind, detail, manifest, onnx, false);
  }

  private Case writeDir(int i, String kind, String detail, byte[] manifest, byte[] onnx,
      boolean mustReject) throws IOException {
    Path dir = caseDir(i);
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    Files.write(bundle.resolve("manifest.json"), manifest);
    Files.write(bundle.resolve("router.onnx"), onnx);
    remember(i, dir);
    int l = rnd.nextInt(10);
    Loader loader = l < 7 ? Loader.PATH : l < 9 ? Loader.CLASSPATH : Loader.BYTES;
    return new Case(i, kind, detail, bundle, loader, List.of(), mustReject);
  }

  private Case onnxBitFlips(int i) throws IOException {
    byte[] b = baseOnnx.clone();
    int flips = 1 + rnd.nextInt(8);
    StringBuilder d = new StringBuilder("router.onnx bits flipped at");
    for (int f = 0; f < flips; f++) {
      int pos = rnd.nextInt(b.length);
      int bit = rnd.nextInt(8);
      b[pos] ^= (byte) (1 << bit);
      d.append(' ').append(pos).append('.').append(bit);
    }
    return writeDir(i, "onnx-bit-flip", d.toString(), baseManifestBytes, b);
  }

  private Case onnxOverwrite(int i) throws IOException {
    byte[] b = baseOnnx.clone();
    int len = 1 + rnd.nextInt(32);
    int pos = rnd.nextInt(b.length);
    byte[] junk = new byte[len];
    rnd.nextBytes(junk);
    if (rnd.nextBoolean()) {
      Arrays.fill(junk, (byte) 0xFF); // varints that never end, huge lengths
    }
    System.arraycopy(junk, 0, b, pos, Math.min(len, b.length - pos));
    return writeDir(i, "onnx-overwrite", "router.onnx bytes " + pos + ".." + (pos + len)
        + " overwritten", baseManifestBytes, b);
  }

  private Case truncate(int i, boolean manifest) throws IOException {
    byte[] src = manifest ? baseManifestBytes : baseOnnx;
    int len = rnd.nextInt(src.length);
    byte[] cut = Arrays.copyOf(src, len);
    return manifest
        ? writeDir(i, "manifest-truncated", "manifest.json cut to " + len + " of "
            + src.length + " bytes", cut, baseOnnx, true)
        : writeDir(i, "onnx-truncated", "router.onnx cut to " + len + " of " + src.length
            + " bytes", baseManifestBytes, cut, true);
  }

  private Case manifestByteFlips(int i) throws IOException {
    byte[] b = baseManifestBytes.clone();
    int flips = 1 + rnd.nextInt(4);
    StringBuilder d = new StringBuilder("manifest.json bytes changed at");
    for (int f = 0; f < flips; f++) {
      int pos = rnd.nextInt(b.length);
      byte v = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256)
          : (byte) "{}[]\",:0123456789-eE.tfn \\u".charAt(rnd.nextInt(27));
      d.append(' ').append(pos).append("='").append((char) (v & 0xFF)).append('\'');
      b[pos] = v;
    }
    return writeDir(i, "manifest-byte-flip", d.toString(), b, baseOnnx);
  }

  // --- JSON tree mutations

  /** A path into the manifest tree: parent container and key (field name or index). */
  private record Slot(JsonNode parent, String field, int index, String path) {}

  private static void slots(JsonNode n, String path, List<Slot> out) {
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        out.add(new Slot(n, e.getKey(), -1, p));
        slots(e.getValue(), p, out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        String p = path + "[" + i + "]";
        out.add(new Slot(n, null, i, p));
        slots(n.get(i), p, out);
      }
    }
  }

  private static void set(Slot s, JsonNode v) {
    if (s.field() != null) {
      ((ObjectNode) s.parent()).set(s.field(), v);
    } else {
      ((ArrayNode) s.parent()).set(s.index(), v);
    }
  }

  private static JsonNode get(Slot s) {
    return s.field() != null ? s.parent().get(s.field()) : s.parent().get(s.index());
  }

  private JsonNode poolValue() {
    switch (rnd.nextInt(34)) {
      case 0: return F.nullNode();
      case 1: return F.booleanNode(rnd.nextBoolean());
      case 2: return F.numberNode(0);
      case 3: return F.numberNode(-1);
      case 4: return F.numberNode(1.5);
      case 5: return F.numberNode(-0.0);
      case 6: return F.numberNode(1e308);
      case 7: return F.numberNode(-1e308);
      case 8: return F.numberNode(4.9e-324);
      case 9: return F.numberNode(Long.MAX_VALUE);
      case 10: return F.numberNode(Long.MIN_VALUE);
      case 11: return F.numberNode(new BigInteger("1" + "0".repeat(40)));
      case 12: return F.numberNode(new BigDecimal("1e400"));
      case 13: return F.numberNode(2147483648L);
      case 14: return F.numberNode(new int[] {65536, 65537, 4096, 4097, 1048576, 1048577,
          Integer.MAX_VALUE}[rnd.nextInt(7)]);
      case 15: return F.textNode("");
      case 16: return F.textNode(" \t");
      case 17: return F.textNode("x");
      case 18: return F.textNode(new String[] {"NaN", "Infinity", "-Infinity", "1e999"}[
          rnd.nextInt(4)]);
      case 19: return F.textNode("\u0000nul");
      case 20: return F.textNode("\ud83d\udca5 \ud800 \u202e rtl");
      case 21: return F.textNode("w".repeat(100_000));
      case 22: return F.arrayNode();
      case 23: return F.arrayNode().add(1).add("two").addNull();
      case 24: return F.objectNode();
      case 25: return F.objectNode().put("a", 1);
      case 26: return F.textNode("2026-13-45T99:99:99Z");
      case 27: return F.textNode("0".repeat(64));
      case 28: return F.numberNode(16);
      case 29: return F.textNode("float");
      case 30: return F.textNode("categorical");
      case 31: return F.textNode("tensor");
      case 32: return F.textNode("../../etc/passwd");
      default: return F.numberNode(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10));
    }
  }

  private static final String[] RAW_TOKENS = {
      "1e999999999", "-1e999999999", "1E400", "-0", "0.00000000000000000000000000000000001",
      "123456789012345678901234567890.5", "\"\\ud800\"", "\"\\u0000\"", "\"\\udfff\\ud800\"",
      "9".repeat(999), "9".repeat(1500), "[".repeat(5000) + "]".repeat(5000),
      "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "\"" + "z".repeat(1_100_000) + "\"",
      "1.0", "16.0", "1e1", "0x10", "+1", "NaN", "Infinity", "01", "1.", ".5", "truex",
  };

  private Case manifestTree(int i) throws IOException {
    ObjectNode m = baseManifest.deepCopy();
    List<Slot> all = new ArrayList<>();
    slots(m, "", all);
    Slot s = all.get(rnd.nextInt(all.size()));
    String detail;
    String raw = null;
    int op = rnd.nextInt(100);
    if (op < 55) {
      JsonNode v = poolValue();
      set(s, v);
      detail = s.path() + " := " + shorten(v.toString(), 60);
    } else if (op < 65) {
      if (s.field() != null) {
        ((ObjectNode) s.parent()).remove(s.field());
      } else {
        ((ArrayNode) s.parent()).remove(s.index());
      }
      detail = "removed " + s.path();
    } else if (op < 75) {
      raw = RAW_TOKENS[rnd.nextInt(RAW_TOKENS.length)];
      set(s, F.textNode(RAW));
      detail = s.path() + " := raw " + shorten(raw, 40) + " (" + raw.length() + " chars)";
    } else if (op < 82) {
      List<Slot> objects = all.stream().filter(x -> get(x).isObject()).toList();
      Slot o = objects.isEmpty() ? null : objects.get(rnd.nextInt(objects.size()));
      String name = rnd.nextBoolean() ? "x-extension" : "unexpected";
      ObjectNode target = o == null ? m : (ObjectNode) get(o);
      target.put(name, 1);
      detail = "added field '" + name + "' to " + (o == null ? "(root)" : o.path());
    } else if (op < 90) {
      return duplicateKey(i, m);
    } else {
      List<Slot> arrays = all.stream().filter(x -> get(x).isArray()).toList();
      Slot a = arrays.get(rnd.nextInt(arrays.size()));
      ArrayNode arr = (ArrayNode) get(a);
      int how = rnd.nextInt(4);
      if (how == 0 && arr.size() > 0) {
        arr.add(arr.get(rnd.nextInt(arr.size())).deepCopy());
        detail = "duplicated an element of " + a.path();
      } else if (how == 1) {
        arr.removeAll();
        detail = "emptied " + a.path();
      } else if (how == 2 && arr.size() > 1) {
        JsonNode first = arr.remove(0);
        arr.add(first);
        detail = "rotated " + a.path();
      } else {
        int n = 4097 + rnd.nextInt(2000);
        JsonNode e = arr.size() > 0 ? arr.get(0) : F.textNode("c");
        for (int j = 0; j < n; j++) {
          arr.add(e.deepCopy());
        }
        detail = "grew " + a.path() + " by " + n + " copies";
      }
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    if (raw != null) {
      String text = new String(bytes, StandardCharsets.UTF_8)
          .replace("\"" + RAW + "\"", raw);
      bytes = text.getBytes(StandardCharsets.UTF_8);
    }
    return writeDir(i, "manifest-tree", detail, bytes, baseOnnx);
  }

  private Case duplicateKey(int i, ObjectNode m) throws IOException {
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    String[] keys = {"\"id\" : ", "\"dimension\" : ", "\"model\" : ", "\"min\" : ",
        "\"formatVersion\" : ", "\"logits\" : "};
    String key = keys[rnd.nextInt(keys.length)];
    int at = text.indexOf(key);
    String dup = key + (key.contains("dimension") || key.contains("min")
        || key.contains("Version") ? "1" : "\"dup\"") + ",\n";
    text = text.substring(0, at) + dup + text.substring(at);
    return writeDir(i, "manifest-duplicate-key", "duplicate key " + key.trim(),
        text.getBytes(StandardCharsets.UTF_8), baseOnnx, true);
  }

  private Case wrongShape(int i) throws IOException {
    String[] shapes = {"[]", "42", "\"manifest\"", "null", "true", "{}", "[" + pretty() + "]",
        "{\"manifest\": " + pretty() + "}", "", "\ufeff" + pretty(), pretty() + pretty(),
        pretty() + " trailing", "{\"format\": \"haps-router-bundle\"}",
        "{\"format\": \"haps-router-bundle\", \"formatVersion\": 2}", "\u0000", "  \n  "};
    int k = rnd.nextInt(shapes.length);
    byte[] b = shapes[k].getBytes(StandardCharsets.UTF_8);
    if (k == shapes.length - 1 && rnd.nextBoolean()) {
      b = new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}; // invalid UTF-8
    }
    boolean bom = shapes[k].startsWith("\ufeff"); // a UTF-8 byte order mark is harmless
    String[] names = {"[]", "42", "a string", "null", "true", "{}", "[manifest]",
        "{\"manifest\": manifest}", "empty", "BOM + manifest", "two manifests in a row",
        "manifest + trailing text", "only format", "format version 2", "NUL", "blank or bad UTF-8"};
    return writeDir(i, "manifest-wrong-shape", "manifest is " + names[k], b, baseOnnx, !bom);
  }

  private String pretty() {
    return new String(baseManifestBytes, StandardCharsets.UTF_8);
  }

  /** Targeted absurd declarations: dimensions, widths, slots, counts, ranges. */
  private Case absurd(int i) throws IOException {
    ObjectNode m = baseManifest.deepCopy();
    ObjectNode enc = (ObjectNode) m.get("encoder");
    ArrayNode cands = (ArrayNode) m.get("candidates");
    ObjectNode c0 = (ObjectNode) cands.get(0);
    ArrayNode p0 = (ArrayNode) c0.get("parameters");
    ObjectNode temp = (ObjectNode) p0.get(0);
    ObjectNode maxTok = (ObjectNode) p0.get(1);
    String detail;
    boolean harmless = false;
    switch (rnd.nextInt(22)) {
      case 0 -> {
        long v = new long[] {0, -1, 65537, Integer.MAX_VALUE, 2147483648L, 10_000_000_000L,
            17, 65536}[rnd.nextInt(8)];
        enc.put("dimension", v);
        detail = "encoder.dimension = " + v;
      }
      case 1 -> {
        enc.put("dimension", 16.5);
        detail = "encoder.dimension = 16.5";
      }
      case 2 -> {
        long v = new long[] {0, -5, 65537, 1L << 31, 1L << 40}[rnd.nextInt(5)];
        enc.put("maxTokens", v);
        detail = "encoder.maxTokens = " + v;
      }
      case 3 -> {
        long v = new long[] {Integer.MAX_VALUE, -1, 1_048_577, 1_048_576, 3}[rnd.nextInt(5)];
        maxTok.put("slot", v);
        detail = "max_tokens slot = " + v;
      }
      case 4 -> {
        ArrayNode shape = F.arrayNode().add(1 << 20).add(1 << 20);
        p0.add(F.objectNode().put("name", "t").put("type", "tensor").set("shape", shape));
        ((ObjectNode) p0.get(3)).put("slot", 6);
        detail = "tensor parameter of shape [2^20, 2^20]";
      }
      case 5 -> {
        ArrayNode shape = F.arrayNode().add(1024).add(1024);
        p0.add(F.objectNode().put("name", "t").put("type", "tensor").set("shape", shape));
        ((ObjectNode) p0.get(3)).put("slot", 6);
        detail = "tensor parameter of shape [1024, 1024] (width over the network's)";
      }
      case 6 -> {
        ArrayNode shape = F.arrayNode();
        for (int d = 0; d < 9; d++) {
          shape.add(2);
        }
        p0.add(F.objectNode().put("name", "t").put("type", "tensor").set("shape", shape));
        ((ObjectNode) p0.get(3)).put("slot", 6);
        detail = "tensor parameter with 9 dimensions";
      }
      case 7 -> {
        int n = rnd.nextBoolean() ? 4097 : 4096;
        ArrayNode choices = F.arrayNode();
        for (int c = 0; c < n; c++) {
          choices.add("style-" + c);
        }
        ((ObjectNode) p0.get(2)).set("choices", choices);
        ((ObjectNode) p0.get(2)).put("default", "style-0");
        detail = n + " categorical choices";
      }
      case 8 -> {
        int n = rnd.nextBoolean() ? 4097 : 4096;
        for (int c = 3; c < n; c++) {
          cands.add(F.objectNode().put("provider", "p").put("model", "m-" + c)
              .put("meanCostUsd", 0.001).set("parameters", F.arrayNode()));
        }
        detail = n + " candidates";
      }
      case 9 -> {
        temp.put("min", -Double.MAX_VALUE).put("max", Double.MAX_VALUE).put("default", 0.0);
        detail = "temperature range [-Double.MAX_VALUE, Double.MAX_VALUE] (harmless)";
        harmless = true;
      }
      case 10 -> {
        maxTok.put("min", Long.MIN_VALUE / 2).put("max", Long.MAX_VALUE / 2).put("default", 0);
        detail = "max_tokens range [-2^62, 2^62] (harmless)";
        harmless = true;
      }
      case 11 -> {
        maxTok.put("min", 4096).put("max", 16).put("default", 512);
        detail = "max_tokens min > max";
      }
      case 12 -> {
        temp.put("default", 7.0);
        detail = "temperature default outside its range";
      }
      case 13 -> {
        c0.put("meanCostUsd", new double[] {-1, Double.MAX_VALUE, 1e308}[rnd.nextInt(3)]);
        detail = "meanCostUsd = " + c0.get("meanCostUsd");
        harmless = c0.get("meanCostUsd").asDouble() >= 0;
      }
      case 14 -> {
        m.put("costScale", new double[] {0, -1, 4.9e-324, 1e308}[rnd.nextInt(4)]);
        detail = "costScale = " + m.get("costScale");
        harmless = m.get("costScale").asDouble() > 0;
      }
      case 15 -> {
        m.put("formatVersion", new long[] {0, 2, -1, Integer.MAX_VALUE}[rnd.nextInt(4)]);
        detail = "formatVersion = " + m.get("formatVersion");
      }
      case 16 -> {
        ((ObjectNode) p0.get(2)).set("choices", F.arrayNode().add("a").add("a"));
        ((ObjectNode) p0.get(2)).put("default", "a");
        detail = "duplicate categorical choices";
      }
      case 17 -> {
        maxTok.put("min", 1.5).put("max", 4096.25);
        detail = "int parameter with fractional bounds";
      }
      case 18 -> {
        cands.add(cands.get(1).deepCopy());
        detail = "two candidates with the same model";
      }
      case 19 -> {
        temp.put("name", "max_tokens");
        detail = "two parameters named max_tokens";
      }
      case 20 -> {
        temp.put("slot", 1);
        detail = "overlapping parameter slots";
      }
      default -> {
        ((ObjectNode) m.get("io")).put("logits", "params_0");
        detail = "io.logits names a parameter output";
      }
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    return writeDir(i, "absurd-declaration", detail, bytes, baseOnnx, !harmless);
  }

  /** Non-finite, huge, tiny or zero weights, and extra unused initializers. */
  private Case weights(int i) throws IOException {
    int k = rnd.nextInt(7);
    ReliabilityFixtures.Spec s = ReliabilityFixtures.spec().seed(11).id("fuzz", "1")
        .expectedCost(true);
    String detail;
    boolean reject = true;
    switch (k) {
      case 0 -> {
        float v = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[
            rnd.nextInt(3)];
        s.poisonWeight(v);
        detail = "first weight = " + v;
      }
      case 1 -> {
        float v = new float[] {Float.NaN, Float.POSITIVE_INFINITY}[rnd.nextInt(2)];
        s.onnx(b -> b.initializer("unused_poison", new float[] {1f, v, 2f}, 3));
        detail = "unused initializer holding " + v;
      }
      case 2 -> {
        s.poisonWeight(Float.MAX_VALUE);
        detail = "first weight = Float.MAX_VALUE (finite; outputs may overflow)";
        reject = false;
      }
      case 3 -> {
        s.poisonWeight(Float.MIN_VALUE);
        detail = "first weight subnormal (harmless)";
        reject = false;
      }
      case 4 -> {
        s.onnx(b -> b.initializer("big_unused", new float[] {3e38f, -3e38f}, 2));
        detail = "unused initializer near Float.MAX_VALUE (harmless)";
        reject = false;
      }
      case 5 -> {
        // A network whose logits overflow to infinity for real inputs: scale by 1e38.
        s.onnx(b -> b.initializer("scale", new float[] {1e38f}, 1)
            .mul("model_logits", "scale", "logits_scaled").output("logits_scaled", -1, 3))
            .manifest(m -> ((ObjectNode) m.get("io")).put("logits", "logits_scaled"));
        detail = "logits scaled by 1e38 (infinite logits at run time)";
        reject = false;
      }
      default -> {
        // Parameter outputs that are NaN for every input: 0 * inf.
        s.onnx(b -> b.initializer("inf", new float[] {Float.POSITIVE_INFINITY}, 1));
        detail = "an infinite unused initializer";
      }
    }
    byte[] onnx = s.onnxBytes();
    byte[] manifest = s.manifestBytes();
    return writeDir(i, "weights", detail, manifest, onnx, reject);
  }

  /** Graph shapes that disagree with the manifest or the contract. */
  private Case graph(int i) throws IOException {
    ReliabilityFixtures.Spec s = ReliabilityFixtures.spec().seed(11).id("fuzz", "1")
        .expectedCost(true);
    String detail;
    switch (rnd.nextInt(5)) {
      case 0 -> {
        int w = new int[] {15, 17, 1}[rnd.nextInt(3)];
        s.onnxEmbeddingWidth(w);
        detail = "ONNX embedding width " + w + " vs manifest 16";
      }
      case 1 -> {
        s.onnx(b -> b.input("extra_input", -1, 3));
        detail = "a third graph input";
      }
      case 2 -> {
        // Rows that depend on each other: subtract the batch mean of the logits.
        s.onnx(b -> b.node("ReduceMean", List.of("model_logits"), List.of("batch_mean"),
                Map.of("axes", new long[] {0}, "keepdims", 1L))
            .sub("model_logits", "batch_mean", "mixed_logits").output("mixed_logits", -1, 3))
            .manifest(m -> ((ObjectNode) m.get("io")).put("logits", "mixed_logits"));
        detail = "logits mixed across the batch (ReduceMean over axis 0)";
      }
      case 3 -> {
        s.manifest(m -> ((ObjectNode) m.get("io")).put("expectedCost", "no_such_output"));
        detail = "io.expectedCost names a missing output";
      }
      default -> {
        // ModelProto starts with ir_version (field 1, varint): 0x08 then the version.
        byte[] onnx = s.onnxBytes();
        if (onnx[0] != 0x08) {
          throw new IllegalStateException("router.onnx does not start with ir_version");
        }
        onnx[1] = 3;
        return writeDir(i, "graph", "IR version 3", s.manifestBytes(), onnx, true);
      }
    }
    return writeDir(i, "graph", detail, s.manifestBytes(), s.onnxBytes(), true);
  }

  private Case checksum(int i) throws IOException {
    ObjectNode m = baseManifest.deepCopy();
    String sha = sha256(baseOnnx);
    int k = rnd.nextInt(4);
    String detail;
    boolean reject;
    if (k == 0) {
      m.put("routerSha256", sha);
      detail = "correct routerSha256 (harmless)";
      reject = false;
    } else if (k == 1) {
      m.put("routerSha256", sha.toUpperCase(java.util.Locale.ROOT));
      detail = "upper-case routerSha256 (harmless)";
      reject = false;
    } else if (k == 2) {
      m.put("routerSha256", "f".repeat(64));
      detail = "wrong routerSha256";
      reject = true;
    } else {
      m.put("routerSha256", sha.substring(1));
      detail = "routerSha256 of 63 digits";
      reject = true;
    }
    return writeDir(i, "checksum", detail, JSON.writeValueAsBytes(m), baseOnnx, reject);
  }

  private static String sha256(byte[] b) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Directory-level damage: missing files, wrong file types, links out of the folder. */
  private Case directory(int i) throws IOException {
    Path dir = caseDir(i);
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    String detail;
    switch (rnd.nextInt(6)) {
      case 0 -> {
        Files.write(bundle.resolve("manifest.json"), baseManifestBytes);
        detail = "router.onnx missing";
      }
      case 1 -> {
        Files.write(bundle.resolve("router.onnx"), baseOnnx);
        detail = "manifest.json missing";
      }
      case 2 -> {
        Files.createDirectories(bundle.resolve("manifest.json"));
        Files.write(bundle.resolve("router.onnx"), baseOnnx);
        detail = "manifest.json is a directory";
      }
      case 3 -> {
        Files.write(bundle.resolve("manifest.json"), baseManifestBytes);
        Files.createSymbolicLink(bundle.resolve("router.onnx"), Path.of("/etc/hostname"));
        detail = "router.onnx is a link to /etc/hostname";
      }
      case 4 -> {
        Files.write(bundle.resolve("manifest.json"), new byte[0]);
        Files.write(bundle.resolve("router.onnx"), new byte[0]);
        detail = "both files empty";
      }
      default -> {
        bundle = dir.resolve("no-such-bundle");
        detail = "path does not exist";
      }
    }
    remember(i, dir);
    return new Case(i, "directory", detail, bundle, Loader.PATH, List.of(), true);
  }

  // --- zips

  private record Entry(String name, byte[] data, boolean stored) {
    Entry(String name, byte[] data) {
      this(name, data, false);
    }
  }

  private static byte[] zipBytes(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bos)) {
      for (Entry e : entries) {
        ZipEntry ze = new ZipEntry(e.name());
        if (e.stored()) {
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.data().length);
          CRC32 crc = new CRC32();
          crc.update(e.data());
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.data());
        z.closeEntry();
      }
    }
    return bos.toByteArray();
  }

  /** Replaces every occurrence of one name by another of the same length (headers only). */
  private static byte[] rename(byte[] zip, String from, String to) {
    byte[] a = from.getBytes(StandardCharsets.UTF_8);
    byte[] b = to.getBytes(StandardCharsets.UTF_8);
    byte[] out = zip.clone();
    for (int i = 0; i + a.length <= out.length; i++) {
      if (Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, out, i, b.length);
      }
    }
    return out;
  }

  private Case zip(int i) throws IOException {
    Path dir = caseDir(i);
    Path zip = dir.resolve("bundle.zip");
    byte[] m = baseManifestBytes;
    byte[] o = baseOnnx;
    List<Path> forbidden = new ArrayList<>();
    String detail;
    boolean reject = true;
    byte[] bytes;
    int k = rnd.nextInt(bombs ? 18 : 16);
    switch (k) {
      case 0 -> {
        boolean folder = rnd.nextBoolean();
        String p = folder ? "bundle/" : "";
        bytes = zipBytes(List.of(new Entry(p + "manifest.json", m, rnd.nextBoolean()),
            new Entry(p + "router.onnx", o, rnd.nextBoolean())));
        detail = "a valid zip" + (folder ? " with one top-level folder" : "") + " (harmless)";
        reject = false;
      }
      case 1 -> {
        String evil = new String[] {"../", "../../", "bundle/../../", "..\\", "./../"}[
            rnd.nextInt(5)] + escapeTag + "-" + i + ".txt";
        bytes = zipBytes(List.of(new Entry("manifest.json", m), new Entry("router.onnx", o),
            new Entry(evil, "pwned".getBytes(StandardCharsets.UTF_8))));
        addEscapeTargets(forbidden, dir, evil);
        detail = "an entry named " + evil;
      }
      case 2 -> {
        Path abs = Path.of(System.getProperty("java.io.tmpdir"), escapeTag + "-" + i,
            "evil.txt");
        bytes = zipBytes(List.of(new Entry("manifest.json", m), new Entry("router.onnx", o),
            new Entry(abs.toString(), "pwned".getBytes(StandardCharsets.UTF_8))));
        forbidden.add(abs);
        forbidden.add(abs.getParent());
        detail = "an entry with the absolute name " + abs;
      }
      case 3 -> {
        String evil = new String[] {"C:\\" + escapeTag + ".txt", "C:" + escapeTag + ".txt",
            "\\" + escapeTag + ".txt"}[rnd.nextInt(3)];
        bytes = zipBytes(List.of(new Entry("manifest.json", m), new Entry("router.onnx", o),
            new Entry(evil, "pwned".getBytes(StandardCharsets.UTF_8))));
        addEscapeTargets(forbidden, dir, evil);
        detail = "an entry named " + evil;
      }
      case 4 -> {
        bytes = zipBytes(List.of(new Entry("../manifest.json", m),
            new Entry("../router.onnx", o)));
        addEscapeTargets(forbidden, dir, "../manifest.json");
        detail = "the bundle files under ../";
      }
      case 5 -> {
        // Two entries named manifest.json: the second with another id.
        byte[] other = new String(m, StandardCharsets.UTF_8).replace("\"fuzz\"", "\"evil\"")
            .getBytes(StandardCharsets.UTF_8);
        bytes = rename(zipBytes(List.of(new Entry("manifest.json", m),
            new Entry("router.onnx", o), new Entry("manifest.jsox", other))),
            "manifest.jsox", "manifest.json");
        detail = "manifest.json twice";
      }
      case 6 -> {
        bytes = rename(zipBytes(List.of(new Entry("manifest.json", m),
            new Entry("router.onnx", o), new Entry("router.onnz", o))),
            "router.onnz", "router.onnx");
        detail = "router.onnx twice";
      }
      case 7 -> {
        bytes = zipBytes(List.of(new Entry("manifest.json", m), new Entry("router.onnx", o),
            new Entry("MANIFEST.JSON", m)));
        detail = "manifest.json and MANIFEST.JSON";
      }
      case 8 -> {
        bytes = zipBytes(List.of(new Entry("a/manifest.json", m), new Entry("a/router.onnx", o),
            new Entry("b/manifest.json", m), new Entry("b/router.onnx", o)));
        detail = "two bundle folders";
      }
      case 9 -> {
        bytes = zipBytes(List.of(new Entry("a/b/manifest.json", m),
            new Entry("a/b/router.onnx", o)));
        detail = "bundle two folders deep";
      }
      case 10 -> {
        List<Entry> es = new ArrayList<>(List.of(new Entry("manifest.json", m),
            new Entry("router.onnx", o)));
        for (int e = 0; e < 63; e++) {
          es.add(new Entry("extra/" + e, new byte[] {1}));
        }
        bytes = zipBytes(es);
        detail = "65 entries";
      }
      case 11 -> {
        byte[] full = zipBytes(List.of(new Entry("manifest.json", m),
            new Entry("router.onnx", o)));
        int len = rnd.nextInt(full.length);
        bytes = Arrays.copyOf(full, len);
        detail = "zip truncated to " + len + " of " + full.length + " bytes";
      }
      case 12 -> {
        byte[] full = zipBytes(List.of(new Entry("manifest.json", m, rnd.nextBoolean()),
            new Entry("router.onnx", o, rnd.nextBoolean())));
        int flips = 1 + rnd.nextInt(6);
        StringBuilder d = new StringBuilder("zip bytes flipped at");
        for (int f = 0; f < flips; f++) {
          int pos = rnd.nextInt(full.length);
          full[pos] ^= (byte) (1 << rnd.nextInt(8));
          d.append(' ').append(pos);
        }
        bytes = full;
        detail = d.toString();
        reject = false; // a flip inside data that the CRC misses is impossible, but a flip in
        // an unused header field (e.g. a timestamp) is harmless: either outcome is fine.
      }
      case 13 -> {
        byte[] spaces = new byte[2 << 20];
        Arrays.fill(spaces, (byte) ' ');
        System.arraycopy(m, 0, spaces, 0, m.length);
        bytes = zipBytes(List.of(new Entry("manifest.json", spaces),
            new Entry("router.onnx", o)));
        detail = "manifest.json inflating to 2 MiB (over the 1 MiB cap)";
      }
      case 14 -> {
        bytes = new byte[1 + rnd.nextInt(4096)];
        rnd.nextBytes(bytes);
        if (rnd.nextBoolean()) {
          bytes[0] = 'P';
          if (bytes.length > 3) {
            bytes[1] = 'K';
            bytes[2] = 3;
            bytes[3] = 4;
          }
        }
        detail = "random bytes named .zip";
      }
      case 15 -> {
        bytes = zipBytes(List.of(new Entry("manifest.json/", new byte[0]),
            new Entry("router.onnx", o)));
        detail = "manifest.json is a directory entry";
      }
      case 16 -> {
        bytes = routerBomb(m);
        detail = "router.onnx inflating to 300 MiB (over the 256 MiB cap)";
      }
      default -> {
        bytes = declareSize(routerBomb(m), "router.onnx", 1024);
        detail = "router.onnx inflating to 300 MiB while its entry declares 1 KiB";
      }
    }
    Files.write(zip, bytes);
    remember(i, dir);
    return new Case(i, "zip", detail, zip, Loader.PATH, forbidden, reject);
  }

  private static byte[] routerBomb(byte[] manifest) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bos)) {
      z.putNextEntry(new ZipEntry("manifest.json"));
      z.write(manifest);
      z.closeEntry();
      z.putNextEntry(new ZipEntry("router.onnx"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 300; i++) {
        z.write(zeros);
      }
      z.closeEntry();
    }
    return bos.toByteArray();
  }

  /** Rewrites an entry's uncompressed size in the zip's central directory (a lying header). */
  private static byte[] declareSize(byte[] zip, String name, int size) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 <= zip.length; i++) {
      if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == n.length
          && Arrays.equals(zip, i + 46, i + 46 + n.length, n, 0, n.length)) {
        b.putInt(i + 24, size);
        return zip;
      }
    }
    throw new IllegalStateException("no central directory entry " + name);
  }

  /** Where an extracting loader would have written an entry: none of these may appear. */
  private void addEscapeTargets(List<Path> out, Path caseDir, String entry) {
    String n = entry.replace('\\', '/');
    for (Path base : List.of(caseDir, caseDir.resolve("bundle"), root, Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("java.io.tmpdir")))) {
      try {
        out.add(base.resolve(n).normalize());
      } catch (RuntimeException ignored) {
        // a name that is no path on this system cannot be written to either
      }
    }
  }
}
