package dev.haps.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native libraries unpacked between runs. ONNX Runtime's Java binding copies
 * its 22 MB library out of the jar into a fresh temporary folder at every start (1 KB at a time,
 * through the inflater) and deletes it on exit: about 0.13 s of CPU on the start-up path of a
 * 2-core machine. This class unpacks the two libraries once into {@code
 * <cache>/onnxruntime/<crc>-<size>-<platform>/} ({@link CacheFolders}; keyed by the jar entry's
 * CRC-32 and size,
 * read from the jar's directory without inflating anything) and points ONNX Runtime there with
 * its documented system property {@code onnxruntime.native.path}.
 *
 * <p>It does nothing when that property (or a per-library one) is already set, when the caches
 * are off ({@link CacheFolders}), when the libraries are not inside a jar, when the jar carries
 * GPU provider libraries (those are loaded from the same folder, so ONNX Runtime keeps its own way)
 * or when the cache folder cannot be written: ONNX Runtime then loads as it always does.
 */
public final class OrtNative {

  private static final Logger LOG = LoggerFactory.getLogger(OrtNative.class);

  /** ONNX Runtime's property naming a folder that holds its native libraries. */
  static final String PATH_PROPERTY = "onnxruntime.native.path";

  private static volatile Path prepared;

  private OrtNative() {}

  /**
   * Unpacks the libraries if needed and sets {@value #PATH_PROPERTY}; call before the first use
   * of any ONNX Runtime class. Idempotent; never throws.
   */
  public static synchronized void prepare() {
    if (prepared != null || System.getProperty(PATH_PROPERTY) != null
        || System.getProperty("onnxruntime.native.onnxruntime.path") != null
        || !CacheFolders.enabled()) {
      return;
    }
    try {
      Optional<Path> dir = unpack();
      if (dir.isPresent()) {
        System.setProperty(PATH_PROPERTY, dir.get().toString());
        prepared = dir.get();
        LOG.debug("ONNX Runtime native libraries from {}", dir.get());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("ONNX Runtime native libraries: no cache ({}); ONNX Runtime unpacks its own",
          e.toString());
    }
  }

  /**
   * The folder the libraries were unpacked to, if this process uses it.
   *
   * @return the folder
   */
  public static Optional<Path> folder() {
    return Optional.ofNullable(prepared);
  }

  /**
   * The folder holding the unpacked libraries of every ONNX Runtime version seen.
   *
   * @return {@code <cache>/onnxruntime}
   */
  public static Path cacheRoot() {
    return CacheFolders.root().resolve("onnxruntime");
  }

  private static Optional<Path> unpack() throws IOException {
    String platform = platform();
    if (platform == null) {
      return Optional.empty();
    }
    ClassLoader cl = OrtNative.class.getClassLoader();
    String folder = "ai/onnxruntime/native/" + platform + "/";
    String main = System.mapLibraryName("onnxruntime").replace("jnilib", "dylib");
    String jni = System.mapLibraryName("onnxruntime4j_jni").replace("jnilib", "dylib");
    if (cl.getResource(folder + System.mapLibraryName("onnxruntime_providers_shared")
        .replace("jnilib", "dylib")) != null) {
      return Optional.empty(); // a GPU build: ONNX Runtime also unpacks provider libraries
    }
    URL mainUrl = cl.getResource(folder + main);
    URL jniUrl = cl.getResource(folder + jni);
    if (mainUrl == null || jniUrl == null) {
      return Optional.empty();
    }
    JarEntry entry = CacheFolders.jarEntry(mainUrl);
    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
      return Optional.empty();
    }
    Path dir = cacheRoot().resolve(String.format(Locale.ROOT, "%08x-%d-%s", entry.getCrc(),
        entry.getSize(), platform));
    Path mainFile = dir.resolve(main);
    Path jniFile = dir.resolve(jni);
    if (Files.isRegularFile(mainFile) && Files.size(mainFile) == entry.getSize()
        && Files.isRegularFile(jniFile)) {
      return Optional.of(dir);
    }
    Files.createDirectories(dir);
    copy(jniUrl, jniFile);
    copy(mainUrl, mainFile); // last: its presence with the right size marks a complete folder
    return Optional.of(dir);
  }

  private static void copy(URL from, Path to) throws IOException {
    Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
    try {
      try (InputStream in = from.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      try {
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** ONNX Runtime's name for this platform (e.g. {@code linux-x64}), or null. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win"
        : os.contains("nux") ? "linux" : null;
    String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return o == null || a == null ? null : o + "-" + a;
  }
}
