package dev.haps.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 items 6 and 7: the first example of docs/runtime.md runs as written and its comments
 * say what the shipped bundle decides. The snippet below is the doc's; the expected values are
 * read from the doc's comments, so changing either without the other fails here.
 */
class RuntimeDocExampleTest {

  private static String doc() throws Exception {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null;
        d = d.getParent()) {
      Path f = d.resolve("docs").resolve("runtime.md");
      if (Files.isRegularFile(f)) {
        return Files.readString(f);
      }
    }
    throw new IllegalStateException("docs/runtime.md not found");
  }

  private static String comment(String doc, String call) {
    Matcher m = Pattern.compile(Pattern.quote(call) + "\\s*// (.*)").matcher(doc);
    assertThat(m.find()).as("docs/runtime.md has a comment after " + call).isTrue();
    return m.group(1).strip();
  }

  @Test
  void firstExample_runsAndItsCommentsAreTrue() throws Exception {
    String doc = doc();
    assertThat(doc).contains(".query(\"Prove that sqrt(2) is irrational.\")")
        .contains(".costWeight(0.7)");
    try (HapsRouter router = HapsRouter.builder()
        .bundle(RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE))
        .cache(CacheSettings.of(50_000, Duration.ofMinutes(30)))
        .build()) {
      RouteDecision d = router.route(RouteRequest.builder()
          .query("Prove that sqrt(2) is irrational.")
          .costWeight(0.7)
          .build());
      assertThat("\"" + d.model() + "\"").isEqualTo(comment(doc, "d.model();"));
      assertThat(d.parameters().toString()).isEqualTo(comment(doc, "d.parameters();"));
      String alt = d.alternatives().get(0).model() + " with "
          + d.alternatives().get(0).parameters();
      assertThat(comment(doc, "d.alternatives();")).startsWith("[" + alt + "]");
      Matcher p = Pattern.compile("\\{(\\S+)=([0-9.]+)\\.\\.\\., (\\S+)=([0-9.]+)\\.\\.\\.}")
          .matcher(comment(doc, "d.probabilities();"));
      assertThat(p.matches()).isTrue();
      assertThat(d.probabilities().get(p.group(1))).isCloseTo(Double.parseDouble(p.group(2)),
          within(0.01));
      assertThat(d.probabilities().get(p.group(3))).isCloseTo(Double.parseDouble(p.group(4)),
          within(0.01));
    }
  }
}
