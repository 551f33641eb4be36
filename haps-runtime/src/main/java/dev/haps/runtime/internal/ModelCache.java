package dev.haps.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class path model file kept unpacked between runs. The default encoder's 23 MB model is stored
 * deflated in its jar: inflating it and hashing it cost about 0.25 s of CPU at every start. Here
 * the first start writes the inflated bytes and their SHA-256 to {@code
 * <cache>/models/<crc>-<size>-<name>} ({@link CacheFolders}); later starts read that file and
 * check its CRC-32 against the jar entry's (a few milliseconds), so the bytes, and the SHA-256
 * reported for them, are the jar's. Anything unexpected (no jar, a mismatch, an unwritable
 * folder) falls back to reading the resource.
 */
public final class ModelCache {

  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

  private ModelCache() {}

  /**
   * A model's bytes and their SHA-256.
   *
   * @param bytes the model file's bytes
   * @param sha256 lower-case hex SHA-256 of {@code bytes}
   */
  public record Model(byte[] bytes, String sha256) {}

  /**
   * Reads a class path resource through the cache.
   *
   * @param loader the class loader holding the resource
   * @param resource the resource name
   * @return the bytes and their SHA-256; empty when the resource is missing
   * @throws IOException if the resource cannot be read
   */
  public static Optional<Model> read(ClassLoader loader, String resource) throws IOException {
    URL url = loader.getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    JarEntry entry = null;
    Path file = null;
    if (CacheFolders.enabled()) {
      try {
        entry = CacheFolders.jarEntry(url);
      } catch (IOException | RuntimeException e) {
        LOG.debug("model cache: {} has no jar entry ({})", resource, e.toString());
      }
      if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        file = CacheFolders.root().resolve("models").resolve(String.format(Locale.ROOT,
            "%08x-%d-%s", entry.getCrc(), entry.getSize(), name));
        Optional<Model> cached = cached(file, entry);
        if (cached.isPresent()) {
          return cached;
        }
      }
    }
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readAllBytes();
    }
    Model m = new Model(bytes, sha256(bytes));
    if (file != null) {
      store(file, m);
    }
    return Optional.of(m);
  }

  private static Optional<Model> cached(Path file, JarEntry entry) {
    Path sha = shaFile(file);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()
          || !Files.isRegularFile(sha)) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(file);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      String hex = Files.readString(sha, StandardCharsets.US_ASCII).strip();
      if (crc.getValue() != entry.getCrc() || !hex.matches("[0-9a-f]{64}")) {
        LOG.debug("model cache: {} does not match its jar entry; reading the jar", file);
        return Optional.empty();
      }
      return Optional.of(new Model(bytes, hex));
    } catch (IOException | RuntimeException e) {
      LOG.debug("model cache: cannot read {} ({})", file, e.toString());
      return Optional.empty();
    }
  }

  private static void store(Path file, Model m) {
    try {
      Files.createDirectories(file.getParent());
      write(shaFile(file), m.sha256().getBytes(StandardCharsets.US_ASCII));
      write(file, m.bytes()); // last: a complete model file means a complete entry
    } catch (IOException | RuntimeException e) {
      LOG.debug("model cache: cannot write {} ({}); the next start reads the jar again", file,
          e.toString());
    }
  }

  private static void write(Path to, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path shaFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".sha256");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
