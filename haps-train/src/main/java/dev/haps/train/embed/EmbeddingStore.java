package dev.haps.train.embed;

import dev.haps.spi.EncoderInfo;
import dev.haps.spi.QueryEncoder;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query embeddings for training and evaluation, computed with a {@link QueryEncoder} in batches
 * and cached on disk so that a second run over the same data costs no encoder time.
 *
 * <p><b>Cache key.</b> An embedding is reused only when the encoder model's SHA-256, its
 * dimension, pooling, normalisation, token budget ({@code maxTokens}) and truncation, and the
 * exact query text all match. Each encoder configuration has its own folder under the cache
 * directory; a folder holds immutable segment files, each written to a temporary file, forced to
 * disk and atomically renamed. Several processes may therefore fill one cache at once, and a
 * file cut short by a crash is detected by its checksum and ignored (with one warning).
 *
 * <p>The cache directory defaults to {@link #defaultCacheDir()}: the system property {@code
 * haps.embedding.cache}, else the environment variable {@code HAPS_EMBEDDING_CACHE}, else
 * {@code ~/.cache/haps/embeddings}.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (QueryEncoder enc = OnnxQueryEncoder.builder().defaultModel().build()) {
 *   EmbeddingStore store = EmbeddingStore.open(enc, EmbeddingStore.defaultCacheDir());
 *   float[][] vectors = store.embed(texts);
 * }
 * }</pre>
 *
 * <p>Thread-safe. The store does not own the encoder: closing the encoder is the caller's job.
 *
 * @since 0.1.0
 */
public final class EmbeddingStore {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingStore.class);

  /** Texts encoded per call to {@link QueryEncoder#encodeAll(List)}. */
  private static final int CHUNK = 128;
  /** New embeddings after which a segment is written, so a killed run keeps most of its work. */
  private static final int FLUSH_EVERY = 2048;
  /** Segments in one folder above which {@link #open} merges them into one. */
  private static final int MAX_SEGMENTS = 24;

  private static final byte[] MAGIC = "HAPSEMB1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 4 + 4;
  private static final int DIGEST = 32;

  private final QueryEncoder encoder;
  private final EncoderInfo info;
  private final Path folder;
  private final String configLine;
  private final Map<Key, float[]> cache = new HashMap<>();
  private final boolean persistent;

  private EmbeddingStore(QueryEncoder encoder, Path folder, String configLine,
      boolean persistent) {
    this.encoder = encoder;
    this.info = encoder.info();
    this.folder = folder;
    this.configLine = configLine;
    this.persistent = persistent;
  }

  /**
   * Opens (creating if needed) the cache for an encoder's configuration and loads what it holds.
   *
   * @param encoder the encoder; its {@link QueryEncoder#info()} decides the cache folder
   * @param cacheDir the cache root; created if missing. When it cannot be created or listed
   *     (no permission, a read-only or virtual file system), one WARN says so and the store
   *     works in memory only ({@link #persistent()} is false): a cache is an optimisation, never
   *     a reason to stop
   * @return the store
   */
  public static EmbeddingStore open(QueryEncoder encoder, Path cacheDir) {
    Objects.requireNonNull(encoder, "encoder must not be null");
    Objects.requireNonNull(cacheDir, "cacheDir must not be null");
    EncoderInfo info = encoder.info();
    String configLine = configLine(info);
    String folderName = safe(info.id()) + "-" + hex(sha256(configLine)).substring(0, 16);
    Path folder = cacheDir.resolve(folderName);
    try {
      Files.createDirectories(folder);
      EmbeddingStore store = new EmbeddingStore(encoder, folder, configLine, true);
      store.load();
      return store;
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot use the embedding cache folder {} ({}); continuing without a cache, so"
          + " every query is embedded again on the next run; point --cache-dir (or"
          + " haps.embedding.cache, HAPS_EMBEDDING_CACHE) at a writable folder", folder,
          String.valueOf(e instanceof UncheckedIOException && e.getCause() != null
              ? e.getCause() : e));
      return new EmbeddingStore(encoder, folder, configLine, false);
    }
  }

  /**
   * The default cache root: system property {@code haps.embedding.cache}, else environment
   * variable {@code HAPS_EMBEDDING_CACHE}, else {@code ~/.cache/haps/embeddings}.
   *
   * @return the directory (not created)
   */
  public static Path defaultCacheDir() {
    String p = System.getProperty("haps.embedding.cache");
    if (p == null || p.isBlank()) {
      p = System.getenv("HAPS_EMBEDDING_CACHE");
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "haps", "embeddings");
  }

  /**
   * The encoder's identity and settings, as recorded in a bundle manifest.
   *
   * @return the info
   */
  public EncoderInfo encoderInfo() {
    return info;
  }

  /**
   * Whether vectors are read from and written to {@link #folder()}; false when the folder could
   * not be used and the store keeps vectors in memory only.
   *
   * @return {@code true} for an on-disk cache
   */
  public boolean persistent() {
    return persistent;
  }

  /**
   * The folder holding this encoder configuration's cache segments.
   *
   * @return the folder
   */
  public Path folder() {
    return folder;
  }

  /**
   * Embeds texts, taking cached vectors where present.
   *
   * @param texts the texts (non-blank)
   * @return one vector per text, in order; each row is a fresh array
   * @throws dev.haps.api.error.InvalidRequestException if the encoder rejects a text
   */
  public float[][] embed(List<String> texts) {
    return embed(texts, EmbeddingProgress.NONE);
  }

  /**
   * Embeds texts, taking cached vectors where present, and reports progress.
   *
   * @param texts the texts (non-blank)
   * @param progress called after each chunk
   * @return one vector per text, in order; each row is a fresh array
   * @throws dev.haps.api.error.InvalidRequestException if the encoder rejects a text
   * @throws IllegalStateException if the encoder returns a vector of the wrong size or with a
   *     non-finite value
   */
  public float[][] embed(List<String> texts, EmbeddingProgress progress) {
    Objects.requireNonNull(texts, "texts must not be null");
    Objects.requireNonNull(progress, "progress must not be null");
    int n = texts.size();
    Key[] keys = new Key[n];
    // Missing texts, deduplicated, in first-seen order (so the encoder sees a stable sequence).
    LinkedHashMap<Key, String> missing = new LinkedHashMap<>();
    synchronized (this) {
      for (int i = 0; i < n; i++) {
        String t = Objects.requireNonNull(texts.get(i), "texts must not contain null");
        keys[i] = key(t);
        if (!cache.containsKey(keys[i])) {
          missing.putIfAbsent(keys[i], t);
        }
      }
    }
    int cached = n - countIndices(keys, missing);
    progress.update(cached, n);
    List<Map.Entry<Key, String>> todo = new ArrayList<>(missing.entrySet());
    Map<Key, float[]> fresh = new LinkedHashMap<>();
    int done = cached;
    Map<Key, Integer> multiplicity = multiplicity(keys, missing);
    for (int from = 0; from < todo.size(); from += CHUNK) {
      List<Map.Entry<Key, String>> part = todo.subList(from, Math.min(todo.size(), from + CHUNK));
      List<String> chunk = new ArrayList<>(part.size());
      for (Map.Entry<Key, String> e : part) {
        chunk.add(e.getValue());
      }
      float[][] vectors = encoder.encodeAll(chunk);
      for (int j = 0; j < part.size(); j++) {
        float[] v = check(vectors[j], chunk.get(j));
        fresh.put(part.get(j).getKey(), v);
        done += multiplicity.get(part.get(j).getKey());
      }
      synchronized (this) {
        for (int j = 0; j < part.size(); j++) {
          cache.put(part.get(j).getKey(), fresh.get(part.get(j).getKey()));
        }
      }
      if (fresh.size() >= FLUSH_EVERY) {
        writeSegment(fresh);
        fresh.clear();
      }
      progress.update(done, n);
    }
    if (!fresh.isEmpty()) {
      writeSegment(fresh);
    }
    float[][] out = new float[n][];
    synchronized (this) {
      for (int i = 0; i < n; i++) {
        out[i] = cache.get(keys[i]).clone();
      }
    }
    return out;
  }

  private static int countIndices(Key[] keys, Map<Key, String> missing) {
    int c = 0;
    for (Key k : keys) {
      if (missing.containsKey(k)) {
        c++;
      }
    }
    return c;
  }

  private static Map<Key, Integer> multiplicity(Key[] keys, Map<Key, String> missing) {
    Map<Key, Integer> m = new HashMap<>();
    for (Key k : keys) {
      if (missing.containsKey(k)) {
        m.merge(k, 1, Integer::sum);
      }
    }
    return m;
  }

  private float[] check(float[] v, String text) {
    if (v == null || v.length != info.dimension()) {
      throw new IllegalStateException(
          "encoder " + info.id() + " returned a vector of length "
              + (v == null ? "null" : v.length) + " for a text of " + text.length()
              + " chars; expected " + info.dimension());
    }
    for (float f : v) {
      if (!Float.isFinite(f)) {
        throw new IllegalStateException(
            "encoder " + info.id() + " returned a non-finite value for a text of "
                + text.length() + " chars; the encoder model may be corrupt");
      }
    }
    return v.clone();
  }

  // ---------------------------------------------------------------- keys

  private static String configLine(EncoderInfo info) {
    return String.join("|", "v1", info.id(), info.sha256().toLowerCase(Locale.ROOT),
        Integer.toString(info.dimension()), info.pooling(), Boolean.toString(info.normalize()),
        Integer.toString(info.maxTokens()), info.truncation().manifestName());
  }

  private Key key(String text) {
    MessageDigest md = digest();
    md.update(configLine.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '\n');
    md.update(text.getBytes(StandardCharsets.UTF_8));
    return Key.of(md.digest());
  }

  /** A SHA-256 as four longs: cheap to hash and compare. */
  private record Key(long a, long b, long c, long d) {
    static Key of(byte[] h) {
      ByteBuffer bb = ByteBuffer.wrap(h);
      return new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
    }

    void write(DataOutputStream out) throws IOException {
      out.writeLong(a);
      out.writeLong(b);
      out.writeLong(c);
      out.writeLong(d);
    }
  }

  // ---------------------------------------------------------------- segments

  private void load() {
    List<Path> segments = segments();
    int loaded = 0;
    List<Path> good = new ArrayList<>();
    for (Path p : segments) {
      Map<Key, float[]> m = readSegment(p);
      if (m != null) {
        cache.putAll(m);
        loaded += m.size();
        good.add(p);
      }
    }
    LOG.debug("embedding cache {}: {} vectors from {} segments", folder, loaded, good.size());
    if (good.size() > MAX_SEGMENTS) {
      compact(good);
    }
  }

  private List<Path> segments() {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "seg-*.emb")) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the embedding cache folder " + folder, e);
    }
    out.sort(null);
    return out;
  }

  /** Reads a segment; returns null (after a warning) when it is torn or not ours. */
  private Map<Key, float[]> readSegment(Path p) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (IOException e) {
      LOG.warn("skipping unreadable embedding cache file {}: {}", p, e.toString());
      return null;
    }
    int dim = info.dimension();
    if (bytes.length < HEADER + DIGEST) {
      LOG.warn("skipping embedding cache file {}: {} bytes is shorter than a header", p,
          bytes.length);
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[MAGIC.length];
    bb.get(magic);
    int fileDim = bb.getInt();
    int count = bb.getInt();
    long expected = HEADER + (long) count * (32 + 4L * fileDim) + DIGEST;
    if (!java.util.Arrays.equals(magic, MAGIC) || fileDim != dim || count < 0
        || expected != bytes.length) {
      LOG.warn("skipping embedding cache file {}: bad header or length (dim {}, count {}, "
          + "{} bytes; expected dim {})", p, fileDim, count, bytes.length, dim);
      return null;
    }
    MessageDigest md = digest();
    md.update(bytes, 0, bytes.length - DIGEST);
    byte[] sum = md.digest();
    if (!java.util.Arrays.equals(sum, 0, DIGEST, bytes, bytes.length - DIGEST, bytes.length)) {
      LOG.warn("skipping embedding cache file {}: checksum mismatch (torn write?)", p);
      return null;
    }
    Map<Key, float[]> m = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      Key k = new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
      float[] v = new float[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = bb.getFloat();
      }
      m.put(k, v);
    }
    return m;
  }

  private void writeSegment(Map<Key, float[]> entries) {
    if (!persistent) {
      return;
    }
    try {
      writeSegmentOrThrow(entries);
    } catch (IOException e) {
      // The vectors are still in memory; only the next run pays for the lost cache write.
      LOG.warn("could not write to the embedding cache {}: {}", folder, e.toString());
    }
  }

  private Path writeSegmentOrThrow(Map<Key, float[]> entries) throws IOException {
    int dim = info.dimension();
    Path tmp = Files.createTempFile(folder, "tmp-", ".part");
    byte[] sum;
    try {
      MessageDigest md = digest();
      try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
          DataOutputStream out = new DataOutputStream(
              new BufferedOutputStream(new DigestOutputStream(raw, md), 1 << 16))) {
        out.write(MAGIC);
        out.writeInt(dim);
        out.writeInt(entries.size());
        for (Map.Entry<Key, float[]> e : entries.entrySet()) {
          e.getKey().write(out);
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
        out.flush();
        sum = md.digest();
        raw.write(sum);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Path target = folder.resolve("seg-" + hex(sum).substring(0, 24) + ".emb");
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // Same content already there (another writer got here first).
        Files.deleteIfExists(tmp);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Merges segments into one; the old files are deleted only after the merged one is in place. */
  private void compact(List<Path> segments) {
    Map<Key, float[]> all = new LinkedHashMap<>();
    for (Path p : segments) {
      Map<Key, float[]> m = readSegment(p);
      if (m != null) {
        all.putAll(m);
      }
    }
    try {
      Path merged = writeSegmentOrThrow(all);
      for (Path p : segments) {
        if (!p.equals(merged)) {
          Files.deleteIfExists(p);
        }
      }
      LOG.debug("embedding cache {}: merged {} segments into {}", folder, segments.size(),
          merged.getFileName());
    } catch (IOException e) {
      LOG.warn("could not compact the embedding cache {}: {}", folder, e.toString());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] sha256(String s) {
    return digest().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String safe(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 48 ? s.substring(0, 48) : s;
  }
}
