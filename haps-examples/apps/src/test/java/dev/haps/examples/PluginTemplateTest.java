package dev.haps.examples;

import static dev.haps.examples.PomXml.child;
import static dev.haps.examples.PomXml.children;
import static dev.haps.examples.PomXml.parse;
import static dev.haps.examples.PomXml.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Issue 16.23: the example plugin's POM is one a plugin author can copy: it has no parent, takes
 * HAPS versions from the BOM, depends on haps-api only, and names the HAPS version it is built
 * against, kept equal to the build's own.
 */
class PluginTemplateTest {

  private static final Path POM = Path.of("..", "custom-provider-plugin", "pom.xml");

  @Test
  void pluginPom_isStandaloneAndUsesTheBom() throws Exception {
    Element project = parse(POM);
    assertThat(child(project, "parent")).as("a <parent> would make the POM uncopyable").isNull();

    String version = text(child(project, "version"));
    String hapsVersion = text(child(child(project, "properties"), "haps.version"));
    assertThat(hapsVersion).isEqualTo(version);

    List<String> imports = new ArrayList<>();
    for (Element d : children(child(child(project, "dependencyManagement"), "dependencies"))) {
      imports.add(text(child(d, "groupId")) + ":" + text(child(d, "artifactId")) + ":"
          + text(child(d, "version")) + ":" + text(child(d, "scope")));
    }
    assertThat(imports).contains("dev.haps:haps-bom:${haps.version}:import");

    List<String> hapsDeps = new ArrayList<>();
    for (Element d : children(child(project, "dependencies"))) {
      if (text(child(d, "groupId")).equals("dev.haps")) {
        hapsDeps.add(text(child(d, "artifactId")) + (child(d, "version") == null ? "" : "@v"));
      }
    }
    assertThat(hapsDeps).as("haps-api only, version from the BOM").containsExactly("haps-api");
  }
}
