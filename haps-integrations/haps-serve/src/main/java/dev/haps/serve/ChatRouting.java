package dev.haps.serve;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.ChatMessage;
import dev.haps.api.RankedCandidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.CallResult;
import dev.haps.client.CandidateTarget;
import dev.haps.client.RoutingClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates between the OpenAI Chat Completions wire format and the routing client: validates
 * a request body, resolves its {@code model} ({@code haps}, {@code haps:<cost weight>}, an alias,
 * or a concrete candidate), and writes responses and the {@code haps} extension field.
 */
final class ChatRouting {

  /** The model name that means "route this". */
  static final String HAPS_MODEL = "haps";

  static final ObjectMapper JSON = new ObjectMapper();
  /** Header values must be plain ASCII. */
  private static final ObjectWriter ASCII_JSON = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writer();

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");
  /** Fields that only an OpenAI-compatible backend can honour. */
  private static final List<String> FORWARD_ONLY = List.of("tools", "tool_choice", "functions",
      "function_call", "response_format", "logprobs", "top_logprobs", "logit_bias",
      "parallel_tool_calls", "audio", "modalities", "prediction");

  private final ServeConfig config;
  private final CandidateMap candidates;

  ChatRouting(ServeConfig config, CandidateMap candidates) {
    this.config = config;
    this.candidates = candidates;
  }

  /** A validated request: how to route it and what to bind to the calling thread. */
  record Parsed(RouteRequest route, List<ChatMessage> messages, String requestedModel,
      boolean pinned, boolean stream, boolean streamUsage, double costWeight,
      boolean needsForwarding) {}

  Parsed parse(JsonNode body, List<String> bundleCandidates) {
    if (body == null || !body.isObject()) {
      throw ApiError.invalid(null, "the request body must be a JSON object with \"model\" and"
          + " \"messages\"");
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiError.invalid("model", "you must provide a model parameter: \"haps\","
          + " \"haps:<cost weight>\", an alias or a candidate id (GET /v1/models lists them)");
    }
    boolean stream = false;
    if (body.has("stream") && !body.path("stream").isNull()) {
      if (!body.path("stream").isBoolean()) {
        throw ApiError.invalid("stream", "'stream' must be true or false, got "
            + body.path("stream"));
      }
      stream = body.path("stream").asBoolean();
    }
    boolean streamUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    checkNumber(body, "temperature", 0, 2, false);
    checkNumber(body, "top_p", 0, 1, false);
    checkNumber(body, "presence_penalty", -2, 2, false);
    checkNumber(body, "frequency_penalty", -2, 2, false);
    checkNumber(body, "max_tokens", 1, Integer.MAX_VALUE, true);
    checkNumber(body, "max_completion_tokens", 1, Integer.MAX_VALUE, true);
    checkNumber(body, "n", 1, 128, true);
    boolean needsForwarding = body.path("n").asInt(1) != 1;
    for (String f : FORWARD_ONLY) {
      if (body.has(f) && !body.path(f).isNull()) {
        needsForwarding = true;
      }
    }
    if (body.has("tools") && !body.path("tools").isArray()) {
      throw ApiError.invalid("tools", "'tools' must be an array of tool definitions");
    }
    JsonNode rf = body.path("response_format");
    if (rf.isObject()) {
      String type = rf.path("type").asText("");
      if (!Set.of("text", "json_object", "json_schema").contains(type)) {
        throw ApiError.invalid("response_format.type", "'response_format.type' must be text,"
            + " json_object or json_schema, got '" + type + "'");
      }
    } else if (!rf.isMissingNode() && !rf.isNull()) {
      throw ApiError.invalid("response_format", "'response_format' must be an object");
    }
    JsonNode ms = body.path("messages");
    if (!ms.isArray() || ms.isEmpty()) {
      throw ApiError.invalid("messages", "'messages' must be a non-empty array of"
          + " {\"role\", \"content\"} objects");
    }
    List<ChatMessage> messages = new ArrayList<>(ms.size());
    for (int i = 0; i < ms.size(); i++) {
      JsonNode m = ms.get(i);
      String at = "messages[" + i + "]";
      if (!m.isObject()) {
        throw ApiError.invalid(at, at + " must be an object with \"role\" and \"content\"");
      }
      String role = m.path("role").asText("");
      if (!m.path("role").isTextual() || !ROLES.contains(role)) {
        throw ApiError.invalid(at + ".role", at + ".role must be one of " + ROLES + ", got "
            + m.path("role"));
      }
      if (role.equals("tool") || role.equals("function") || m.has("tool_calls")
          || m.has("function_call")) {
        needsForwarding = true;
      }
      JsonNode content = m.path("content");
      String text;
      if (content.isTextual()) {
        text = content.asText();
      } else if (content.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < content.size(); p++) {
          JsonNode part = content.get(p);
          String type = part.path("type").asText("");
          if (!part.isObject() || type.isEmpty()) {
            throw ApiError.invalid(at + ".content[" + p + "]", at + ".content[" + p
                + "] must be an object with a \"type\"");
          }
          if (type.equals("text")) {
            if (!part.path("text").isTextual()) {
              throw ApiError.invalid(at + ".content[" + p + "].text", "a text part needs"
                  + " \"text\"");
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(part.path("text").asText());
          } else {
            needsForwarding = true;
          }
        }
        text = sb.toString();
      } else if (content.isNull() || content.isMissingNode()) {
        if (!role.equals("assistant")) {
          throw ApiError.invalid(at + ".content", at + ".content is required for role '"
              + role + "'");
        }
        text = "";
      } else {
        throw ApiError.invalid(at + ".content", at + ".content must be a string or an array"
            + " of content parts");
      }
      messages.add(new ChatMessage(role(role), text));
    }
    if (messages.stream().noneMatch(m -> m.role() == ChatMessage.Role.USER
        && !m.content().isBlank())) {
      throw ApiError.invalid("messages", "'messages' has no user turn with text; the router"
          + " routes on the last user turn");
    }

    String name = model.asText();
    boolean pinned = false;
    double weight;
    if (name.equals(HAPS_MODEL)) {
      weight = config.defaultCostWeight;
    } else if (name.startsWith(HAPS_MODEL + ":")) {
      String w = name.substring(HAPS_MODEL.length() + 1);
      try {
        weight = Double.parseDouble(w);
      } catch (NumberFormatException e) {
        weight = Double.NaN;
      }
      if (!(weight >= 0 && weight <= 1)) {
        throw ApiError.invalid("model", "invalid_cost_weight", "model '" + name + "' names"
            + " cost weight '" + w + "'; use haps:<w> with w in [0, 1], e.g. haps:0.3");
      }
    } else if (config.aliases.containsKey(name)) {
      weight = config.aliases.get(name);
    } else if (bundleCandidates.contains(name)) {
      pinned = true;
      weight = config.defaultCostWeight;
    } else {
      throw new ApiError(404, "invalid_request_error", "model_not_found", "model",
          "The model '" + name + "' does not exist here; use \"haps\", \"haps:<cost weight>\""
              + (config.aliases.isEmpty() ? "" : ", an alias " + config.aliases.keySet())
              + " or a candidate " + bundleCandidates);
    }
    RouteRequest.Builder rb = RouteRequest.builder().messages(messages).costWeight(weight);
    if (pinned) {
      rb.allow(name);
    }
    if (needsForwarding) {
      Set<String> cannot = new LinkedHashSet<>();
      for (String c : bundleCandidates) {
        if (!candidates.forwards(c)) {
          cannot.add(c);
        }
      }
      if (pinned && cannot.contains(name)) {
        throw ApiError.invalid("model", "unsupported_for_model", "candidate '" + name + "' is"
            + " served by a backend that is not OpenAI-compatible, so tools, response formats,"
            + " n > 1 and non-text content cannot be forwarded to it; route with \"haps\" or"
            + " drop those fields");
      }
      if (!pinned && !cannot.isEmpty()) {
        rb.deny(cannot);
      }
    }
    return new Parsed(rb.build(), messages, name, pinned, stream, streamUsage, weight,
        needsForwarding);
  }

  private static void checkNumber(JsonNode body, String field, double min, double max,
      boolean integer) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return;
    }
    if (!v.isNumber() || (integer && !v.canConvertToLong())
        || (integer && v.asDouble() != Math.rint(v.asDouble()))) {
      throw ApiError.invalid(field, "'" + field + "' must be " + (integer ? "an integer"
          : "a number") + ", got " + v);
    }
    double d = v.asDouble();
    if (d < min || d > max) {
      throw ApiError.invalid(field, "'" + field + "' = " + v + " is outside ["
          + fmt(min) + ", " + fmt(max) + "]");
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  static ChatMessage.Role role(String wire) {
    return switch (wire) {
      case "system", "developer" -> ChatMessage.Role.SYSTEM;
      case "assistant" -> ChatMessage.Role.ASSISTANT;
      case "tool", "function" -> ChatMessage.Role.TOOL;
      default -> ChatMessage.Role.USER;
    };
  }

  static String wireRole(ChatMessage.Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  /** The routed parameters of a candidate in a decision (empty when it is not ranked). */
  static ParameterValues parametersOf(RouteDecision d, String candidate) {
    for (RankedCandidate rc : d.ranking()) {
      if (rc.model().equals(candidate)) {
        return rc.parameters();
      }
    }
    return ParameterValues.empty();
  }

  static String headerJson(ParameterValues values) {
    try {
      return ASCII_JSON.writeValueAsString(JSON.valueToTree(values.asMap()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("parameters cannot be written as JSON: " + values, e);
    }
  }

  static ObjectNode parametersJson(ParameterValues values) {
    return JSON.valueToTree(values.asMap());
  }

  /** The extension field: what was routed where. */
  static ObjectNode extension(String callId, String candidate, String provider,
      String backendModel, ParameterValues parameters, double costWeight, boolean pinned,
      RouteDecision decision, int attempts) {
    ObjectNode h = JsonNodeFactory.instance.objectNode();
    if (callId != null) {
      h.put("call_id", callId);
    }
    h.put("model", candidate);
    h.put("provider", provider);
    h.put("backend_model", backendModel);
    h.set("parameters", parametersJson(parameters));
    h.put("cost_weight", costWeight);
    h.put("routed", !pinned);
    if (decision != null) {
      h.put("fallback", !candidate.equals(decision.model()));
      h.put("bundle", decision.bundle().toString());
    }
    if (attempts > 0) {
      h.put("attempts", attempts);
    }
    return h;
  }

  /** The non-streaming response: the upstream's own when forwarded, else built. */
  static ObjectNode completionResponse(CallResult r, ServeExchange x, ObjectNode extension) {
    ObjectNode out;
    if (x.rawAnswer instanceof ObjectNode raw) {
      out = raw.deepCopy();
    } else {
      out = JsonNodeFactory.instance.objectNode();
      out.put("id", "chatcmpl-" + r.callId());
      out.put("object", "chat.completion");
      out.put("created", System.currentTimeMillis() / 1000);
      out.put("model", r.backendModel());
      ArrayNode choices = out.putArray("choices");
      ObjectNode c = choices.addObject();
      c.put("index", 0);
      ObjectNode msg = c.putObject("message");
      msg.put("role", "assistant");
      msg.put("content", r.text());
      msg.putNull("refusal");
      c.putNull("logprobs");
      c.put("finish_reason", r.completion().attributes().getOrDefault("finish_reason", "stop"));
      out.set("usage", usage(r));
    }
    out.set("haps", extension);
    return out;
  }

  static ObjectNode usage(CallResult r) {
    ObjectNode u = JsonNodeFactory.instance.objectNode();
    u.put("prompt_tokens", r.usage().inputTokens());
    u.put("completion_tokens", r.usage().outputTokens());
    u.put("total_tokens", r.usage().totalTokens());
    return u;
  }

  /** A chunk the server writes itself (backends that are not forwarded). */
  static ObjectNode chunk(String id, String model, long created, String content,
      String role, String finishReason) {
    ObjectNode ch = JsonNodeFactory.instance.objectNode();
    ch.put("id", id);
    ch.put("object", "chat.completion.chunk");
    ch.put("created", created);
    ch.put("model", model);
    ArrayNode choices = ch.putArray("choices");
    ObjectNode c = choices.addObject();
    c.put("index", 0);
    ObjectNode delta = c.putObject("delta");
    if (role != null) {
      delta.put("role", role);
    }
    if (content != null) {
      delta.put("content", content);
    }
    c.putNull("logprobs");
    if (finishReason == null) {
      c.putNull("finish_reason");
    } else {
      c.put("finish_reason", finishReason);
    }
    return ch;
  }

  /** Where each bundle candidate is served, as the client was configured. */
  static final class CandidateMap {
    private final RoutingClient client;
    private final Map<String, ServeProvider> providers;

    CandidateMap(RoutingClient client, Map<String, ServeProvider> providers) {
      this.client = client;
      this.providers = Map.copyOf(providers);
    }

    /** Where a candidate goes, or null when it is not mapped. */
    CandidateTarget target(String candidate) {
      return client.target(candidate).orElse(null);
    }

    boolean forwards(String candidate) {
      CandidateTarget t = target(candidate);
      return t != null && providers.get(t.providerId()).forwardsRawRequests();
    }

    /** The candidate an attempt on (provider, backend model) serves, preferring rank order. */
    String candidateOf(RouteDecision d, String provider, String backendModel) {
      if (d != null) {
        for (RankedCandidate rc : d.ranking()) {
          CandidateTarget t = target(rc.model());
          if (t != null && t.providerId().equals(provider)
              && t.backendModel().equals(backendModel)) {
            return rc.model();
          }
        }
      }
      return backendModel;
    }
  }
}
