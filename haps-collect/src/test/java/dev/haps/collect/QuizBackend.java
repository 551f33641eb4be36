package dev.haps.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Recorded;
import dev.haps.testing.LoopbackServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic OpenAI-compatible quiz backend on a {@link LoopbackServer}: arithmetic
 * questions, models that are right on a share of them that depends on the model, temperature,
 * system prompt and question (a fixed hash, the same in every JVM), token counts from the text
 * lengths, and a grading model ({@code judge-1}) that answers {@code Grade: 10} when the
 * response equals the reference and {@code Grade: 3} otherwise. Queries can be marked to fail
 * (HTTP 500 or malformed JSON) for a model.
 */
final class QuizBackend {

  static final ObjectMapper JSON = new ObjectMapper();

  final LoopbackServer server;
  /** "model|query" pairs answered with HTTP 500. */
  final Set<String> http500 = ConcurrentHashMap.newKeySet();
  /** "model|query" pairs answered with malformed JSON. */
  final Set<String> garbage = ConcurrentHashMap.newKeySet();
  /** Queries whose grading the judge answers without a grade. */
  final Set<String> judgeMumbles = ConcurrentHashMap.newKeySet();
  volatile boolean judgeDown;

  QuizBackend(LoopbackServer server) {
    this.server = server;
    server.route("/v1/chat/completions", this::reply);
  }

  static QuizBackend start() {
    return new QuizBackend(LoopbackServer.start());
  }

  /** The quiz: "What is a + b?" with the sum as the answer, from a seed. */
  static List<String[]> questions(int n, long seed) {
    Random r = new Random(seed);
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(900) + 10;
      int b = r.nextInt(900) + 10;
      out.add(new String[] {"q" + i, "What is " + a + " + " + b + "?", Integer.toString(a + b)});
    }
    return out;
  }

  /** Writes the quiz as a JSON-lines queries file (ids, answers, a task per parity). */
  static Path writeQueries(Path file, int n, long seed) {
    StringBuilder sb = new StringBuilder();
    for (String[] q : questions(n, seed)) {
      ObjectNode o = JSON.createObjectNode();
      o.put("id", q[0]);
      o.put("task", Integer.parseInt(q[0].substring(1)) % 2 == 0 ? "even" : "odd");
      o.put("query", q[1]);
      o.put("answer", q[2]);
      sb.append(o).append('\n');
    }
    try {
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * A collect configuration: provider "local" on this server with prices, candidates "strong"
   * (temperature 0 and 0.7) and "weak" (prompt_style baseline and concise): 4 configurations.
   */
  String config(String judge, String extra) {
    return "{\"benchmark\": \"quiz\",\n"
        + " \"providers\": {\"local\": {\"type\": \"openai\", \"baseUrl\": \"" + server.url("/v1")
        + "\", \"apiKey\": \"test-key\", \"price\": {\"strong-1\": {\"input\": 3, \"output\": 15},"
        + " \"weak-1\": {\"input\": 0.5, \"output\": 1.5}, \"judge-1\": {\"input\": 1,"
        + " \"output\": 2}}}},\n"
        + " \"candidates\": {\n"
        + "   \"strong\": {\"provider\": \"local\", \"model\": \"strong-1\","
        + " \"parameters\": {\"temperature\": [0, 0.7]}},\n"
        + "   \"weak\": {\"provider\": \"local\", \"model\": \"weak-1\","
        + " \"parameters\": {\"prompt_style\": [\"baseline\", \"concise\"]}}},\n"
        + " \"retry\": {\"maxRetries\": 2, \"initialBackoff\": 1, \"maxBackoff\": 5,"
        + " \"jitter\": 0},\n"
        + " \"judge\": " + judge + extra + "}\n";
  }

  static Path write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Model requests so far (the judge's excluded). */
  int modelRequests() {
    return (int) server.requests().stream().filter(r -> !r.model().equals("judge-1")).count();
  }

  int judgeRequests() {
    return (int) server.requests().stream().filter(r -> r.model().equals("judge-1")).count();
  }

  private Reply reply(Recorded r) {
    JsonNode body = r.json();
    String model = body.path("model").asText();
    JsonNode messages = body.path("messages");
    String system = "";
    String user = "";
    for (JsonNode m : messages) {
      if (m.path("role").asText().equals("system")) {
        system = m.path("content").asText();
      } else if (m.path("role").asText().equals("user")) {
        user = m.path("content").asText();
      }
    }
    String text;
    if (model.equals("judge-1")) {
      if (judgeDown) {
        return Reply.json(503, "{\"error\":{\"message\":\"judge overloaded\"}}");
      }
      String ref = between(user, "Reference answer:\n", "\n\nResponse:\n");
      String resp = user.substring(user.indexOf("\n\nResponse:\n") + 12);
      String question = between(user, "Question:\n", "\n\nReference answer:\n");
      if (judgeMumbles.contains(question)) {
        text = "I think it is quite good.";
      } else {
        text = resp.strip().equals(ref.strip()) ? "Grade: 10" : "Grade: 3";
      }
    } else {
      String key = model + "|" + user;
      if (http500.contains(key)) {
        return Reply.json(500, "{\"error\":{\"message\":\"internal error\"}}");
      }
      if (garbage.contains(key)) {
        return Reply.json(200, "{\"choices\": [{\"message\": ");
      }
      double temperature = body.path("temperature").asDouble(1.0);
      int accuracy = model.startsWith("strong") ? 80 : 45;
      if (system.contains("concise")) {
        accuracy += 20;
      }
      if (temperature > 0.5) {
        accuracy -= 15;
      }
      int h = Math.floorMod((model + "|" + temperature + "|" + system + "|" + user).hashCode(),
          100);
      long sum = sum(user);
      text = h < accuracy ? Long.toString(sum) : Long.toString(sum + 1 + h % 7);
    }
    int prompt = (system.length() + user.length()) / 4 + 5;
    int completion = model.startsWith("strong") ? 40 : 12;
    ObjectNode o = JSON.createObjectNode();
    o.put("id", "chatcmpl-" + Math.abs(r.body().hashCode()));
    o.put("object", "chat.completion");
    o.put("model", model);
    ObjectNode choice = o.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", "stop");
    o.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return Reply.json(200, o.toString());
  }

  private static long sum(String question) {
    String[] parts = question.replace("What is ", "").replace("?", "").split(" \\+ ");
    return Long.parseLong(parts[0].trim()) + Long.parseLong(parts[1].trim());
  }

  private static String between(String s, String a, String b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b, i + a.length());
    return i < 0 || j < 0 ? "" : s.substring(i + a.length(), j);
  }
}
