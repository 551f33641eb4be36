package dev.haps.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The module order of the reactor, as the architecture checks read it: each library module, the
 * root packages it owns, and the modules it may depend on directly. From the module table of
 * {@code docs/architecture.md} (which follows DESIGN.md and the poms); change both together.
 */
final class Modules {

  /**
   * One library module.
   *
   * @param name the short name used in messages and layer names, e.g. {@code runtime}
   * @param dir the module's directory under the repository root
   * @param packages the root packages it owns (each with all its sub-packages)
   * @param uses the modules it may depend on directly (by short name)
   */
  record Module(String name, String dir, List<String> packages, List<String> uses) {

    /** ArchUnit package patterns: each root package with its sub-packages. */
    String[] patterns() {
      return packages.stream().map(p -> p + "..").toArray(String[]::new);
    }

    boolean owns(String pkg) {
      for (String p : packages) {
        if (pkg.equals(p) || pkg.startsWith(p + ".")) {
          return true;
        }
      }
      return false;
    }
  }

  /** Library modules, bottom up. Applications (cli, bench, examples) and haps-it sit above all. */
  static final List<Module> LIBRARIES = List.of(
      new Module("api", "haps-api", List.of("dev.haps.api", "dev.haps.spi"), List.of()),
      new Module("data", "haps-data", List.of("dev.haps.data"), List.of("api")),
      new Module("onnx", "haps-onnx", List.of("dev.haps.onnx"), List.of()),
      new Module("testing", "haps-testing", List.of("dev.haps.testing"), List.of("api", "onnx")),
      new Module("runtime", "haps-runtime", List.of("dev.haps.runtime"),
          List.of("api", "data", "onnx")),
      new Module("client", "haps-client", List.of("dev.haps.client"),
          List.of("api", "data", "runtime")),
      new Module("provider-http", "haps-providers/haps-provider-http",
          List.of("dev.haps.provider.http"), List.of("api")),
      new Module("provider-openai", "haps-providers/haps-provider-openai",
          List.of("dev.haps.provider.openai"), List.of("provider-http")),
      new Module("provider-anthropic", "haps-providers/haps-provider-anthropic",
          List.of("dev.haps.provider.anthropic"), List.of("provider-http")),
      new Module("provider-gemini", "haps-providers/haps-provider-gemini",
          List.of("dev.haps.provider.gemini"), List.of("provider-http")),
      // Replay reads outcome logs, so it also sits on haps-data (DESIGN.md: providers use api).
      new Module("provider-replay", "haps-providers/haps-provider-replay",
          List.of("dev.haps.provider.replay"), List.of("api", "data")),
      new Module("train", "haps-train", List.of("dev.haps.train"),
          List.of("api", "data", "onnx", "runtime")),
      new Module("eval", "haps-eval", List.of("dev.haps.eval"),
          List.of("api", "data", "runtime", "train")),
      new Module("collect", "haps-collect", List.of("dev.haps.collect"),
          List.of("api", "data", "runtime", "client")));

  /**
   * Framework integrations, above haps-client. They have no {@code module-info.java} (LangChain4j
   * and Spring AI publish no stable module names; docs/architecture.md), so the class-level rules
   * do not see them; {@code ArchitectureTest} checks their sources instead. Directory to the
   * library modules (by name) and integrations (by directory) each may use.
   */
  static final Map<String, List<String>> INTEGRATIONS = Map.of(
      "haps-integrations/haps-langchain4j", List.of("api", "data", "runtime", "client"),
      "haps-integrations/haps-spring-ai", List.of("api", "data", "runtime", "client"),
      "haps-integrations/haps-spring-boot-starter", List.of("api", "data", "runtime", "client",
          "haps-integrations/haps-spring-ai"),
      // The server forwards raw OpenAI-compatible bodies over the provider HTTP base.
      "haps-integrations/haps-serve", List.of("api", "data", "runtime", "client",
          "provider-http"));

  private Modules() {}

  static Module named(String name) {
    for (Module m : LIBRARIES) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no library module named " + name);
  }

  /** The modules {@code m} may depend on: its direct ones and theirs, transitively. */
  static Set<String> allowed(Module m) {
    Set<String> out = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(m.uses());
    while (!todo.isEmpty()) {
      String n = todo.remove(todo.size() - 1);
      if (out.add(n)) {
        todo.addAll(named(n).uses());
      }
    }
    return out;
  }

  /** The repository root: the parent of this module's directory, where Surefire runs. */
  static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path root = dir.getParent();
    if (root == null || !Files.isRegularFile(root.resolve("pom.xml"))
        || !Files.isDirectory(root.resolve("haps-api"))) {
      throw new IllegalStateException("expected to run in haps-it under the repository root,"
          + " but the working directory is " + dir + "; run through Maven (./mvnw -pl haps-it)");
    }
    return root;
  }

  /** Every Java source file under a {@code src/main/java} or {@code src/test/java} of the repo. */
  static List<SourceFile> sources(Path root) {
    List<SourceFile> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> p.toString().endsWith(".java"))
          .forEach(p -> {
            String rel = root.relativize(p).toString().replace('\\', '/');
            int src = rel.indexOf("/src/");
            if (src < 0 || rel.contains("/target/") || rel.startsWith(".")) {
              return;
            }
            String rest = rel.substring(src + 5);
            boolean main = rest.startsWith("main/java/");
            if (!main && !rest.startsWith("test/java/")) {
              return;
            }
            String path = rest.substring(rest.indexOf("/java/") + 6);
            int slash = path.lastIndexOf('/');
            String pkg = slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
            out.add(new SourceFile(rel.substring(0, src), main, pkg, p));
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * One source file.
   *
   * @param module the module directory, e.g. {@code haps-providers/haps-provider-http}
   * @param main main code (else test code)
   * @param pkg the package, from the file's directory
   * @param path the file
   */
  record SourceFile(String module, boolean main, String pkg, Path path) {

    boolean isModuleInfo() {
      return path.getFileName().toString().equals("module-info.java");
    }

    /** Packages of {@code dev.haps} types this file names (imports and qualified names). */
    Set<String> referencedPackages() {
      Set<String> out = new TreeSet<>();
      Matcher m = QUALIFIED.matcher(text());
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    }

    String text() {
      try {
        return Files.readString(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A qualified {@code dev.haps} type name: lower-case package segments, then a capital. */
  private static final Pattern QUALIFIED =
      Pattern.compile("\\b(dev\\.haps(?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]");

  /** The {@code exports} of a module's {@code module-info.java}: package to its targets. */
  static Map<String, Set<String>> exports(Path moduleInfo) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    String text;
    try {
      text = Files.readString(moduleInfo).replaceAll("(?s)/\\*.*?\\*/", "")
          .replaceAll("//[^\n]*", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = Pattern.compile("\\bexports\\s+([\\w.]+)\\s*(?:to\\s+([\\w.,\\s]+))?;")
        .matcher(text);
    while (m.find()) {
      Set<String> to = new TreeSet<>();
      if (m.group(2) != null) {
        for (String t : m.group(2).split(",")) {
          to.add(t.trim());
        }
      }
      out.put(m.group(1), to);
    }
    return out;
  }

  /** The JPMS name a module-info declares. */
  static String moduleName(Path moduleInfo) {
    try {
      Matcher m = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{")
          .matcher(Files.readString(moduleInfo).replaceAll("(?s)/\\*.*?\\*/", ""));
      if (!m.find()) {
        throw new IllegalStateException(moduleInfo + " declares no module");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
