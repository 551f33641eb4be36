package dev.haps.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.InvalidParameterException;
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
 * gives none (the only value this provider ever fills in).
 *
 * <p>Extended thinking is the int parameter {@code thinking_budget} (budget tokens; 0 = off, sent
 * as no {@code thinking} field). The Messages API's rules are enforced before any request: a
 * budget of at least {@value #MIN_THINKING_BUDGET} and below {@code max_tokens}, and, while
 * thinking is on, no {@code temperature} other than 1, no {@code top_k}, and {@code top_p} only
 * in [{@value #MIN_THINKING_TOP_P}, 1]. Thinking blocks are kept out of the answer text unless the
 * provider is configured with {@code includeThinking}; thinking tokens are part of
 * {@code output_tokens} and priced with them. Thread-safe.
 */
final class AnthropicProvider extends HttpLlmProvider {

  static final long DEFAULT_MAX_TOKENS = 1024;
  static final long MAX_TOKENS_LIMIT = 131_072;
  /** The smallest budget the Messages API accepts for {@code thinking.budget_tokens}. */
  static final long MIN_THINKING_BUDGET = 1024;
  /** The smallest {@code top_p} the Messages API accepts while thinking is on. */
  static final double MIN_THINKING_TOP_P = 0.95;
  static final String THINKING_BUDGET = "thinking_budget";

  private final long defaultMaxTokens;
  private final boolean includeThinking;
  private final ParameterSpace space;

  AnthropicProvider(HttpTransport transport, String version, long defaultMaxTokens,
      boolean includeThinking) {
    super(transport, "/v1/messages", Map.of(
        "x-api-key", transport.settings().apiKey().orElseThrow().reveal(),
        "anthropic-version", version));
    this.defaultMaxTokens = defaultMaxTokens;
    this.includeThinking = includeThinking;
    this.space = ParameterSpace.of(
        FloatSpec.of("temperature", 0.0, 1.0, 1.0),
        FloatSpec.of("top_p", 0.0, 1.0, 1.0),
        IntSpec.of("top_k", 1, 500, 500),
        IntSpec.of("max_tokens", 1, MAX_TOKENS_LIMIT, defaultMaxTokens),
        IntSpec.of(THINKING_BUDGET, 0, MAX_TOKENS_LIMIT - 1, 0));
  }

  @Override
  protected ParameterSpace space(String model) {
    return space;
  }

  @Override
  public boolean supportsStreaming() {
    return true;
  }

  /** The space's checks, then the Messages API's rules for extended thinking. */
  @Override
  protected ParameterValues checkParameters(ChatRequest request, ParameterValues given) {
    ParameterValues v = super.checkParameters(request, given);
    long budget = v.names().contains(THINKING_BUDGET) ? v.getLong(THINKING_BUDGET) : 0;
    if (budget == 0) {
      return v;
    }
    String prefix = "provider '" + id() + "' model '" + request.model() + "': ";
    if (budget < MIN_THINKING_BUDGET) {
      throw new InvalidParameterException(THINKING_BUDGET, Long.toString(budget), prefix
          + "thinking_budget = " + budget + " is below the Messages API's minimum of "
          + MIN_THINKING_BUDGET + " budget tokens; use 0 (thinking off) or at least "
          + MIN_THINKING_BUDGET);
    }
    long maxTokens = v.names().contains("max_tokens") ? v.getLong("max_tokens") : defaultMaxTokens;
    if (budget >= maxTokens) {
      throw new InvalidParameterException(THINKING_BUDGET, Long.toString(budget), prefix
          + "thinking_budget = " + budget + " must be below max_tokens = " + maxTokens
          + (v.names().contains("max_tokens") ? "" : " (the provider's maxTokens default)")
          + ", because thinking counts inside max_tokens; raise max_tokens or lower the budget");
    }
    String thinking = " while thinking is on (thinking_budget = " + budget + ")";
    if (v.names().contains("temperature") && v.getDouble("temperature") != 1.0) {
      throw new InvalidParameterException("temperature", v.get("temperature").orElseThrow()
          .toString(), prefix + "temperature = " + v.getDouble("temperature")
          + " cannot be changed" + thinking + ": the Messages API allows only 1; leave"
          + " temperature out or turn thinking off");
    }
    if (v.names().contains("top_k")) {
      throw new InvalidParameterException("top_k", Long.toString(v.getLong("top_k")), prefix
          + "top_k = " + v.getLong("top_k") + " cannot be set" + thinking
          + ": the Messages API refuses top_k with thinking; leave top_k out or turn thinking off");
    }
    if (v.names().contains("top_p") && v.getDouble("top_p") < MIN_THINKING_TOP_P) {
      throw new InvalidParameterException("top_p", Double.toString(v.getDouble("top_p")), prefix
          + "top_p = " + v.getDouble("top_p") + " is below " + MIN_THINKING_TOP_P + thinking
          + ": the Messages API allows top_p only in [" + MIN_THINKING_TOP_P + ", 1] with"
          + " thinking; raise it or leave it out");
    }
    return v;
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
      if (e.getKey().equals(THINKING_BUDGET)) {
        long budget = (Long) e.getValue();
        if (budget > 0) {
          body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        }
      } else {
        Json.put(body, e.getKey(), e.getValue());
      }
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
      String type = block.path("type").asText();
      if ("text".equals(type)) {
        text.append(block.path("text").asText());
      } else if ("thinking".equals(type) && includeThinking) {
        text.append(THINKING_OPEN).append(block.path("thinking").asText()).append(THINKING_CLOSE);
      }
      // redacted_thinking carries only encrypted data: never text.
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Json.putText(attributes, "stop_reason", answer.path("stop_reason"));
    Json.putText(attributes, "id", answer.path("id"));
    JsonNode usage = answer.path("usage");
    return completion(request, text.toString(), Json.text(answer, "model", ""),
        usage(usage, 0), usage.isObject(), latency, attributes);
  }

  /** Wraps thinking in the answer text when {@code includeThinking} asks for it. */
  static final String THINKING_OPEN = "<thinking>\n";
  static final String THINKING_CLOSE = "\n</thinking>\n\n";

  @Override
  protected StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta) {
    return new StreamAssembler(onDelta, "event: message_stop") {
      /** The type of the content block being streamed ("text", "thinking", ...). */
      private String block = "";

      @Override
      protected boolean onEvent(SseEvent event) {
        switch (event.event()) {
          case "ping" -> {
            return false;
          }
          case "message_stop" -> {
            return true;
          }
          default -> {
            // message_start, content_block_*, message_delta, error, and future events
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
          case "content_block_start" -> {
            block = data.path("content_block").path("type").asText();
            if (block.equals("thinking") && includeThinking) {
              delta(THINKING_OPEN);
            }
          }
          case "content_block_delta" -> {
            JsonNode delta = data.path("delta");
            switch (delta.path("type").asText()) {
              case "text_delta" -> delta(delta.path("text").asText());
              case "thinking_delta" -> {
                if (includeThinking) {
                  delta(delta.path("thinking").asText());
                }
              }
              default -> {
                // signature_delta, input_json_delta: nothing for the answer text
              }
            }
          }
          case "content_block_stop" -> {
            if (block.equals("thinking") && includeThinking) {
              delta(THINKING_CLOSE);
            }
            block = "";
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
