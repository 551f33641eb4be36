package dev.haps.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.ProviderException;
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
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A client of the Gemini API's {@code generateContent} ({@code POST
 * <baseUrl>/models/<model>:generateContent}) and {@code streamGenerateContent} (the same with
 * {@code :streamGenerateContent?alt=sse}). The API key goes in the {@code x-goog-api-key} header,
 * never in the URL. System turns become {@code systemInstruction}; user and assistant turns
 * become {@code contents} with roles {@code user} and {@code model}; parameters go to
 * {@code generationConfig} ({@code thinking_budget} to {@code thinkingConfig.thinkingBudget}).
 * Thought parts stay out of the answer text unless {@code includeThinking} is set; thinking tokens
 * ({@code thoughtsTokenCount}) are billed output tokens and priced as such. Thread-safe.
 */
final class GeminiProvider extends HttpLlmProvider {

  /** Model ids as the API names them, e.g. {@code gemini-2.5-flash}; nothing that edits a URL. */
  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final String THINKING_OPEN = "<thinking>\n";
  static final String THINKING_CLOSE = "\n</thinking>\n\n";

  private final GeminiParameters parameters;
  private final boolean includeThinking;

  GeminiProvider(HttpTransport transport, GeminiParameters parameters, boolean includeThinking) {
    super(transport, "/models", Map.of(
        "x-goog-api-key", transport.settings().apiKey().orElseThrow().reveal()));
    this.parameters = parameters;
    this.includeThinking = includeThinking;
  }

  @Override
  protected ParameterSpace space(String model) {
    return parameters.space(model);
  }

  @Override
  public boolean supportsStreaming() {
    return true;
  }

  @Override
  protected ParameterValues checkParameters(ChatRequest request, ParameterValues given) {
    ParameterValues v = super.checkParameters(request, given);
    parameters.checkRules(request.model(), v);
    return v;
  }

  /** {@code <base>/models/<model>:generateContent}, or the streaming method with {@code alt=sse}. */
  @Override
  protected URI endpoint(ChatRequest request, boolean stream) {
    String model = request.model().startsWith("models/")
        ? request.model().substring("models/".length()) : request.model();
    if (!MODEL_ID.matcher(model).matches()) {
      throw new ConfigurationException("provider '" + id() + "' cannot call model '"
          + request.model() + "': a Gemini model id has letters, digits, '.', '-' and '_' only,"
          + " e.g. gemini-2.5-flash; map the candidate to such a model");
    }
    return settings().endpoint("/models/" + model
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
  }

  @Override
  protected ObjectNode body(ChatRequest request, ParameterValues values, boolean stream) {
    ObjectNode body = Json.object();
    StringBuilder system = new StringBuilder();
    ArrayNode contents = Json.mapper().createArrayNode();
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
      } else {
        ObjectNode c = contents.addObject()
            .put("role", m.role() == ChatMessage.Role.ASSISTANT ? "model" : "user");
        c.putArray("parts").addObject().put("text", m.content());
      }
    }
    body.set("contents", contents);
    if (system.length() > 0) {
      body.putObject("systemInstruction").putArray("parts").addObject()
          .put("text", system.toString());
    }
    parameters.write(request.model(), body, values, includeThinking);
    return body;
  }

  @Override
  protected Completion parse(ChatRequest request, JsonNode answer, Duration latency) {
    JsonNode candidate = firstCandidate(request, answer);
    StringBuilder text = new StringBuilder();
    StringBuilder thoughts = new StringBuilder();
    for (JsonNode part : candidate.path("content").path("parts")) {
      (part.path("thought").asBoolean(false) ? thoughts : text)
          .append(part.path("text").asText(""));
    }
    if (includeThinking && thoughts.length() > 0) {
      text.insert(0, THINKING_OPEN + thoughts + THINKING_CLOSE);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Json.putText(attributes, "finish_reason", candidate.path("finishReason"));
    Json.putText(attributes, "id", answer.path("responseId"));
    JsonNode usage = answer.path("usageMetadata");
    return completion(request, text.toString(), Json.text(answer, "modelVersion", ""),
        usage(usage), usage.isObject(), latency, attributes);
  }

  @Override
  protected StreamAssembler assembler(ChatRequest request, Consumer<String> onDelta) {
    return new StreamAssembler(onDelta, "a chunk with a finishReason") {
      private boolean inThoughts;

      @Override
      protected boolean onEvent(SseEvent event) {
        JsonNode chunk = transport().eventJson(request.model(), event);
        if (chunk.has("error")) {
          throw HttpFailures.inBand(id(), request.model(), chunk,
              settings().apiKey().orElse(null));
        }
        model = Json.text(chunk, "modelVersion", model);
        Json.putText(attributes, "id", chunk.path("responseId"));
        if (chunk.path("usageMetadata").isObject()) {
          usage = usage(chunk.path("usageMetadata"));
        }
        if (!chunk.path("candidates").path(0).isObject()
            && !chunk.path("promptFeedback").has("blockReason")) {
          return false; // a chunk with usage only
        }
        JsonNode candidate = firstCandidate(request, chunk);
        for (JsonNode part : candidate.path("content").path("parts")) {
          boolean thought = part.path("thought").asBoolean(false);
          if (thought && !includeThinking) {
            continue;
          }
          if (thought != inThoughts) {
            delta(thought ? THINKING_OPEN : THINKING_CLOSE);
            inThoughts = thought;
          }
          delta(part.path("text").asText(""));
        }
        if (candidate.path("finishReason").isTextual()) {
          if (inThoughts) {
            delta(THINKING_CLOSE);
            inThoughts = false;
          }
          Json.putText(attributes, "finish_reason", candidate.path("finishReason"));
          return true;
        }
        return false;
      }
    };
  }

  /** The first candidate; a blocked prompt is refused, a missing candidate is malformed. */
  private JsonNode firstCandidate(ChatRequest request, JsonNode answer) {
    JsonNode candidate = answer.path("candidates").path(0);
    if (candidate.isObject()) {
      return candidate;
    }
    JsonNode block = answer.path("promptFeedback").path("blockReason");
    if (block.isTextual()) {
      throw ProviderException.builder(id(), ProviderException.Kind.BAD_REQUEST)
          .message("provider '" + id() + "' model '" + request.model() + "': the prompt was"
              + " blocked (" + block.asText() + "); change the prompt or the model's safety"
              + " settings")
          .build();
    }
    throw HttpFailures.malformed(id(), request.model(), "the answer has no candidates[0]", null);
  }

  /**
   * Usage from {@code usageMetadata}: candidates and thoughts are both billed output tokens, so
   * output = {@code candidatesTokenCount + thoughtsTokenCount}, of which the thoughts are the
   * reasoning share.
   */
  private static TokenUsage usage(JsonNode usage) {
    long thoughts = Json.count(usage, "thoughtsTokenCount");
    return new TokenUsage(Json.count(usage, "promptTokenCount"),
        Json.count(usage, "candidatesTokenCount") + thoughts, thoughts);
  }
}
