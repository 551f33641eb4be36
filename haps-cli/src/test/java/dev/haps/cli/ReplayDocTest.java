package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.RouteRequest;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 8: the replay provider's settings as docs/providers.md documents them: the
 * configuration shown there, as is and with {@code data} pointing at a log folder.
 */
class ReplayDocTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static String documentedConfig() throws Exception {
    List<String> doc = Files.readAllLines(DocExamplesTest.repo().resolve("docs")
        .resolve("providers.md"));
    int section = doc.indexOf("## `replay` — recorded outcomes, offline");
    assertThat(section).as("the replay section of docs/providers.md").isPositive();
    int from = doc.subList(section, doc.size()).indexOf("```json") + section + 1;
    int to = doc.subList(from, doc.size()).indexOf("```") + from;
    return String.join("\n", doc.subList(from, to));
  }

  @Test
  void documentedConfig_answersWithTheBundledLogAndWithData(@TempDir Path tmp) throws Exception {
    String config = documentedConfig();
    Path data = SharedData.benchmark("concise-cot").orElseThrow();
    String question = JSON.readTree(Files.readAllLines(data.resolve("outcomes.jsonl")).get(0))
        .path("query").asText();
    ObjectNode withData = (ObjectNode) JSON.readTree(config);
    ((ObjectNode) withData.path("providers").path("offline")).put("data", data.toString());
    Files.writeString(tmp.resolve("bundled.json"), config);
    Files.writeString(tmp.resolve("data.json"), JSON.writeValueAsString(withData));
    try (HapsRouter router = HapsRouter.withDefaults()) {
      for (String file : List.of("bundled.json", "data.json")) {
        try (RoutingClient client = RoutingClient.fromConfig(tmp.resolve(file), router)) {
          CallResult r = client.call(RouteRequest.of(question, 0.3));
          assertThat(r.provider()).as(file).isEqualTo("offline");
          assertThat(r.completion().attributes()).as(file)
              .containsEntry("benchmark", "concise-cot").containsKey("score");
        }
      }
    }
  }
}
