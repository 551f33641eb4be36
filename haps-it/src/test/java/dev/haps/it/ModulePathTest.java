package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library modules as named modules, as an application on the module path sees them. Unit
 * tests run on the class path (the parent POM says why); this test starts one JVM with every HAPS
 * library and its dependencies on the module path ({@code --add-modules ALL-MODULE-PATH}, so a
 * split package or a broken descriptor fails at boot) and runs {@link ModulePathMain} from the
 * class path. Only the resource-only encoder jar stays on the class path, as
 * docs/architecture.md describes.
 */
class ModulePathTest {

  /** Test frameworks and this module's own classes: not part of an application's module path. */
  private static final List<String> NOT_ON_MODULE_PATH = List.of(
      "junit-", "opentest4j", "apiguardian", "assertj-", "byte-buddy", "archunit", "surefire",
      "haps-it");

  /**
   * Jars that stay on the class path (docs/architecture.md, "Module path"): the encoder's
   * resource-only jar, read as root-level resources; and commons-compress, whose descriptor
   * requires commons-lang3, which DJL excludes from its dependencies.
   */
  private static final List<String> CLASS_PATH_ONLY =
      List.of("langchain4j-embeddings", "commons-compress");

  @Test
  void libraries_workAsNamedModules(@TempDir Path tmp) throws Exception {
    List<String> modulePath = new ArrayList<>();
    List<String> classPath = new ArrayList<>();
    for (String entry : testClassPath()) {
      String name = Path.of(entry).toString().replace('\\', '/');
      if (CLASS_PATH_ONLY.stream().anyMatch(name::contains)) {
        classPath.add(entry);
      } else if (NOT_ON_MODULE_PATH.stream().noneMatch(name::contains)) {
        modulePath.add(entry);
      }
    }
    // Only the main class, not the rest of this module's test classes (one sits in a package
    // of haps-runtime and would be shadowed by the named module anyway).
    Path main = tmp.resolve("main");
    Path classes = Path.of(ModulePathMain.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path file = Path.of("dev", "haps", "it", "ModulePathMain.class");
    Files.createDirectories(main.resolve(file).getParent());
    Files.copy(classes.resolve(file), main.resolve(file));
    classPath.add(main.toString());

    Path log = tmp.resolve("child.log");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "--module-path", String.join(File.pathSeparator, modulePath),
        "--add-modules", "ALL-MODULE-PATH",
        "-cp", String.join(File.pathSeparator, classPath),
        ModulePathMain.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    // A bound on a hung child, not a speed check: loading ONNX Runtime takes seconds.
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(done).as("child JVM finished; output:\n%s", out).isTrue();
    assertThat(p.exitValue()).as("child JVM exit code; command %s\noutput:\n%s", command, out)
        .isZero();
    assertThat(out)
        .contains("module dev.haps.runtime <- dev.haps.runtime.HapsRouter")
        .contains("module dev.haps.client <- dev.haps.client.RoutingClient")
        .contains("module dev.haps.api <- dev.haps.spi.ProviderRegistry")
        .contains("module dev.haps.provider.replay <- dev.haps.provider.replay.ReplayProvider")
        .contains("closed dev.haps.runtime.internal, dev.haps.runtime.decode")
        .containsPattern("providers \\[.*replay.*\\]")
        .containsPattern("called \\S+ .* via replay")
        .contains("MODULE PATH OK");
  }

  /** The test class path as entries (Surefire's manifest-only jar hides them from java.class.path). */
  private static List<String> testClassPath() throws IOException {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> out = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      if (!e.isBlank() && Files.exists(Path.of(e))) {
        out.add(e);
      }
    }
    return out;
  }
}
