package dev.haps.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every {@code curl} example of docs/serve.md, with bash and curl, against a real server. */
class DocsCurlTest {

  static final Path DOC = Path.of("../../docs/serve.md");

  static List<String> examples() throws IOException {
    Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      if (m.group(1).contains("$HAPS_URL")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Test
  void everyCurlExample_runsAndAnswersAsTheDocSays(@TempDir Path dir) throws Exception {
    for (String tool : List.of("bash", "curl", "jq")) {
      assumeTrue(new ProcessBuilder("which", tool).start().waitFor() == 0, tool + " is missing");
    }
    List<String> examples = examples();
    assertThat(examples).as("curl examples in " + DOC).hasSizeGreaterThanOrEqualTo(8);
    try (ServeFixture fx = new ServeFixture(dir)) {
      for (String example : examples) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", example)
            .redirectErrorStream(true);
        pb.environment().putAll(Map.of("HAPS_URL", fx.server.url().toString(),
            "HAPS_KEY", ServeFixture.KEY));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(example + "\n->\n" + out).isZero();
        assertThat(out).as(example).isNotBlank();
        if (example.contains("sk-not-a-key")) {
          assertThat(out).contains("\"code\":\"invalid_api_key\"");
        } else {
          assertThat(out).as(example).doesNotContain("\"error\"");
        }
        if (example.contains("\"stream\": true")) {
          assertThat(out).contains("data: [DONE]");
        }
        if (example.contains("grep -i '^x-haps-'")) {
          assertThat(out.toLowerCase(java.util.Locale.ROOT))
              .contains("x-haps-model:", "x-haps-parameters:", "x-haps-cost-weight:");
        }
        if (example.contains("/v1/feedback")) {
          assertThat(out).contains("\"accepted\":true");
        }
      }
    }
  }
}
