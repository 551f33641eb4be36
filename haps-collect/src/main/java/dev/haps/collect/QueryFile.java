package dev.haps.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haps.api.error.ConfigurationException;
import dev.haps.data.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the queries to collect outcomes for, in one of two shapes:
 *
 * <ul>
 *   <li><b>JSON lines</b> (a {@code .jsonl} or {@code .json} file, or any file whose first
 *       non-blank line starts with <code>{</code>): one object per line with a string
 *       {@code query} and optionally {@code id} (string or number), {@code task},
 *       {@code answer} (or {@code reference}; string or number) and {@code split}
 *       ({@code train}, {@code valid} or {@code test}). Other fields are ignored, so an
 *       outcome log's {@code outcomes.jsonl} reads as a queries file.
 *   <li><b>plain text</b>: every non-blank line is one query.
 * </ul>
 *
 * <p>A query without an id gets {@code q-} and the first 12 hex digits of the SHA-256 of its
 * text, so the id stays the same when lines move. Two queries with one id fail, naming both
 * lines. Every problem names the file, the line and what to change.
 *
 * @since 0.1.0
 */
public final class QueryFile {

  /** The task of queries whose file gives none. */
  public static final String DEFAULT_TASK = "default";

  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryFile() {}

  /**
   * Reads a queries file.
   *
   * @param file the file
   * @param defaultTask the task of queries that give none
   * @return the queries, in file order
   * @throws ConfigurationException if the file cannot be read, a line is malformed, or two
   *     queries share an id; the message names the file and the line
   */
  public static List<CollectQuery> read(Path file, String defaultTask) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("queries file " + file + " cannot be read (" + e
          + "); check the path", e);
    }
    String name = file.getFileName() == null ? ""
        : file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".jsonl") || name.endsWith(".json")
        || (!name.endsWith(".txt") && firstContent(lines).startsWith("{"));
    List<CollectQuery> out = new ArrayList<>();
    Map<String, Integer> lineOfId = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int n = i + 1;
      CollectQuery q = json ? parse(file, n, line, defaultTask)
          : new CollectQuery(idOf(line.strip()), defaultTask, line.strip(), Optional.empty(),
              Optional.empty());
      Integer first = lineOfId.putIfAbsent(q.id(), n);
      if (first != null) {
        throw new ConfigurationException("queries file " + file + " line " + n + ": query id '"
            + q.id() + "' is already used on line " + first + (q.id().startsWith("q-")
                && !json ? " (the same text)" : "") + "; ids must be unique: remove the"
            + " duplicate or give each query its own id");
      }
      out.add(q);
    }
    if (out.isEmpty()) {
      throw new ConfigurationException("queries file " + file + " holds no query; write one"
          + " query per line, as text or as {\"query\": ...} JSON");
    }
    return out;
  }

  /**
   * The id given to a query without one: {@code q-} and 12 hex digits of the SHA-256 of the
   * text.
   *
   * @param text the query text
   * @return the id
   */
  public static String idOf(String text) {
    return "q-" + Hashing.sha256Hex(text).substring(0, 12);
  }

  private static String firstContent(List<String> lines) {
    for (String l : lines) {
      if (!l.isBlank()) {
        return l.strip();
      }
    }
    return "";
  }

  private static CollectQuery parse(Path file, int n, String line, String defaultTask) {
    String where = "queries file " + file + " line " + n + ": ";
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(where + "not a JSON object ("
          + e.getOriginalMessage() + "); write {\"query\": \"...\"} per line, or use a .txt"
          + " file for plain text", e);
    }
    if (node == null || !node.isObject()) {
      throw new ConfigurationException(where + "expected a JSON object with a \"query\"");
    }
    JsonNode q = node.get("query");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw new ConfigurationException(where + "needs a non-blank string \"query\"");
    }
    String text = q.asText();
    String id = scalar(node, "id", where).orElseGet(() -> idOf(text.strip()));
    if (id.isBlank()) {
      throw new ConfigurationException(where + "\"id\" is blank; give a non-blank id or none");
    }
    String task = scalar(node, "task", where).filter(t -> !t.isBlank()).orElse(defaultTask);
    Optional<String> answer = scalar(node, "answer", where);
    if (answer.isEmpty()) {
      answer = scalar(node, "reference", where);
    }
    Optional<Split> split = Optional.empty();
    Optional<String> s = scalar(node, "split", where);
    if (s.isPresent()) {
      try {
        split = Optional.of(Split.parse(s.get()));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where + "\"split\" is '" + s.get() + "'; use train,"
            + " valid or test, or leave it out to have one assigned", e);
      }
    }
    return new CollectQuery(id, task, text, answer, split);
  }

  private static Optional<String> scalar(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return Optional.of(v.asText());
    }
    throw new ConfigurationException(where + "\"" + field + "\" must be a string or a number,"
        + " found " + v.getNodeType().toString().toLowerCase(Locale.ROOT));
  }
}
