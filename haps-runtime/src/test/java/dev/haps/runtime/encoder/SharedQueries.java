package dev.haps.runtime.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Real queries from {@code shared/data} (train split only) for encoder tests and measurements. */
final class SharedQueries {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedQueries() {}

  /** The shared folder: system property {@code haps.shared.dir}, else walk up to {@code shared/data}. */
  static Path sharedDir() {
    String prop = System.getProperty("haps.shared.dir");
    if (prop != null && Files.isDirectory(Path.of(prop, "data"))) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("shared/data"))) {
        return p.resolve("shared");
      }
    }
    throw new IllegalStateException("shared/data not found; set -Dhaps.shared.dir");
  }

  /** Distinct train-split queries of one benchmark, in file order. */
  static List<String> queries(String benchmark) {
    Path file = sharedDir().resolve("data").resolve(benchmark).resolve("outcomes.jsonl");
    Set<String> out = new LinkedHashSet<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        if ("train".equals(n.path("split").asText())) {
          out.add(n.path("query").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(out);
  }

  /** {@code count} queries taken evenly from both benchmarks, alternating, deterministic. */
  static List<String> mixed(int count) {
    List<String> a = queries("concise-cot");
    List<String> b = queries("routerbench-3task");
    List<String> out = new ArrayList<>(count);
    for (int i = 0; out.size() < count; i++) {
      List<String> from = i % 2 == 0 ? a : b;
      int stride = Math.max(1, from.size() / ((count + 1) / 2 + 1));
      out.add(from.get((i / 2 * stride) % from.size()));
    }
    return out;
  }

  /** One long real text: train queries joined until it has at least {@code chars} characters. */
  static String longText(int chars) {
    StringBuilder sb = new StringBuilder(chars + 8192);
    List<String> a = queries("concise-cot");
    for (int i = 0; sb.length() < chars; i++) {
      sb.append(a.get(i % a.size())).append("\n\n");
    }
    return sb.toString();
  }
}
