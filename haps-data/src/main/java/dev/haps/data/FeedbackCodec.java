package dev.haps.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The bandit parts of the outcome-log format: the {@code logged} object and score lines. */
final class FeedbackCodec {

  private FeedbackCodec() {}

  /** One line of {@code scores.jsonl}. */
  record ScoreLine(String callId, double score, Instant scoredAt) {}

  static Optional<LoggedAction> parseLogged(JsonNode l, String ctx) {
    if (l == null || l.isNull()) {
      return Optional.empty();
    }
    if (!l.isObject()) {
      throw new Codec.BadLine(ctx + "field 'logged' must be an object, found " + l.getNodeType());
    }
    String where = ctx + "logged: ";
    double p = number(l, "propensity", where);
    JsonNode pol = l.get("policy");
    if (pol == null || !pol.isTextual()) {
      throw new Codec.BadLine(where + "field 'policy' must be a string (the logging bundle's"
          + " router.onnx SHA-256)");
    }
    double w = number(l, "cost_weight", where);
    Instant called = instant(l.get("called_at"), "called_at", where)
        .orElseThrow(() -> new Codec.BadLine(where + "field 'called_at' is missing"));
    Optional<Instant> scored = instant(l.get("scored_at"), "scored_at", where);
    JsonNode fb = l.get("fell_back");
    boolean fellBack = fb != null && fb.asBoolean(false);
    try {
      return Optional.of(new LoggedAction(p, pol.asText(), w, called, scored, fellBack));
    } catch (IllegalArgumentException e) {
      throw new Codec.BadLine(where + e.getMessage());
    }
  }

  private static double number(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isNumber()) {
      throw new Codec.BadLine(where + "field '" + field + "' must be a number");
    }
    return v.asDouble();
  }

  private static Optional<Instant> instant(JsonNode v, String field, String where) {
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(v.asText()));
    } catch (DateTimeParseException e) {
      throw new Codec.BadLine(where + "field '" + field + "' = " + v
          + " is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  static void writeLogged(JsonGenerator g, LoggedAction a) throws IOException {
    g.writeObjectFieldStart("logged");
    g.writeNumberField("propensity", a.propensity());
    g.writeStringField("policy", a.policy());
    g.writeNumberField("cost_weight", a.costWeight());
    g.writeStringField("called_at", a.calledAt().toString());
    if (a.scoredAt().isPresent()) {
      g.writeStringField("scored_at", a.scoredAt().get().toString());
    } else {
      g.writeNullField("scored_at");
    }
    g.writeBooleanField("fell_back", a.fellBack());
    g.writeEndObject();
  }

  static ScoreLine parseScore(JsonNode n) {
    if (!n.isObject()) {
      throw new Codec.BadLine("expected a JSON object with call_id, score and scored_at");
    }
    JsonNode id = n.get("call_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new Codec.BadLine("field 'call_id' must be a non-blank string");
    }
    String ctx = "call '" + id.asText() + "': ";
    double s = number(n, "score", ctx);
    if (!(s >= 0 && s <= 1)) {
      throw new Codec.BadLine(ctx + "score " + s + " is outside [0, 1]");
    }
    Instant at = instant(n.get("scored_at"), "scored_at", ctx)
        .orElseThrow(() -> new Codec.BadLine(ctx + "field 'scored_at' is missing"));
    return new ScoreLine(id.asText(), s, at);
  }

  static byte[] writeScore(String callId, double score, Instant at) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator g = Codec.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("call_id", callId);
      g.writeNumberField("score", score);
      g.writeStringField("scored_at", at.toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the score of call '" + callId + "'", e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }
}
