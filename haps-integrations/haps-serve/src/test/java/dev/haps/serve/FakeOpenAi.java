package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.testing.LoopbackServer;
import dev.haps.testing.LoopbackServer.Recorded;
import dev.haps.testing.LoopbackServer.Reply;

/**
 * Makes a {@link LoopbackServer} answer like an OpenAI-compatible Chat Completions server: the
 * answer echoes the model and the last user turn, streams when asked (with a usage chunk when
 * {@code stream_options.include_usage}), and calls the first tool when tools are given.
 */
final class FakeOpenAi {

  static final ObjectMapper JSON = new ObjectMapper();

  private FakeOpenAi() {}

  static LoopbackServer start() {
    LoopbackServer s = LoopbackServer.start();
    s.otherwise(FakeOpenAi::answer);
    return s;
  }

  static Reply answer(Recorded r) {
    if (!r.path().endsWith("/chat/completions")) {
      return Reply.json(404, "{\"error\":{\"message\":\"no such path\"}}");
    }
    JsonNode body = r.json();
    String model = body.path("model").asText();
    String text = "echo: " + lastUser(body);
    JsonNode tools = body.path("tools");
    boolean toolCall = tools.isArray() && !tools.isEmpty();
    if (body.path("stream").asBoolean(false)) {
      StringBuilder sb = new StringBuilder();
      String id = "chatcmpl-up1";
      sb.append(event(chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null)));
      if (toolCall) {
        sb.append(event(chunk(id, model, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\""
            + tools.path(0).path("function").path("name").asText()
            + "\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}", null)));
        sb.append(event(chunk(id, model, "{}", "tool_calls")));
      } else {
        for (String piece : text.split("(?<= )")) {
          sb.append(event(chunk(id, model, "{\"content\":" + quote(piece) + "}", null)));
        }
        sb.append(event(chunk(id, model, "{}", "stop")));
      }
      if (body.path("stream_options").path("include_usage").asBoolean(false)) {
        sb.append(event("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,"
            + "\"completion_tokens\":5,\"total_tokens\":12}}"));
      }
      sb.append("data: [DONE]\n\n");
      return Reply.events(sb.toString());
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("id", "chatcmpl-up1");
    out.put("object", "chat.completion");
    out.put("created", 1_700_000_000L);
    out.put("model", model);
    ArrayNode choices = out.putArray("choices");
    ObjectNode c = choices.addObject();
    c.put("index", 0);
    ObjectNode msg = c.putObject("message");
    msg.put("role", "assistant");
    if (toolCall) {
      msg.putNull("content");
      ObjectNode call = msg.putArray("tool_calls").addObject();
      call.put("id", "call_1");
      call.put("type", "function");
      call.putObject("function")
          .put("name", tools.path(0).path("function").path("name").asText())
          .put("arguments", "{\"city\":\"Paris\"}");
      c.put("finish_reason", "tool_calls");
    } else {
      msg.put("content", text);
      c.put("finish_reason", "stop");
    }
    c.putNull("logprobs");
    out.putObject("usage").put("prompt_tokens", 7).put("completion_tokens", 5)
        .put("total_tokens", 12);
    return Reply.json(200, out.toString());
  }

  static String lastUser(JsonNode body) {
    String last = "";
    for (JsonNode m : body.path("messages")) {
      if (m.path("role").asText().equals("user")) {
        JsonNode c = m.path("content");
        last = c.isTextual() ? c.asText() : c.path(0).path("text").asText();
      }
    }
    return last;
  }

  private static String chunk(String id, String model, String delta, String finish) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
        + "\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  private static String event(String data) {
    return "data: " + data + "\n\n";
  }

  private static String quote(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }
}
