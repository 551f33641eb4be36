package dev.haps.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shared data folder (the one holding {@code data/<benchmark>/}) for tests,
 * benchmarks and tools: the system property {@value #PROPERTY} if it names a folder with a
 * {@code data} sub-folder, otherwise the first {@code shared} folder with a {@code data}
 * sub-folder found walking up from the working directory.
 *
 * @since 0.1.0
 */
public final class SharedData {

  /** The system property naming the shared folder (the build sets it for tests). */
  public static final String PROPERTY = "haps.shared.dir";

  private SharedData() {}

  /**
   * The shared folder.
   *
   * @return the folder holding {@code data/}, if found
   */
  public static Optional<Path> locate() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("data"))) {
        return Optional.of(p);
      }
    }
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null;
        d = d.getParent()) {
      Path candidate = d.resolve("shared");
      if (Files.isDirectory(candidate.resolve("data"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A benchmark's log directory inside the shared folder.
   *
   * @param name the benchmark, e.g. {@code concise-cot}
   * @return {@code <shared>/data/<name>}, if it exists
   */
  public static Optional<Path> benchmark(String name) {
    return locate().map(p -> p.resolve("data").resolve(name)).filter(Files::isDirectory);
  }
}
