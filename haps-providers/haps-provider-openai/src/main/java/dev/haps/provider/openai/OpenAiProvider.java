package dev.haps.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
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
 * A client of one OpenAI-compatible Chat Completions endpoint. Reasoning models get their
 * {@code reasoning_effort} and {@code verbosity} as top-level fields, {@code max_tokens} under
 * the name the model takes, and reasoning tokens read from
 * {@code usage.completion_tokens_details.reasoning_tokens} (priced as the output tokens they are
 * part of). Thread-safe.
 */
final class OpenAiProvider extends HttpLlmProvider {

  private final OpenAiParameters parameters;
  private final boolean streamUsage;

  OpenAiProvider(HttpTransport transport, OpenAiParameters parameters, boolean streamUsage) {
    super(transport, "/chat/completions", transport.settings().apiKey()
        .map(k -> Map.of("Authorization", "Bearer " + k.reveal()))
        .orElse(Map.of()));
    this.parameters = parameters;
    this.streamUsage = streamUsage;
  }

  @Override
  protected ParameterSpace space(String model) {
    return parameters.space(model);
  }

  @Override
  public boolean supportsStreaming() {
    return true;
  }

  /** Refuses what the model rejects, naming the rule, then checks the values against its space. */
  @Override
  protected ParameterValues checkParameters(ChatRequest request, ParameterValues given) {
    parameters.checkRules(request.model(), given);
    return super.checkParameters(request, given);
  }

  @Override
  protected ObjectNode body(ChatRequest request, ParameterValues values, boolean stream) {
    ObjectNode body = Json.object();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : request.messages()) {
      messages.addObject()
          .put("role", m.role().name().toLowerCase(Locale.ROOT))
          .put("content", m.content());
    }
    parameters.write(request.model(), body, values);
    if (stream) {
      body.put("stream", true);
      if (streamUsage) {
        body.putObject("stream_options").put("include_usage", true);
      }
    }
    return body;
  }

  @Override
  protected Completion parse(ChatRequest request, JsonNode answer, Duration latency) {
    JsonNode choice = answer.path("choices").path(0);
    JsonNode message = choice.path("message");
    if (!message.isObject()) {
      throw HttpFailures.malformed(id(), request.model(),
          "the answer has no choices[0].message", null);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Json.putText(attributes, "finish_reason", choice.path("finish_reason"));
    Json.putText(attributes, "id", answer.path("id"));
    JsonNode usage = answer.path("usage");
    return completion(request, Json.text(message, "content", ""), Json.text(answer, "model", ""),
        usage(usage), usage.isObject(), latency, attributes);
  }

  @Override
  protected StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta) {
    return new StreamAssembler(onDelta, "data: [DONE]") {
      @Override
      protected boolean onEvent(SseEvent event) {
        if (event.data().strip().equals("[DONE]")) {
          return true;
        }
        JsonNode chunk = transport().eventJson(request.model(), event);
        if (chunk.has("error")) {
          throw HttpFailures.inBand(id(), request.model(), chunk,
              settings().apiKey().orElse(null));
        }
        model = Json.text(chunk, "model", model);
        Json.putText(attributes, "id", chunk.path("id"));
        JsonNode choice = chunk.path("choices").path(0);
        Json.putText(attributes, "finish_reason", choice.path("finish_reason"));
        delta(Json.text(choice.path("delta"), "content", ""));
        if (chunk.path("usage").isObject()) {
          usage = usage(chunk.path("usage"));
        }
        return false;
      }
    };
  }

  /**
   * Usage with the reasoning share: {@code completion_tokens} already counts reasoning tokens,
   * and {@code completion_tokens_details.reasoning_tokens} says how many of them there were.
   */
  private static TokenUsage usage(JsonNode usage) {
    long out = Json.count(usage, "completion_tokens");
    long reasoning = Json.count(usage.path("completion_tokens_details"), "reasoning_tokens");
    return new TokenUsage(Json.count(usage, "prompt_tokens"), out, Math.min(reasoning, out));
  }
}
