package dev.haps.runtime.internal;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarEntry;

/**
 * Where the runtime keeps files it unpacks once instead of at every start (ONNX Runtime's native
 * libraries, the default encoder model): {@code haps.cache.dir} (system property) or
 * {@code HAPS_CACHE_DIR}, else {@code ~/.cache/haps} ({@code <java.io.tmpdir>/haps-cache} when the
 * home folder is not writable). {@code -Dhaps.cache.enabled=false} turns these caches off.
 */
public final class CacheFolders {

  private CacheFolders() {}

  /**
   * The cache root.
   *
   * @return the folder (it may not exist)
   */
  public static Path root() {
    String base = System.getProperty("haps.cache.dir");
    if (base == null || base.isBlank()) {
      base = System.getenv("HAPS_CACHE_DIR");
    }
    if (base != null && !base.isBlank()) {
      return Paths.get(base);
    }
    Path home = Paths.get(System.getProperty("user.home"));
    return Files.isWritable(home) ? home.resolve(".cache").resolve("haps")
        : Paths.get(System.getProperty("java.io.tmpdir")).resolve("haps-cache");
  }

  /**
   * Whether the caches are on ({@code -Dhaps.cache.enabled=false} turns them off).
   *
   * @return {@code true} unless turned off
   */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("haps.cache.enabled"));
  }

  /** The jar entry behind a class path URL (its CRC-32 and size), or null outside a jar. */
  static JarEntry jarEntry(URL url) throws IOException {
    URLConnection c = url.openConnection();
    if (c instanceof JarURLConnection j) {
      return j.getJarEntry();
    }
    return null;
  }
}
