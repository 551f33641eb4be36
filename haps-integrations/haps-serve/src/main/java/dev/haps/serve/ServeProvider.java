package dev.haps.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterValues;
import dev.haps.provider.http.EndpointSettings;
import dev.haps.provider.http.HttpFailures;
import dev.haps.provider.http.HttpTransport;
import dev.haps.provider.http.Json;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.ProviderConfig;
import dev.haps.spi.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A configured provider as the server uses it. It tells the exchange which attempt is being made
 * and times it; for an OpenAI-compatible backend ({@code "type": "openai"}) it forwards the
 * client's own body (tools, response formats and every other field included), with the model
 * name the candidate maps to, the routed parameters and the prompt transformations applied, and
 * hands the upstream's answer (or its stream chunks) back untouched. Every other backend is
 * called through its own provider, with the conversation as text.
 */
final class ServeProvider implements LlmProvider {

  private final LlmProvider delegate;
  private final Forwarder forwarder; // null: not OpenAI-compatible
  private final ServeMetrics metrics;

  ServeProvider(LlmProvider delegate, Forwarder forwarder, ServeMetrics metrics) {
    this.delegate = delegate;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  /** Whether tools, response formats and structured content can be forwarded. */
  boolean forwardsRawRequests() {
    return forwarder != null;
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public List<ModelInfo> models() {
    return delegate.models();
  }

  @Override
  public ParameterSpace parameterSpace(String model) {
    return delegate.parameterSpace(model);
  }

  @Override
  public boolean supportsStreaming() {
    return forwarder != null || delegate.supportsStreaming();
  }

  @Override
  public Completion complete(ChatRequest request, ParameterValues parameters) {
    ServeExchange x = ServeExchange.current();
    long t0 = System.nanoTime();
    String outcome = "error";
    try {
      Completion c;
      if (x != null) {
        x.onAttempt(id(), request.model(), parameters);
      }
      if (x != null && forwarder != null) {
        c = forwarder.complete(x, request, parameters);
      } else {
        c = delegate.complete(request, parameters);
      }
      outcome = "ok";
      return c;
    } finally {
      metrics.upstream(id(), outcome, System.nanoTime() - t0);
    }
  }

  @Override
  public Completion stream(
      ChatRequest request, ParameterValues parameters, Consumer<String> onDelta) {
    ServeExchange x = ServeExchange.current();
    long t0 = System.nanoTime();
    String outcome = "error";
    try {
      Completion c;
      if (x != null) {
        x.onAttempt(id(), request.model(), parameters);
      }
      if (x != null && forwarder != null) {
        c = forwarder.stream(x, request, parameters, onDelta);
      } else {
        c = delegate.stream(request, parameters, onDelta);
      }
      outcome = "ok";
      return c;
    } finally {
      metrics.upstream(id(), outcome, System.nanoTime() - t0);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "ServeProvider{" + delegate + (forwarder != null ? ", forwarding" : "") + "}";
  }

  /** Forwards raw OpenAI bodies to one OpenAI-compatible endpoint. */
  static final class Forwarder {
    private static final String FINAL = "data: [DONE]";
    private final HttpTransport transport;
    private final Map<String, String> headers;
    private final Map<String, List<String>> stopSets;
    private final String maxTokensField;

    private Forwarder(HttpTransport transport, Map<String, List<String>> stopSets,
        String maxTokensField) {
      this.transport = transport;
      this.headers = transport.settings().apiKey()
          .map(k -> Map.of("Authorization", "Bearer " + k.reveal()))
          .orElse(Map.of());
      this.stopSets = stopSets;
      this.maxTokensField = maxTokensField;
    }

    /** Reads the same settings as the {@code openai} provider (docs/providers.md). */
    static Forwarder of(ProviderConfig config) {
      EndpointSettings settings = EndpointSettings.from(config, "https://api.openai.com/v1",
          false);
      Map<String, List<String>> stops = new LinkedHashMap<>();
      for (String name : config.names()) {
        if (name.startsWith("stop.")) {
          String raw = config.require(name).trim();
          stops.put(name.substring(5), raw.startsWith("[")
              ? Json.stringArraySetting(config.id(), name, raw) : List.of(raw));
        }
      }
      String field = config.get("maxTokensField").orElse("max_tokens").trim();
      return new Forwarder(HttpTransport.create(settings), stops, field);
    }

    Completion complete(ServeExchange x, ChatRequest request, ParameterValues parameters) {
      long t0 = System.nanoTime();
      ObjectNode body = body(x, request, parameters);
      body.remove("stream");
      body.remove("stream_options");
      JsonNode answer = transport.postJson(request.model(), endpoint(), headers, body,
          transport.settings().callTimeout(request.timeout()));
      JsonNode choice = answer.path("choices").path(0);
      if (!choice.path("message").isObject()) {
        throw HttpFailures.malformed(transport.settings().providerId(), request.model(),
            "the answer has no choices[0].message", null);
      }
      x.rawAnswer = answer;
      Map<String, String> attributes = new LinkedHashMap<>();
      Json.putText(attributes, "finish_reason", choice.path("finish_reason"));
      Json.putText(attributes, "id", answer.path("id"));
      return completion(request, Json.text(choice.path("message"), "content", ""),
          Json.text(answer, "model", ""), answer.path("usage"), System.nanoTime() - t0,
          attributes);
    }

    Completion stream(ServeExchange x, ChatRequest request, ParameterValues parameters,
        Consumer<String> onDelta) {
      long t0 = System.nanoTime();
      ObjectNode body = body(x, request, parameters);
      body.put("stream", true);
      // Usage is asked for always (it prices the call); the chunk goes on only if the client
      // asked for it too.
      ObjectNode opts = body.path("stream_options").isObject()
          ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
      opts.put("include_usage", true);
      StringBuilder text = new StringBuilder();
      Map<String, String> attributes = new LinkedHashMap<>();
      JsonNode[] usage = {null};
      String[] model = {""};
      String provider = transport.settings().providerId();
      transport.postEvents(request.model(), endpoint(), headers, body,
          transport.settings().callTimeout(request.timeout()), event -> {
            if (event.data().strip().equals("[DONE]")) {
              return true;
            }
            JsonNode chunk = transport.eventJson(request.model(), event);
            if (chunk.has("error")) {
              throw HttpFailures.inBand(provider, request.model(), chunk,
                  transport.settings().apiKey().orElse(null));
            }
            if (!chunk.isObject()) {
              throw HttpFailures.malformed(provider, request.model(),
                  "a stream chunk is not a JSON object", null);
            }
            model[0] = Json.text(chunk, "model", model[0]);
            Json.putText(attributes, "id", chunk.path("id"));
            JsonNode choice = chunk.path("choices").path(0);
            Json.putText(attributes, "finish_reason", choice.path("finish_reason"));
            boolean usageOnly = chunk.path("choices").isEmpty() && chunk.has("usage");
            if (chunk.path("usage").isObject()) {
              usage[0] = chunk.path("usage");
            }
            if (usageOnly && !x.streamUsage) {
              return false;
            }
            if (!x.streamUsage) {
              ((ObjectNode) chunk).remove("usage");
            }
            String piece = Json.text(choice.path("delta"), "content", "");
            text.append(piece);
            x.forwarding = true;
            x.sink.chunk((ObjectNode) chunk);
            onDelta.accept(piece); // marks the call as delivered: no fallback after this
            return false;
          }, FINAL);
      return completion(request, text.toString(), model[0],
          usage[0] == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
              : usage[0], System.nanoTime() - t0, attributes);
    }

    private Completion completion(ChatRequest request, String text, String answeredModel,
        JsonNode usage, long nanos, Map<String, String> attributes) {
      TokenUsage u = usage.isObject()
          ? new TokenUsage(Json.count(usage, "prompt_tokens"),
              Json.count(usage, "completion_tokens"))
          : TokenUsage.NONE;
      double cost = Double.NaN;
      if (usage.isObject()) {
        cost = transport.settings().prices().costUsd(request.model(), u);
        if (Double.isNaN(cost) && !answeredModel.isEmpty()) {
          cost = transport.settings().prices().costUsd(answeredModel, u);
        }
      }
      return new Completion(text, answeredModel.isEmpty() ? request.model() : answeredModel, u,
          cost, Duration.ofNanos(nanos), attributes);
    }

    private java.net.URI endpoint() {
      return transport.settings().endpoint("/chat/completions");
    }

    /** The client's body with the backend model, and (unless pinned) routed values applied. */
    ObjectNode body(ServeExchange x, ChatRequest request, ParameterValues parameters) {
      transport.settings().requireServed(request.model());
      ObjectNode body = x.body.deepCopy();
      body.put("model", request.model());
      if (x.pinned) {
        return body;
      }
      body.set("messages", mergeMessages((ArrayNode) x.body.path("messages"), x.messages,
          request.messages()));
      for (Map.Entry<String, Object> e : parameters.asMap().entrySet()) {
        String name = e.getKey();
        if (name.equals("stop")) {
          List<String> seqs = stopSets.get(String.valueOf(e.getValue()));
          if (seqs == null) {
            body.remove("stop"); // the routed choice is "no stop set"
          } else {
            ArrayNode a = body.putArray("stop");
            seqs.forEach(a::add);
          }
        } else if (name.equals("max_tokens")) {
          body.remove("max_tokens");
          body.remove("max_completion_tokens");
          Json.put(body, maxTokensField, e.getValue());
        } else {
          Json.put(body, name, e.getValue());
        }
      }
      return body;
    }
  }

  /**
   * The raw messages with the routing client's transformations (such as a routed system prompt
   * put first) applied: unchanged turns keep their raw form (tool calls, images, names); changed
   * or added turns are written from the transformed text.
   */
  static ArrayNode mergeMessages(ArrayNode raw, List<ChatMessage> original,
      List<ChatMessage> transformed) {
    if (original.equals(transformed)) {
      return raw.deepCopy();
    }
    int prefix = 0;
    while (prefix < original.size() && prefix < transformed.size()
        && original.get(prefix).equals(transformed.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < original.size() - prefix && suffix < transformed.size() - prefix
        && original.get(original.size() - 1 - suffix)
            .equals(transformed.get(transformed.size() - 1 - suffix))) {
      suffix++;
    }
    ArrayNode out = raw.arrayNode();
    for (int i = 0; i < prefix; i++) {
      out.add(raw.get(i).deepCopy());
    }
    List<ChatMessage> middle = new ArrayList<>(
        transformed.subList(prefix, transformed.size() - suffix));
    int rawMiddle = original.size() - suffix - prefix;
    for (int i = 0; i < middle.size(); i++) {
      ChatMessage m = middle.get(i);
      // A changed turn in the same place keeps its other fields; an inserted one is new.
      int rawIndex = prefix + i - (middle.size() - rawMiddle);
      ObjectNode o;
      if (rawIndex >= prefix && rawIndex < prefix + rawMiddle
          && original.get(rawIndex).role() == m.role()) {
        o = ((ObjectNode) raw.get(rawIndex)).deepCopy();
      } else {
        o = raw.objectNode();
      }
      o.put("role", ChatRouting.wireRole(m.role()));
      o.put("content", m.content());
      out.add(o);
    }
    for (int i = original.size() - suffix; i < original.size(); i++) {
      out.add(raw.get(i).deepCopy());
    }
    return out;
  }
}
