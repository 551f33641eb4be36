package dev.haps.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code haps --version}: the SDK version (filtered in at build time) and the Java runtime. */
final class VersionProvider implements IVersionProvider {

  /** Created by picocli. */
  VersionProvider() {}

  @Override
  public String[] getVersion() {
    return new String[] {
      "haps " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
          + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }

  /** The SDK version, from {@code dev/haps/cli/version.properties}. */
  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the haps version resource", e);
    }
  }
}
