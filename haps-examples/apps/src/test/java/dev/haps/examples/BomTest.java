package dev.haps.examples;

import static dev.haps.examples.PomXml.child;
import static dev.haps.examples.PomXml.children;
import static dev.haps.examples.PomXml.parse;
import static dev.haps.examples.PomXml.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Issue 16.19: a user imports {@code haps-bom} and adds any published artifact without a version,
 * test support ({@code haps-testing}) and the opt-in training engine included. The BOM must list
 * every jar module of the reactor except the ones that are not published for users (the
 * integration tests, the benchmarks and the examples).
 */
class BomTest {

  private static final Path ROOT = Path.of("..", "..");
  private static final Set<String> NOT_PUBLISHED = Set.of("haps-it", "haps-bench");

  @Test
  void bom_managesEveryPublishedModule_atTheProjectVersion() throws Exception {
    Set<String> modules = new TreeSet<>();
    collect(ROOT, modules);
    assertThat(modules).contains("haps-testing", "haps-train-torch", "haps-runtime");

    Element bom = parse(ROOT.resolve("haps-bom").resolve("pom.xml"));
    Set<String> managed = new TreeSet<>();
    for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"))) {
      assertThat(text(child(d, "groupId"))).isEqualTo("dev.haps");
      assertThat(text(child(d, "version"))).isEqualTo("${project.version}");
      managed.add(text(child(d, "artifactId")));
    }
    assertThat(managed).isEqualTo(modules);
  }

  /** The reactor's jar modules below {@code dir}, skipping the examples and unpublished ones. */
  private static void collect(Path dir, Set<String> out) throws Exception {
    Element pom = parse(dir.resolve("pom.xml"));
    String id = text(child(pom, "artifactId"));
    String packaging = text(child(pom, "packaging"));
    if (id.equals("haps-examples") || NOT_PUBLISHED.contains(id)) {
      return;
    }
    if (packaging.isEmpty() || packaging.equals("jar")) {
      out.add(id);
    }
    for (Element m : children(child(pom, "modules"))) {
      collect(dir.resolve(text(m)), out);
    }
  }
}
