package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.Candidate;
import dev.haps.api.RouteRequest;
import dev.haps.client.CallResult;
import dev.haps.client.RoutingClient;
import dev.haps.data.OutcomeLog;
import dev.haps.runtime.HapsRouter;
import dev.haps.testing.LoopbackServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3: the README's {@code RoutingClient} example, with its {@code haps.json} read
 * from the README itself, against an OpenAI-compatible server on loopback: every candidate the
 * file maps exists in the shipped bundle, the call succeeds, and {@code feedback} has somewhere to
 * go.
 */
class ReadmeClientTest {

  private static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\","
      + "\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"Suppose sqrt(2) = p/q in lowest terms...\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":12,"
      + "\"total_tokens\":32}}";

  static String readmeBlock(String after, String fence) throws Exception {
    List<String> readme = Files.readAllLines(DocExamplesTest.repo().resolve("README.md"));
    int at = -1;
    for (int i = 0; i < readme.size(); i++) {
      if (readme.get(i).contains(after)) {
        at = i;
        break;
      }
    }
    assertThat(at).as("README line containing " + after).isNotNegative();
    int from = readme.subList(at, readme.size()).indexOf(fence) + at + 1;
    int to = readme.subList(from, readme.size()).indexOf("```") + from;
    return String.join("\n", readme.subList(from, to));
  }

  @Test
  void readmeClientExample_callsAndRecordsFeedback(@TempDir Path dir) throws Exception {
    String config = readmeBlock("with `haps.json` mapping", "```json");
    String code = readmeBlock("wrap the router in a", "```java");
    assertThat(code).contains("RoutingClient.fromConfig(Path.of(\"haps.json\"))")
        .contains("client.feedback(r.callId(), 1.0);");
    Path file = Files.writeString(dir.resolve("haps.json"), config);
    try (LoopbackServer server = LoopbackServer.start();
        HapsRouter router = HapsRouter.withDefaults()) {
      server.otherwise(req -> LoopbackServer.Reply.json(200, COMPLETION));
      Map<String, String> env = Map.of("OPENAI_BASE_URL", server.url("/v1"),
          "OPENAI_API_KEY", "sk-test");
      List<String> bundleModels = router.candidates().stream().map(Candidate::model).toList();
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(config)
          .path("candidates").fieldNames()).toIterable()
          .allSatisfy(m -> assertThat(m).as("a candidate haps.json maps").isIn(bundleModels));

      // The README's snippet, with the environment given explicitly.
      try (RoutingClient client = RoutingClient.fromConfig(file, router, env::get)) {
        CallResult r = client.call(RouteRequest.of("Prove that sqrt(2) is irrational.", 0.3));
        assertThat(r.text()).startsWith("Suppose sqrt(2)");
        assertThat(r.summary()).contains(r.candidate());
        client.feedback(r.callId(), 1.0);
      }
      assertThat(server.requestCount()).isEqualTo(1);
    }
    OutcomeLog feedback = OutcomeLog.load(dir.resolve("feedback"));
    assertThat(feedback.records()).hasSize(1);
  }
}
