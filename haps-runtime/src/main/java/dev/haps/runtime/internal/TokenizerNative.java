package dev.haps.runtime.internal;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the Rust tokenizers library that DJL's {@code tokenizers} jar carries, without DJL's
 * loader. DJL's loader picks a native flavour by probing for CUDA ({@code
 * ai.djl.util.cuda.CudaUtils}, through JNA): on a machine with a CUDA runtime but no usable driver
 * that probe logs {@code WARN Failed to detect GPU count: CUDA driver version is insufficient
 * ...} at every start, although tokenizing never uses a GPU and the jar ships CPU builds only.
 * It also loads JNA and DJL's platform classes, which costs start-up time for nothing.
 *
 * <p>This loader extracts the jar's CPU build for this platform ({@code
 * native/lib/<os>-<arch>/cpu/}) to the folder DJL itself would use ({@code
 * <DJL cache>/tokenizers/<version>-cpu-<os>-<arch>/}, so the two never extract twice) and loads it
 * with {@link System#load}. Where that is not possible (another platform, a jar without the
 * library, a read-only cache folder), it falls back to DJL's own loader, probe included.
 */
public final class TokenizerNative {

  private static final Logger LOG = LoggerFactory.getLogger(TokenizerNative.class);

  private static final Object LOCK = new Object();
  private static volatile boolean loaded;

  private TokenizerNative() {}

  /**
   * Makes the native library available to DJL's {@code TokenizersLibrary}; idempotent and
   * thread-safe.
   *
   * @throws RuntimeException or {@link UnsatisfiedLinkError} from DJL's loader when neither way
   *     works
   */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (LOCK) {
      if (loaded) {
        return;
      }
      Path lib = null;
      try {
        lib = extract();
      } catch (IOException | RuntimeException e) {
        LOG.debug("tokenizers native library: own loader not usable ({}); using DJL's", e
            .toString());
      }
      if (lib != null) {
        try {
          System.load(lib.toString());
          LOG.debug("tokenizers native library loaded from {}", lib);
          loaded = true;
          return;
        } catch (UnsatisfiedLinkError e) {
          LOG.debug("tokenizers native library {} did not load ({}); using DJL's loader", lib,
              e.toString());
        }
      }
      LibUtils.checkStatus();
      loaded = true;
    }
  }

  /**
   * The library file in the cache, extracted from the jar when missing.
   *
   * @return the file; null where the jar has no build this loader can use
   * @throws IOException if the cache folder cannot be written
   */
  public static Path extract() throws IOException {
    String classifier = classifier();
    if (classifier == null) {
      return null;
    }
    String name = System.mapLibraryName("tokenizers");
    if (classifier.startsWith("win-")) {
      return null; // needs three runtime DLLs loaded first: leave Windows to DJL's loader
    }
    String version = version();
    if (version == null) {
      return null;
    }
    ClassLoader cl = TokenizerNative.class.getClassLoader();
    String resource = "native/lib/" + classifier + "/cpu/" + name;
    Path dir = cacheDir().resolve(version + "-cpu-" + classifier);
    Path file = dir.resolve(name);
    if (Files.isRegularFile(file)) {
      return file;
    }
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".part");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (!Files.isRegularFile(file)) {
            throw e; // another process may have won the race; otherwise give up
          }
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return file;
  }

  /**
   * DJL's naming of this platform.
   *
   * @return e.g. {@code linux-x86_64}; null on a platform the jar has no build for
   */
  public static String classifier() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx"
        : os.startsWith("windows") ? "win" : null;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return o == null || a == null ? null : o + "-" + a;
  }

  /**
   * The library version DJL records in {@code native/lib/tokenizers.properties}.
   *
   * @return e.g. {@code 0.21.0-0.38.0}; null when the jar lacks the file
   * @throws IOException if the file cannot be read
   */
  public static String version() throws IOException {
    try (InputStream in = TokenizerNative.class.getClassLoader()
        .getResourceAsStream("native/lib/tokenizers.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      return v == null || v.isBlank() ? null : v.strip();
    }
  }

  /**
   * DJL's cache folder for this library: {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}
   * (environment variable, then system property), else {@code ~/.djl.ai} ({@code
   * <java.io.tmpdir>/.djl.ai} when the home folder is not writable); then {@code tokenizers}.
   *
   * @return the folder (it may not exist)
   */
  public static Path cacheDir() {
    String engine = setting("ENGINE_CACHE_DIR");
    if (engine != null) {
      return Paths.get(engine).resolve("tokenizers");
    }
    String djl = setting("DJL_CACHE_DIR");
    Path base;
    if (djl != null) {
      base = Paths.get(djl);
    } else {
      Path home = Paths.get(System.getProperty("user.home"));
      base = (Files.isWritable(home) ? home : Paths.get(System.getProperty("java.io.tmpdir")))
          .resolve(".djl.ai");
    }
    return base.resolve("tokenizers");
  }

  private static String setting(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      v = System.getProperty(name);
    }
    return v == null || v.isBlank() ? null : v;
  }
}
