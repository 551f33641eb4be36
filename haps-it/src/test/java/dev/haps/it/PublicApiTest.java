package dev.haps.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.haps.api.Router;
import dev.haps.client.RoutingClient;
import dev.haps.runtime.HapsRouter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public API of haps-api, haps-runtime and haps-client against the baselines committed in
 * {@code <module>/api/<module>.api} ({@link ApiListing} writes them). Any change to an exported
 * type, constructor, method or field fails here until the baseline is updated on purpose:
 *
 * <pre>
 * ./mvnw -o -q -pl haps-it -am test -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false -Dhaps.api.update=true
 * </pre>
 *
 * <p>and the baseline's diff is reviewed with the change (docs/architecture.md, "Changing the
 * public API").
 */
class PublicApiTest {

  static final String UPDATE = "./mvnw -o -q -pl haps-it -am test -Dtest=PublicApiTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Dhaps.api.update=true";

  static Stream<Arguments> modules() {
    return Stream.of(
        Arguments.of("haps-api", Router.class),
        Arguments.of("haps-runtime", HapsRouter.class),
        Arguments.of("haps-client", RoutingClient.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void publicApi_matchesCommittedBaseline(String module, Class<?> anchor) throws IOException {
    String actual = ApiListing.of(anchor);
    Path baseline = Modules.root().resolve(module).resolve("api").resolve(module + ".api");
    if (Boolean.getBoolean("haps.api.update")) {
      Files.createDirectories(baseline.getParent());
      Files.writeString(baseline, actual, StandardCharsets.UTF_8);
      System.out.println("wrote " + baseline);
      return;
    }
    assertThat(baseline)
        .as("API baseline of %s is missing; create it with: %s", module, UPDATE)
        .exists();
    String expected = Files.readString(baseline, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      throw new AssertionError("the public API of " + module + " differs from " + module
          + "/api/" + module + ".api:\n" + diff(expected, actual) + "\nIf the change is"
          + " intended, update the baseline and commit it with the change:\n  " + UPDATE);
    }
  }

  /** Removed lines ("-") and added lines ("+"), each under the type it belongs to. */
  static String diff(String expected, String actual) {
    Set<String> before = blocks(expected);
    Set<String> after = blocks(actual);
    List<String> out = new ArrayList<>();
    for (String l : before) {
      if (!after.contains(l)) {
        out.add("- " + l);
      }
    }
    for (String l : after) {
      if (!before.contains(l)) {
        out.add("+ " + l);
      }
    }
    return String.join("\n", out);
  }

  /** Each line prefixed by its type's header line, so that members read in context. */
  private static Set<String> blocks(String listing) {
    Set<String> out = new LinkedHashSet<>();
    String type = "";
    for (String line : listing.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (!line.startsWith(" ")) {
        type = line;
        out.add(line);
      } else {
        out.add(type.replaceAll(" (extends|implements|permits) .*", "") + " :: " + line.strip());
      }
    }
    return out;
  }
}
