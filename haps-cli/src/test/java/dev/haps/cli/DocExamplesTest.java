package dev.haps.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 16 item 6: the example sessions in {@code docs/cli.md} (and the demo table in the
 * README) are what the commands print. Every {@code $ haps ...} line of a {@code text} block that
 * runs in seconds is run in-process and its output compared with the lines under it, line by
 * line: words exactly, numbers within 5 % (probabilities and costs move in the last digits with
 * the CPU's int8 kernels), times not at all. The sessions of {@code haps train}, {@code haps eval}
 * (minutes each) and {@code haps doctor} (machine-specific by design) are not run here, their
 * {@code --help} is; docs/cli.md says so.
 */
class DocExamplesTest {

  private static final Pattern COMMAND = Pattern.compile("^\\$ (?:\\./)?haps (.*)$");
  private static final Pattern NUMBER =
      Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
  // Sessions that need data the test does not have (a bundle trained on a log, a report folder
  // and a hand-edited copy of it) or print machine-specific figures; their --help blocks are
  // still checked.
  private static final List<String> SKIPPED = List.of("train", "eval", "doctor", "recompute");

  record Example(String source, String args, List<String> expected, Integer exitCode) {}

  static Path repo() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null;
        d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("docs").resolve("cli.md"))) {
        return d;
      }
    }
    throw new IllegalStateException("docs/cli.md not found above " + System.getProperty(
        "user.dir"));
  }

  static List<Example> examples(Path md) throws IOException {
    List<Example> out = new ArrayList<>();
    boolean inText = false;
    String args = null;
    List<String> expected = new ArrayList<>();
    Integer exit = null;
    List<String> lines = Files.readAllLines(md);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!inText) {
        inText = l.equals("```text");
        continue;
      }
      boolean end = l.equals("```");
      Matcher m = COMMAND.matcher(l);
      if (end || m.matches() || l.startsWith("$ ")) {
        if (args != null) {
          out.add(new Example(md.getFileName() + ": $ haps " + args, args, expected, exit));
        }
        args = null;
        expected = new ArrayList<>();
        exit = null;
        if (m.matches()) {
          args = m.group(1);
        } else if (l.equals("$ echo $?") && !out.isEmpty()) {
          Example last = out.remove(out.size() - 1);
          out.add(new Example(last.source(), last.args(), last.expected(),
              Integer.parseInt(lines.get(++i).strip())));
        }
        inText = !end;
        continue;
      }
      if (args != null) {
        expected.add(l);
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> cliMdSessions_matchWhatTheCommandsPrint() throws IOException {
    List<Example> all = examples(repo().resolve("docs").resolve("cli.md"));
    assertThat(all).as("examples found in docs/cli.md").hasSizeGreaterThan(4);
    return all.stream()
        .filter(e -> e.args().endsWith("--help")
            || SKIPPED.stream().noneMatch(s -> e.args().equals(s) || e.args().startsWith(s + " ")))
        .map(e -> DynamicTest.dynamicTest(e.source(), () -> check(e)));
  }

  @TestFactory
  Stream<DynamicTest> readmeDemoTable_isWhatTheDemoPrints() throws IOException {
    List<String> readme = Files.readAllLines(repo().resolve("README.md"));
    int from = readme.indexOf("```text");
    int to = readme.subList(from + 1, readme.size()).indexOf("```") + from + 1;
    List<String> table = readme.subList(from + 1, to);
    return Stream.of(DynamicTest.dynamicTest("README.md demo table", () -> {
      CliRun run = CliRun.of("demo", "--no-progress");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertLinesMatch(table, relevant(run.out()), true);
    }));
  }

  private static void check(Example e) {
    CliRun run = CliRun.of(split(e.args()).toArray(String[]::new));
    if (e.exitCode() != null) {
      assertThat(run.exitCode()).as(e.source()).isEqualTo(e.exitCode());
    }
    List<String> actual = relevant(run.out() + run.err());
    assertLinesMatch(e.expected(), actual, false);
  }

  /** Output without progress bars (stderr, timing-only) and trailing blank lines. */
  private static List<String> relevant(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\\R")) {
      if (!l.matches("^(\\S.*)?\\[[#.]+\\].*")) {
        out.add(l);
      }
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * Each expected line (progress bars dropped) matches the actual line at the same place; with
   * {@code subsequence}, the expected lines appear in order, contiguously, somewhere in actual.
   */
  static void assertLinesMatch(List<String> expected, List<String> actual, boolean subsequence) {
    List<String> want = relevant(String.join("\n", expected));
    if (!subsequence) {
      assertThat(actual).as("line count; actual:\n" + String.join("\n", actual))
          .hasSize(want.size());
      for (int i = 0; i < want.size(); i++) {
        assertThat(same(want.get(i), actual.get(i))).as("line " + (i + 1) + "\n  documented: "
            + want.get(i) + "\n  printed:    " + actual.get(i)).isTrue();
      }
      return;
    }
    for (int start = 0; start + want.size() <= actual.size(); start++) {
      boolean all = true;
      for (int i = 0; i < want.size() && all; i++) {
        all = same(want.get(i), actual.get(start + i));
      }
      if (all) {
        return;
      }
    }
    throw new AssertionError("documented lines not printed:\n" + String.join("\n", want)
        + "\nprinted:\n" + String.join("\n", actual));
  }

  /** Same words; numbers within 5 % (or 0.002); times (ms, s) ignored. */
  static boolean same(String documented, String printed) {
    String a = maskTimes(documented);
    String b = maskTimes(printed);
    Matcher ma = NUMBER.matcher(a);
    Matcher mb = NUMBER.matcher(b);
    int ia = 0;
    int ib = 0;
    while (true) {
      boolean fa = ma.find();
      boolean fb = mb.find();
      if (fa != fb) {
        return false;
      }
      String ta = fa ? a.substring(ia, ma.start()) : a.substring(ia);
      String tb = fb ? b.substring(ib, mb.start()) : b.substring(ib);
      if (!ta.equals(tb)) {
        return false;
      }
      if (!fa) {
        return true;
      }
      double x = Double.parseDouble(ma.group());
      double y = Double.parseDouble(mb.group());
      if (Math.abs(x - y) > Math.max(0.002, 0.05 * Math.max(Math.abs(x), Math.abs(y)))) {
        return false;
      }
      ia = ma.end();
      ib = mb.end();
    }
  }

  private static String maskTimes(String s) {
    return s.replaceAll("-?\\d+(\\.\\d+)?(E-?\\d+)? ms\\b", "T ms")
        .replaceAll("\"(encode|infer|total)_ms\":[-0-9.Ee]+", "\"$1_ms\":T")
        .replaceAll("\\bin \\d+(\\.\\d+)? s\\b", "in T s")
        .replaceAll("\\(\\d+(\\.\\d+)? s\\)", "(T s)");
  }

  /** Shell-like words: double or single quotes group, no escapes needed in the docs. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }
}
