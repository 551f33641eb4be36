package dev.haps.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a bundle's two files from a directory, a zip file or a class path folder into memory,
 * with size caps and zip-path checks. Nothing is ever extracted to disk. Internal API.
 */
public final class BundleSources {

  /** The manifest file name. */
  public static final String MANIFEST = "manifest.json";
  /** The network file name. */
  public static final String ROUTER = "router.onnx";
  /** The optional fine-tuned encoder layers' file name (manifest {@code encoder.top}). */
  public static final String ENCODER_TOP = "encoder-top.onnx";
  /** Largest manifest read, in bytes. */
  public static final long MAX_MANIFEST_BYTES = 1L << 20;
  /** Largest network read, in bytes. */
  public static final long MAX_ROUTER_BYTES = 256L << 20;
  /** Most entries a bundle zip may hold. */
  public static final int MAX_ZIP_ENTRIES = 64;

  private BundleSources() {}

  /**
   * The raw bytes of a bundle.
   *
   * @param source a description of where they came from, for messages
   * @param manifest the manifest bytes
   * @param router the network bytes
   * @param encoderTop the fine-tuned encoder layers' bytes, when the bundle has that file
   */
  public record Bytes(String source, byte[] manifest, byte[] router,
      java.util.Optional<byte[]> encoderTop) {}

  /**
   * Reads a directory or a zip file.
   *
   * @param path the directory or zip
   * @return the bytes
   * @throws dev.haps.api.error.BundleException if the path is missing, a file is missing or too
   *     large, or the zip is malformed or unsafe
   */
  public static Bytes read(Path path) {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      Path top = path.resolve(ENCODER_TOP);
      return new Bytes(source,
          readFile(source, path.resolve(MANIFEST), MANIFEST, MAX_MANIFEST_BYTES),
          readFile(source, path.resolve(ROUTER), ROUTER, MAX_ROUTER_BYTES),
          Files.isRegularFile(top)
              ? java.util.Optional.of(readFile(source, top, ENCODER_TOP, MAX_ROUTER_BYTES))
              : java.util.Optional.empty());
    }
    if (!Files.exists(path)) {
      throw BundleErrors.file(source, "(bundle)", "no such directory or zip file; expected a"
          + " directory or a .zip holding manifest.json and router.onnx", null);
    }
    return readZip(source, path);
  }

  /**
   * Reads a class path folder.
   *
   * @param folder the resource folder, e.g. {@code dev/haps/bundles/default/}
   * @param loader the class loader to read with
   * @return the bytes
   * @throws dev.haps.api.error.BundleException if a file is missing or too large
   */
  public static Bytes readClasspath(String folder, ClassLoader loader) {
    String prefix = folder.startsWith("/") ? folder.substring(1) : folder;
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    String source = "classpath:" + prefix;
    java.util.Optional<byte[]> top = java.util.Optional.empty();
    if (loader.getResource(prefix + ENCODER_TOP) != null) {
      top = java.util.Optional.of(readResource(source, loader, prefix + ENCODER_TOP, ENCODER_TOP,
          MAX_ROUTER_BYTES));
    }
    return new Bytes(source,
        readResource(source, loader, prefix + MANIFEST, MANIFEST, MAX_MANIFEST_BYTES),
        readResource(source, loader, prefix + ROUTER, ROUTER, MAX_ROUTER_BYTES), top);
  }

  private static byte[] readResource(
      String source, ClassLoader loader, String name, String file, long cap) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw BundleErrors.file(source, file, "not found on the class path (resource " + name
            + "); put the bundle's files in that resource folder", null);
      }
      return readCapped(source, file, in, cap);
    } catch (IOException e) {
      throw BundleErrors.file(source, file, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(String source, Path file, String name, long cap) {
    try {
      long size = Files.size(file);
      if (size > cap) {
        throw BundleErrors.file(source, name, "is " + size + " bytes, over the limit of " + cap,
            null);
      }
      try (InputStream in = Files.newInputStream(file)) {
        return readCapped(source, name, in, cap);
      }
    } catch (NoSuchFileException e) {
      throw BundleErrors.file(source, name, "is missing; a bundle directory holds manifest.json"
          + " and router.onnx", e);
    } catch (IOException e) {
      throw BundleErrors.file(source, name, "cannot be read: " + e, e);
    }
  }

  private static byte[] readCapped(String source, String name, InputStream in, long cap)
      throws IOException {
    byte[] bytes = in.readNBytes((int) cap + 1);
    if (bytes.length > cap) {
      throw BundleErrors.file(source, name, "is over the limit of " + cap + " bytes", null);
    }
    return bytes;
  }

  private static Bytes readZip(String source, Path path) {
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw BundleErrors.file(source, "(zip)", "is not a complete zip file (" + e.getMessage()
          + "); it may be truncated or corrupt; re-create the bundle zip", e);
    } catch (IOException e) {
      throw BundleErrors.file(source, "(zip)", "cannot be opened: " + e, e);
    }
    try (zip) {
      List<ZipEntry> entries = new ArrayList<>();
      Set<String> names = new HashSet<>();
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        if (entries.size() >= MAX_ZIP_ENTRIES) {
          throw BundleErrors.file(source, "(zip)", "has more than " + MAX_ZIP_ENTRIES
              + " entries; a bundle zip holds manifest.json and router.onnx", null);
        }
        String name = e.getName();
        checkEntryName(source, name);
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
          throw BundleErrors.file(source, "(zip)", "has a duplicate entry " + BundleErrors.quote(name)
              + "; each file may appear once", null);
        }
        entries.add(e);
      }
      String prefix = findPrefix(source, entries);
      java.util.Optional<byte[]> top = java.util.Optional.empty();
      if (zip.getEntry(prefix + ENCODER_TOP) != null) {
        top = java.util.Optional.of(readEntry(source, zip, prefix + ENCODER_TOP, ENCODER_TOP,
            MAX_ROUTER_BYTES));
      }
      return new Bytes(source,
          readEntry(source, zip, prefix + MANIFEST, MANIFEST, MAX_MANIFEST_BYTES),
          readEntry(source, zip, prefix + ROUTER, ROUTER, MAX_ROUTER_BYTES), top);
    } catch (IOException e) {
      throw BundleErrors.file(source, "(zip)", "cannot be read: " + e, e);
    }
  }

  private static void checkEntryName(String source, String name) {
    String n = name.replace('\\', '/');
    boolean absolute = n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':');
    boolean parent = false;
    for (String part : n.split("/", -1)) {
      if (part.equals("..")) {
        parent = true;
      }
    }
    if (absolute || parent || n.indexOf('\0') >= 0) {
      throw BundleErrors.file(source, "(zip)", "has an unsafe entry name " + BundleErrors.quote(name)
          + " (absolute, drive or '..' path); expected relative names such as manifest.json",
          null);
    }
  }

  /** The bundle files sit at the zip root or inside exactly one top-level folder. */
  private static String findPrefix(String source, List<ZipEntry> entries) {
    List<String> manifests = new ArrayList<>();
    for (ZipEntry e : entries) {
      String n = e.getName();
      if (n.equals(MANIFEST) || (n.endsWith("/" + MANIFEST)
          && n.indexOf('/') == n.length() - MANIFEST.length() - 1)) {
        manifests.add(n);
      }
    }
    if (manifests.isEmpty()) {
      throw BundleErrors.file(source, MANIFEST, "is missing from the zip; expected it at the"
          + " root or in one top-level folder", null);
    }
    if (manifests.size() > 1) {
      throw BundleErrors.file(source, MANIFEST, "appears " + manifests.size() + " times in the"
          + " zip (" + manifests + "); expected exactly one", null);
    }
    String m = manifests.get(0);
    return m.substring(0, m.length() - MANIFEST.length());
  }

  private static byte[] readEntry(String source, ZipFile zip, String entryName, String file,
      long cap) throws IOException {
    ZipEntry e = zip.getEntry(entryName);
    if (e == null || e.isDirectory()) {
      throw BundleErrors.file(source, file, "is missing from the zip (entry " + entryName + ")",
          null);
    }
    // A declared size over the cap is refused before inflating anything (a zip bomb would
    // otherwise cost the cap in time and memory); a smaller declared size is not trusted: the
    // read below is capped whatever the entry claims.
    if (e.getSize() > cap) {
      throw BundleErrors.file(source, file, "declares " + e.getSize() + " bytes in the zip,"
          + " over the limit of " + cap + " bytes", null);
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] bytes = readCapped(source, file, in, cap);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(bytes);
      if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
        throw BundleErrors.file(source, file, "fails its zip CRC check (found "
            + Long.toHexString(crc.getValue()) + ", expected " + Long.toHexString(e.getCrc())
            + "); the zip is corrupt, re-create it", null);
      }
      return bytes;
    } catch (ZipException | java.io.EOFException ex) {
      throw BundleErrors.file(source, file, "is corrupt in the zip (" + ex.getMessage()
          + "); re-create the bundle zip", ex);
    }
  }
}
