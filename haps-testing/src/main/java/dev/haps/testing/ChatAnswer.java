package dev.haps.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One assistant answer of a {@linkplain LoopbackServer#chat fake chat backend}, in protocol-neutral
 * terms: the text (and how a stream splits it into deltas), the model, token usage (reasoning
 * and cached tokens included), the finish reason and tool calls. The server renders it as an
 * OpenAI Chat Completions answer or an Anthropic Messages answer, as JSON or as server-sent
 * events, whichever the request asked for. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * server.chat(request -> ChatAnswer.of("4")
 *     .usage(12, 3)
 *     .reasoningTokens(2)                                   // completion_tokens_details
 *     .toolCall("call_1", "calculator", "{\"expr\":\"2+2\"}"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ChatAnswer {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A tool call in an answer.
   *
   * @param id the call's id
   * @param name the tool's name
   * @param arguments the arguments as JSON text
   * @since 0.1.0
   */
  public record ToolCall(String id, String name, String arguments) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the arguments are not a JSON object
     */
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
      if (!parse(arguments).isObject()) {
        throw new IllegalArgumentException("tool call '" + name + "' arguments must be a JSON"
            + " object, got " + arguments);
      }
    }
  }

  private final List<String> deltas;
  private final String model;
  private final int promptTokens;
  private final int completionTokens;
  private final int reasoningTokens;
  private final int cachedTokens;
  private final String finishReason;
  private final List<ToolCall> toolCalls;

  private ChatAnswer(List<String> deltas, String model, int promptTokens, int completionTokens,
      int reasoningTokens, int cachedTokens, String finishReason, List<ToolCall> toolCalls) {
    this.deltas = List.copyOf(deltas);
    this.model = model;
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.reasoningTokens = reasoningTokens;
    this.cachedTokens = cachedTokens;
    this.finishReason = finishReason;
    this.toolCalls = List.copyOf(toolCalls);
  }

  /**
   * An answer with this text, streamed word by word (each delta keeps its trailing space), with
   * zero usage, the request's model and the protocol's usual finish reason.
   *
   * @param text the text, may be empty
   * @return the answer
   */
  public static ChatAnswer of(String text) {
    Objects.requireNonNull(text, "text");
    List<String> parts = new ArrayList<>();
    for (String p : text.split("(?<= )")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return new ChatAnswer(parts, null, 0, 0, -1, -1, null, List.of());
  }

  /**
   * An answer whose text is these deltas joined, streamed exactly as given.
   *
   * @param deltas the stream's text deltas, in order
   * @return the answer
   */
  public static ChatAnswer streamed(String... deltas) {
    for (String d : deltas) {
      Objects.requireNonNull(d, "delta");
    }
    return new ChatAnswer(List.of(deltas), null, 0, 0, -1, -1, null, List.of());
  }

  /**
   * The same answer from a named model (default: the model the request named).
   *
   * @param model the model the answer says it came from
   * @return a copy
   */
  public ChatAnswer model(String model) {
    return new ChatAnswer(deltas, Objects.requireNonNull(model, "model"), promptTokens,
        completionTokens, reasoningTokens, cachedTokens, finishReason, toolCalls);
  }

  /**
   * The same answer with token usage.
   *
   * @param promptTokens input tokens, 0 or more
   * @param completionTokens output tokens, 0 or more
   * @return a copy
   */
  public ChatAnswer usage(int promptTokens, int completionTokens) {
    requireCount(promptTokens, "promptTokens");
    requireCount(completionTokens, "completionTokens");
    return new ChatAnswer(deltas, model, promptTokens, completionTokens, reasoningTokens,
        cachedTokens, finishReason, toolCalls);
  }

  /**
   * The same answer reporting reasoning tokens, as OpenAI's
   * {@code usage.completion_tokens_details.reasoning_tokens} (absent unless set; Anthropic's
   * usage has no such field and counts them in {@code output_tokens}).
   *
   * @param tokens 0 or more
   * @return a copy
   */
  public ChatAnswer reasoningTokens(int tokens) {
    requireCount(tokens, "reasoningTokens");
    return new ChatAnswer(deltas, model, promptTokens, completionTokens, tokens, cachedTokens,
        finishReason, toolCalls);
  }

  /**
   * The same answer reporting cached input tokens: OpenAI's
   * {@code usage.prompt_tokens_details.cached_tokens}, Anthropic's
   * {@code usage.cache_read_input_tokens} (absent unless set).
   *
   * @param tokens 0 or more
   * @return a copy
   */
  public ChatAnswer cachedTokens(int tokens) {
    requireCount(tokens, "cachedTokens");
    return new ChatAnswer(deltas, model, promptTokens, completionTokens, reasoningTokens, tokens,
        finishReason, toolCalls);
  }

  /**
   * The same answer with a finish reason, sent as given (default: {@code stop} or
   * {@code tool_calls} for OpenAI, {@code end_turn} or {@code tool_use} for Anthropic).
   *
   * @param reason e.g. {@code length} or {@code max_tokens}
   * @return a copy
   */
  public ChatAnswer finishReason(String reason) {
    return new ChatAnswer(deltas, model, promptTokens, completionTokens, reasoningTokens,
        cachedTokens, Objects.requireNonNull(reason, "reason"), toolCalls);
  }

  /**
   * The same answer with one more tool call.
   *
   * @param id the call's id
   * @param name the tool's name
   * @param argumentsJson the arguments, a JSON object
   * @return a copy
   * @throws IllegalArgumentException if the arguments are not a JSON object
   */
  public ChatAnswer toolCall(String id, String name, String argumentsJson) {
    List<ToolCall> calls = new ArrayList<>(toolCalls);
    calls.add(new ToolCall(id, name, argumentsJson));
    return new ChatAnswer(deltas, model, promptTokens, completionTokens, reasoningTokens,
        cachedTokens, finishReason, calls);
  }

  /**
   * The whole text.
   *
   * @return the deltas joined
   */
  public String text() {
    return String.join("", deltas);
  }

  /**
   * The tool calls, in order.
   *
   * @return an unmodifiable list
   */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  @Override
  public String toString() {
    return "ChatAnswer{" + text() + (toolCalls.isEmpty() ? "" : ", " + toolCalls) + "}";
  }

  // ---- OpenAI Chat Completions ----

  /** The OpenAI answer to a request: JSON, or events when the request asked to stream. */
  LoopbackServer.Reply openAi(LoopbackServer.Recorded request) {
    String m = model == null ? request.model() : model;
    if (!request.stream()) {
      return LoopbackServer.Reply.json(200, openAiJson(m).toString());
    }
    boolean includeUsage = request.json().path("stream_options").path("include_usage")
        .asBoolean(false);
    List<String> events = new ArrayList<>();
    events.add(event(null, openAiChunk(m).set("choices", MAPPER.createArrayNode().add(
        choice().set("delta", MAPPER.createObjectNode().put("role", "assistant")
            .put("content", ""))))));
    int firstText = deltas.isEmpty() ? 1 : 2;
    for (String d : deltas) {
      events.add(event(null, openAiChunk(m).set("choices", MAPPER.createArrayNode().add(
          choice().set("delta", MAPPER.createObjectNode().put("content", d))))));
    }
    for (int i = 0; i < toolCalls.size(); i++) {
      ObjectNode delta = MAPPER.createObjectNode();
      delta.putArray("tool_calls").add(openAiToolCall(toolCalls.get(i)).put("index", i));
      events.add(event(null, openAiChunk(m).set("choices",
          MAPPER.createArrayNode().add(choice().set("delta", delta)))));
    }
    ObjectNode last = choice();
    last.putObject("delta");
    last.put("finish_reason", openAiFinish());
    events.add(event(null, openAiChunk(m).set("choices", MAPPER.createArrayNode().add(last))));
    if (includeUsage) {
      ObjectNode chunk = openAiChunk(m);
      chunk.putArray("choices");
      chunk.set("usage", openAiUsage());
      events.add(event(null, chunk));
    }
    events.add("data: [DONE]\n\n");
    return LoopbackServer.Reply.events(String.join("", events)).textAt(firstText);
  }

  private ObjectNode openAiJson(String m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", "chatcmpl-haps-testing").put("object", "chat.completion").put("created", 0)
        .put("model", m);
    ObjectNode message = MAPPER.createObjectNode().put("role", "assistant").put("content", text());
    if (!toolCalls.isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      toolCalls.forEach(t -> calls.add(openAiToolCall(t)));
    }
    ObjectNode choice = choice();
    choice.set("message", message);
    choice.put("finish_reason", openAiFinish());
    root.putArray("choices").add(choice);
    root.set("usage", openAiUsage());
    return root;
  }

  private ObjectNode openAiChunk(String m) {
    return MAPPER.createObjectNode().put("id", "chatcmpl-haps-testing")
        .put("object", "chat.completion.chunk").put("created", 0).put("model", m);
  }

  private static ObjectNode choice() {
    return MAPPER.createObjectNode().put("index", 0);
  }

  private static ObjectNode openAiToolCall(ToolCall t) {
    ObjectNode call = MAPPER.createObjectNode().put("id", t.id()).put("type", "function");
    call.putObject("function").put("name", t.name()).put("arguments", t.arguments());
    return call;
  }

  private String openAiFinish() {
    return finishReason != null ? finishReason : toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  private ObjectNode openAiUsage() {
    ObjectNode usage = MAPPER.createObjectNode().put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    if (cachedTokens >= 0) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    }
    if (reasoningTokens >= 0) {
      usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
    }
    return usage;
  }

  // ---- Anthropic Messages ----

  /** The Anthropic answer to a request: JSON, or events when the request asked to stream. */
  LoopbackServer.Reply anthropic(LoopbackServer.Recorded request) {
    String m = model == null ? request.model() : model;
    if (!request.stream()) {
      ObjectNode root = anthropicMessage(m);
      ArrayNode content = root.putArray("content");
      if (!deltas.isEmpty() || toolCalls.isEmpty()) {
        content.addObject().put("type", "text").put("text", text());
      }
      toolCalls.forEach(t -> content.addObject().put("type", "tool_use").put("id", t.id())
          .put("name", t.name()).set("input", parse(t.arguments())));
      root.put("stop_reason", anthropicStop());
      root.set("usage", anthropicUsage(promptTokens, completionTokens));
      return LoopbackServer.Reply.json(200, root.toString());
    }
    List<String> events = new ArrayList<>();
    ObjectNode start = anthropicMessage(m);
    start.putArray("content");
    start.putNull("stop_reason");
    start.set("usage", anthropicUsage(promptTokens, Math.min(1, completionTokens)));
    events.add(event("message_start", MAPPER.createObjectNode().put("type", "message_start")
        .set("message", start)));
    int index = 0;
    int firstText = 1;
    if (!deltas.isEmpty()) {
      events.add(event("content_block_start", block("content_block_start", index)
          .set("content_block", MAPPER.createObjectNode().put("type", "text").put("text", ""))));
      firstText = events.size() + 1;
      for (String d : deltas) {
        events.add(event("content_block_delta", block("content_block_delta", index)
            .set("delta", MAPPER.createObjectNode().put("type", "text_delta").put("text", d))));
      }
      events.add(event("content_block_stop", block("content_block_stop", index)));
      index++;
    }
    for (ToolCall t : toolCalls) {
      ObjectNode use = MAPPER.createObjectNode().put("type", "tool_use").put("id", t.id())
          .put("name", t.name());
      use.putObject("input");
      events.add(event("content_block_start", block("content_block_start", index)
          .set("content_block", use)));
      events.add(event("content_block_delta", block("content_block_delta", index)
          .set("delta", MAPPER.createObjectNode().put("type", "input_json_delta")
              .put("partial_json", t.arguments()))));
      events.add(event("content_block_stop", block("content_block_stop", index)));
      index++;
    }
    ObjectNode delta = MAPPER.createObjectNode().put("stop_reason", anthropicStop());
    delta.putNull("stop_sequence");
    ObjectNode messageDelta = MAPPER.createObjectNode().put("type", "message_delta");
    messageDelta.set("delta", delta);
    messageDelta.putObject("usage").put("output_tokens", completionTokens);
    events.add(event("message_delta", messageDelta));
    events.add(event("message_stop", MAPPER.createObjectNode().put("type", "message_stop")));
    return LoopbackServer.Reply.events(String.join("", events)).textAt(firstText);
  }

  private static ObjectNode anthropicMessage(String m) {
    return MAPPER.createObjectNode().put("id", "msg_haps_testing").put("type", "message")
        .put("role", "assistant").put("model", m);
  }

  private static ObjectNode block(String type, int index) {
    return MAPPER.createObjectNode().put("type", type).put("index", index);
  }

  private String anthropicStop() {
    return finishReason != null ? finishReason : toolCalls.isEmpty() ? "end_turn" : "tool_use";
  }

  private ObjectNode anthropicUsage(int in, int out) {
    ObjectNode usage = MAPPER.createObjectNode().put("input_tokens", in).put("output_tokens", out);
    if (cachedTokens >= 0) {
      usage.put("cache_read_input_tokens", cachedTokens);
    }
    return usage;
  }

  // ---- shared ----

  private static String event(String name, JsonNode data) {
    return (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private static void requireCount(int n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be 0 or more, got " + n);
    }
  }
}
