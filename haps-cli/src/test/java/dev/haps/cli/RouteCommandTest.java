package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haps route} end to end with a real bundle in ONNX Runtime. */
class RouteCommandTest {

  @TempDir Path tmp;

  private static String bundle() {
    return TestBundle.get().toString();
  }

  @Test
  void route_text_printsModelParametersAlternativesAndTimings() {
    CliRun run = CliRun.of("route", "--bundle", bundle(), "What is 17 * 23?");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("query          What is 17 * 23?", "cost weight    0.5",
        "model          gpt-", "parameters     prompt_style=", "probabilities  gpt-",
        "alternatives   #2 gpt-", "timings        encode ", "bundle         ");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void route_jsonWithTheDefaultBundle_printsOneParsableObjectPerQuery() throws Exception {
    CliRun run = CliRun.of("route", "--json", "--cost-weight", "1",
        "What is 17 * 23?", "Name the largest planet of the solar system.");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().strip().split("\\R");
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode n = DecisionFormat.JSON.readTree(line);
      assertThat(n.get("cost_weight").asDouble()).isEqualTo(1.0);
      assertThat(n.get("model").asText()).isIn("gpt-4", "gpt-35-turbo");
      assertThat(n.get("parameters").get("prompt_style").asText())
          .isIn("baseline", "concise", "chain_of_thought", "composite");
      double total = n.get("probability").asDouble();
      for (JsonNode a : n.get("alternatives")) {
        total += a.get("probability").asDouble();
        assertThat(a.get("parameters").has("prompt_style")).isTrue();
      }
      assertThat(total).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      assertThat(n.get("timings").get("total_ms").asDouble()).isPositive();
      assertThat(n.get("bundle").get("id").asText()).isEqualTo("haps-concise-cot");
    }
    assertThat(DecisionFormat.JSON.readTree(lines[1]).get("query").asText())
        .isEqualTo("Name the largest planet of the solar system.");
  }

  @Test
  void route_brokenBundle_failsWithOneLineAndExitOne() throws Exception {
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("manifest.json"), "{\"format\": \"haps-router-bundle\"");

    CliRun run = CliRun.of("route", "--bundle", broken.toString(), "q");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("haps route: ").contains(broken.toString()).contains("manifest.json")
        .doesNotContain("Exception");
  }

  @Test
  void route_brokenBundleVerbose_addsTheStackTrace() throws Exception {
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(broken.resolve("manifest.json"), "[]");

    CliRun run = CliRun.of("route", "--verbose", "--bundle", broken.toString(), "q");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()[0]).startsWith("haps route: ");
    assertThat(run.err()).contains("BundleException", "\tat dev.haps.");
  }
}
