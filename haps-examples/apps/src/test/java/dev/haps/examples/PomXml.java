package dev.haps.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Just enough DOM reading for the tests that hold POMs to what users copy. */
final class PomXml {

  private PomXml() {}

  static Element parse(Path pom) throws Exception {
    assertThat(pom).isRegularFile();
    try (var in = Files.newInputStream(pom)) {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)
          .getDocumentElement();
    }
  }

  /** The first child element named {@code name}, or null (also for a null parent). */
  static Element child(Element parent, String name) {
    for (Element e : children(parent)) {
      if (e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The child elements, none for a null parent. */
  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        out.add((Element) nodes.item(i));
      }
    }
    return out;
  }

  /** The trimmed text, empty for a null element. */
  static String text(Element e) {
    return e == null ? "" : e.getTextContent().trim();
  }
}
