package dev.haps.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fixed benchmark queries: 257 real multiple-choice prompts from the concise-cot outcome log
 * (BSD-2-Clause, see {@code queries-NOTICE.txt}), from 90 to over 5,000 characters, interleaved
 * across its ten exams so that neighbours differ in length.
 *
 * <p>The count is odd on purpose. JMH's sample mode times every 2^k-th invocation (its sampling
 * mask runs on the low bits of a linear congruential generator), and a benchmark that cycles
 * through an even number of queries would then only ever time a fixed subset of them.
 *
 * <p>{@link #main(String[])} rebuilds the resource from {@code shared/data/concise-cot}: per exam,
 * queries ordered by the SHA-256 of their id, taken round-robin across exams until 257 are taken.
 *
 * @since 0.1.0
 */
public final class QuerySet {

  /** How many queries the set holds. */
  public static final int SIZE = 257;

  static final String RESOURCE = "dev/haps/bench/queries.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private QuerySet() {}

  /**
   * The benchmark queries, in their fixed order.
   *
   * @return {@value #SIZE} query texts
   * @throws IllegalStateException if the resource is missing or malformed
   */
  public static List<String> load() {
    ClassLoader loader = QuerySet.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("benchmark query set " + RESOURCE
            + " is not on the class path; rebuild haps-bench");
      }
      List<String> queries = new ArrayList<>();
      for (JsonNode row : readJsonl(in)) {
        queries.add(row.path("query").asText());
      }
      if (queries.size() != SIZE) {
        throw new IllegalStateException("benchmark query set " + RESOURCE + " has "
            + queries.size() + " queries; expected " + SIZE + ". Regenerate it with "
            + "QuerySet.main");
      }
      return List.copyOf(queries);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Every query of the outcome logs in the shared data folder (for the memory probe, which wants
   * more distinct queries than the fixed set), in file order.
   *
   * @param dataDir the folder holding the benchmark folders ({@code concise-cot}, ...)
   * @return the queries of every {@code outcomes.jsonl} found one level down; empty if none
   */
  public static List<String> allSharedQueries(Path dataDir) {
    List<String> out = new ArrayList<>();
    for (String bench : List.of("concise-cot", "routerbench-3task")) {
      Path file = dataDir.resolve(bench).resolve("outcomes.jsonl");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        for (JsonNode row : readJsonl(in)) {
          out.add(row.path("query").asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return out;
  }

  /**
   * The shared data folder: system property {@code haps.shared.dir} (its {@code data} child), or
   * the first {@code shared/data} found walking up from the working directory.
   *
   * @return the folder, if one exists
   */
  public static Optional<Path> sharedDataDir() {
    String prop = System.getProperty("haps.shared.dir");
    if (prop != null && Files.isDirectory(Path.of(prop, "data"))) {
      return Optional.of(Path.of(prop, "data"));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Rebuilds the resource from concise-cot.
   *
   * @param args {@code <concise-cot outcomes.jsonl> <output queries.jsonl>}
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: QuerySet <concise-cot/outcomes.jsonl> <queries.jsonl>");
      System.exit(2);
    }
    Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      for (JsonNode row : readJsonl(in)) {
        byTask.computeIfAbsent(row.path("task").asText(), t -> new ArrayList<>()).add(row);
      }
    }
    List<List<JsonNode>> tasks = new ArrayList<>();
    byTask.keySet().stream().sorted().forEach(t -> {
      List<JsonNode> rows = new ArrayList<>(byTask.get(t));
      rows.sort((a, b) -> sha256(a.path("id").asText()).compareTo(sha256(b.path("id").asText())));
      tasks.add(rows);
    });
    List<JsonNode> picked = new ArrayList<>();
    for (int round = 0; picked.size() < SIZE; round++) {
      boolean any = false;
      for (List<JsonNode> rows : tasks) {
        if (round < rows.size() && picked.size() < SIZE) {
          picked.add(rows.get(round));
          any = true;
        }
      }
      if (!any) {
        throw new IllegalStateException("only " + picked.size() + " queries in " + args[0]
            + "; need " + SIZE);
      }
    }
    try (Writer w = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      for (JsonNode row : picked) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", row.path("id").asText());
        out.put("task", row.path("task").asText());
        out.put("query", row.path("query").asText());
        w.write(JSON.writeValueAsString(out));
        w.write('\n');
      }
    }
    System.out.println("wrote " + picked.size() + " queries to " + args[1]);
  }

  private static List<JsonNode> readJsonl(InputStream in) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (!line.isBlank()) {
        rows.add(Objects.requireNonNull(JSON.readTree(line)));
      }
    }
    return rows;
  }

  private static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
