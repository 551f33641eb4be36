package dev.haps.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.provider.http.HttpFailures;
import dev.haps.provider.http.HttpLlmProvider;
import dev.haps.provider.http.HttpTransport;
import dev.haps.provider.http.Json;
import dev.haps.provider.http.SseEvent;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.TokenUsage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client of Anthropic's Messages API. System turns become the top-level {@code system} field;
 * {@code max_tokens}, which the API requires, is sent at the configured default when a call
 * gives none (the only value this provider ever fills in). Thread-safe.
 */
final class AnthropicProvider extends HttpLlmProvider {

  static final long DEFAULT_MAX_TOKENS = 1024;
  static final long MAX_TOKENS_LIMIT = 131_072;

  private final long defaultMaxTokens;
  private final ParameterSpace space;

  AnthropicProvider(HttpTransport transport, String version, long defaultMaxTokens) {
    super(transport, "/v1/messages", Map.of(
        "x-api-key", transport.settings().apiKey().orElseThrow().reveal(),
        "anthropic-version", version));
    this.defaultMaxTokens = defaultMaxTokens;
    this.space = ParameterSpace.of(
        FloatSpec.of("temperature", 0.0, 1.0, 1.0),
        FloatSpec.of("top_p", 0.0, 1.0, 1.0),
        IntSpec.of("top_k", 1, 500, 500),
        IntSpec.of("max_tokens", 1, MAX_TOKENS_LIMIT, defaultMaxTokens));
  }

  @Override
  protected ParameterSpace space(String model) {
    return space;
  }

  @Override
  public boolean supportsStreaming() {
    return true;
  }

  @Override
  protected ObjectNode body(ChatRequest request, ParameterValues values, boolean stream) {
    ObjectNode body = Json.object();
    body.put("model", request.model());
    StringBuilder system = new StringBuilder();
    ArrayNode messages = Json.mapper().createArrayNode();
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
      } else {
        messages.addObject()
            .put("role", m.role().name().toLowerCase(Locale.ROOT))
            .put("content", m.content());
      }
    }
    if (system.length() > 0) {
      body.put("system", system.toString());
    }
    body.set("messages", messages);
    if (!values.names().contains("max_tokens")) {
      body.put("max_tokens", defaultMaxTokens);
    }
    for (Map.Entry<String, Object> e : values.asMap().entrySet()) {
      Json.put(body, e.getKey(), e.getValue());
    }
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  @Override
  protected Completion parse(ChatRequest request, JsonNode answer, Duration latency) {
    JsonNode content = answer.path("content");
    if (!content.isArray()) {
      throw HttpFailures.malformed(id(), request.model(), "the answer has no content array",
          null);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if ("text".equals(block.path("type").asText())) {
        text.append(block.path("text").asText());
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Json.putText(attributes, "stop_reason", answer.path("stop_reason"));
    Json.putText(attributes, "id", answer.path("id"));
    JsonNode usage = answer.path("usage");
    return completion(request, text.toString(), Json.text(answer, "model", ""),
        usage(usage, 0), usage.isObject(), latency, attributes);
  }

  @Override
  protected StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta) {
    return new StreamAssembler(onDelta, "event: message_stop") {
      @Override
      protected boolean onEvent(SseEvent event) {
        switch (event.event()) {
          case "ping", "content_block_start", "content_block_stop" -> {
            return false;
          }
          case "message_stop" -> {
            return true;
          }
          default -> {
            // message_start, content_block_delta, message_delta, error, and future events
          }
        }
        JsonNode data = transport().eventJson(request.model(), event);
        switch (event.event()) {
          case "error" -> throw HttpFailures.inBand(id(), request.model(), data,
              settings().apiKey().orElse(null));
          case "message_start" -> {
            JsonNode message = data.path("message");
            model = Json.text(message, "model", model);
            Json.putText(attributes, "id", message.path("id"));
            if (message.path("usage").isObject()) {
              usage = usage(message.path("usage"), 0);
            }
          }
          case "content_block_delta" -> {
            JsonNode delta = data.path("delta");
            if ("text_delta".equals(delta.path("type").asText())) {
              delta(delta.path("text").asText());
            }
          }
          case "message_delta" -> {
            Json.putText(attributes, "stop_reason", data.path("delta").path("stop_reason"));
            if (data.path("usage").has("output_tokens")) {
              usage = usage(data.path("usage"), usage == null ? 0 : usage.inputTokens());
            }
          }
          default -> {
            // Events this version does not know carry nothing it needs.
          }
        }
        return false;
      }
    };
  }

  /** Usage from a usage object; input tokens fall back to what an earlier event reported. */
  private static TokenUsage usage(JsonNode usage, long knownInput) {
    return new TokenUsage(usage.has("input_tokens") ? Json.count(usage, "input_tokens")
        : knownInput, Json.count(usage, "output_tokens"));
  }
}
