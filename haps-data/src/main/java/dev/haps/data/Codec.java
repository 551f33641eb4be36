package dev.haps.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.error.InvalidParameterException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the two files of an outcome log, with the validation rules of FORMAT.md.
 * Problems on a line are raised as {@link BadLine} carrying only the problem text; callers add
 * the file and line number.
 */
final class Codec {

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final ObjectMapper PRETTY =
      MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

  private static final String RECORD_FIELDS = "id, task, split, query and outcomes";
  private static final String OUTCOME_FIELDS = "model, params and score";

  private Codec() {}

  /** A problem with one line's content; the message is the problem only. */
  static final class BadLine extends RuntimeException {
    BadLine(String problem) {
      super(problem, null, false, false);
    }
  }

  // ---------------------------------------------------------------- JSON lines

  /**
   * Parses one line's bytes into a tree.
   *
   * @throws JsonProcessingException when the bytes are not one JSON value
   */
  static JsonNode parseTree(byte[] buf, int off, int len) throws JsonProcessingException {
    try {
      return MAPPER.readTree(buf, off, len);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // Reading from a byte array does no I/O; anything else is a parser fault.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a line that failed to parse is a valid JSON text cut short (what an interrupted
   * append leaves) rather than one holding a wrong token: the parser ran out of input, possibly
   * after a partial literal or number ({@code tru}, {@code 1.}) that it reported as bad.
   */
  static boolean looksTruncated(byte[] buf, int off, int len, JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return true;
    }
    // Cut right after a comma ({"id":"q1",): the parser reports the end of input as a plain
    // parse error ("Unexpected end-of-input within/between Object entries"), not as an EOF.
    String m = e.getOriginalMessage();
    if (m != null && m.startsWith("Unexpected end-of-input")) {
      return true;
    }
    int end = off + len;
    int k = end;
    while (k > off && isBareTokenByte(buf[k - 1])) {
      k--;
    }
    if (k == end || !isPartialBareToken(new String(buf, k, end - k,
        java.nio.charset.StandardCharsets.US_ASCII))) {
      return false;
    }
    try {
      parseTree(buf, off, k - off);
      return false;
    } catch (JsonEOFException eof) {
      return true;
    } catch (JsonProcessingException other) {
      return false;
    }
  }

  private static boolean isBareTokenByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '.' || b == '-'
        || b == '+' || b == 'E';
  }

  private static boolean isPartialBareToken(String t) {
    if ("true".startsWith(t) || "false".startsWith(t) || "null".startsWith(t)) {
      return true;
    }
    return t.matches("-?[0-9]*(\\.[0-9]*)?([eE][-+]?[0-9]*)?");
  }

  /** A parse failure as a short phrase: the parser's reason and its column. */
  static String describe(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : " at column " + loc.getColumnNr();
    return JsonProblems.message(e) + where;
  }

  // ---------------------------------------------------------------- records

  /** Converts one parsed line into a record, validating against the candidates if given. */
  static QueryRecord parseRecord(JsonNode node, CandidateSet candidates) {
    return parseRecord(node, candidates, false);
  }

  /**
   * Converts one parsed line into a record; a pending call (a {@code calls.jsonl} line) has no
   * score yet and must have a {@code logged} object; its score reads as 0 until the join.
   */
  static QueryRecord parseRecord(JsonNode node, CandidateSet candidates, boolean pendingCall) {
    if (!node.isObject()) {
      throw new BadLine("expected a JSON object, found " + kind(node));
    }
    String id = requireText(node, "id", "", RECORD_FIELDS);
    String ctx = "query '" + id + "': ";
    String task = requireText(node, "task", ctx, RECORD_FIELDS);
    String splitName = requireText(node, "split", ctx, RECORD_FIELDS);
    Split split;
    try {
      split = Split.parse(splitName);
    } catch (IllegalArgumentException e) {
      throw new BadLine(ctx + "unknown split '" + splitName + "'; expected one of train, valid,"
          + " test (lower case)");
    }
    JsonNode q = node.get("query");
    if (q == null) {
      throw missing(ctx, "query", RECORD_FIELDS);
    }
    if (!q.isTextual()) {
      throw new BadLine(ctx + "field 'query' must be a string, found " + kind(q));
    }
    if (q.asText().isBlank()) {
      throw blankQuery(ctx, q.asText());
    }
    JsonNode a = node.get("answer");
    Optional<String> answer;
    if (a == null || a.isNull()) {
      answer = Optional.empty();
    } else if (a.isTextual()) {
      answer = Optional.of(a.asText());
    } else {
      throw new BadLine(ctx + "field 'answer' must be a string or null, found " + kind(a));
    }
    JsonNode outs = node.get("outcomes");
    if (outs == null) {
      throw missing(ctx, "outcomes", RECORD_FIELDS);
    }
    if (!outs.isArray()) {
      throw new BadLine(ctx + "field 'outcomes' must be an array, found " + kind(outs));
    }
    if (outs.isEmpty()) {
      throw new BadLine(ctx + "field 'outcomes' is empty; a query needs at least one outcome");
    }
    List<Outcome> outcomes = new ArrayList<>(outs.size());
    for (int i = 0; i < outs.size(); i++) {
      outcomes.add(parseOutcome(outs.get(i), ctx + "outcomes[" + i + "]", candidates,
          pendingCall));
    }
    return new QueryRecord(id, task, split, q.asText(), answer, outcomes);
  }

  private static Outcome parseOutcome(JsonNode o, String where, CandidateSet candidates,
      boolean pendingCall) {
    if (!o.isObject()) {
      throw new BadLine(where + ": expected a JSON object, found " + kind(o));
    }
    String model = requireText(o, "model", where + ": ", OUTCOME_FIELDS);
    String ctx = where + " (model '" + model + "'): ";
    CandidateModel cm = null;
    if (candidates != null) {
      cm = candidates.model(model).orElseThrow(() -> new BadLine(ctx + "unknown model '"
          + model + "'; candidates.json declares " + candidates.ids()));
    }
    JsonNode p = o.get("params");
    if (p == null) {
      throw missing(ctx, "params", OUTCOME_FIELDS + " ({} for defaults)");
    }
    if (!p.isObject()) {
      throw new BadLine(ctx + "field 'params' must be an object, found " + kind(p));
    }
    ParameterValues.Builder params = ParameterValues.builder();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      params.put(e.getKey(), paramValue(ctx, cm, e.getKey(), e.getValue()));
    }
    JsonNode s = o.get("score");
    double score = 0;
    if (!pendingCall) {
      if (s == null) {
        throw missing(ctx, "score", OUTCOME_FIELDS);
      }
      if (!s.isNumber()) {
        throw new BadLine(ctx + "field 'score' must be a number in [0, 1], found " + kind(s));
      }
      score = s.asDouble();
      if (!(score >= 0.0 && score <= 1.0)) {
        throw new BadLine(ctx + "score " + s + " is outside [0, 1]");
      }
    }
    Optional<LoggedAction> logged = FeedbackCodec.parseLogged(o.get("logged"), ctx);
    if (pendingCall && logged.isEmpty()) {
      throw new BadLine(ctx + "a call line needs a 'logged' object (propensity, policy,"
          + " cost_weight, called_at)");
    }
    double cost = Double.NaN;
    JsonNode c = o.get("cost_usd");
    if (c != null && !c.isNull()) {
      if (!c.isNumber()) {
        throw new BadLine(ctx + "field 'cost_usd' must be a number or null, found " + kind(c));
      }
      cost = c.asDouble();
      if (!(cost >= 0.0 && Double.isFinite(cost))) {
        throw new BadLine(ctx + "cost_usd " + c + " is negative; costs are at least 0 (null"
            + " when unknown)");
      }
    }
    long in = tokens(o, "input_tokens", ctx);
    long out = tokens(o, "output_tokens", ctx);
    return new Outcome(model, params.build(), score, cost, in, out, logged);
  }

  private static Object paramValue(String ctx, CandidateModel cm, String name, JsonNode v) {
    Object raw;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      raw = v.asLong();
    } else if (v.isNumber()) {
      raw = v.asDouble();
    } else if (v.isTextual()) {
      raw = v.asText();
    } else {
      throw new BadLine(ctx + "parameter '" + name + "' value " + v
          + " must be a number or a string");
    }
    if (cm == null) {
      return raw;
    }
    ParameterSpec spec = cm.parameters().spec(name).orElseThrow(() -> new BadLine(ctx
        + "parameter '" + name + "' is not declared for model '" + cm.id()
        + "' in candidates.json; declared: " + CandidateModel.parameterNames(cm.parameters())));
    try {
      return spec.validate(raw);
    } catch (InvalidParameterException e) {
      throw new BadLine(ctx + e.getMessage() + " (as declared in candidates.json)");
    }
  }

  private static long tokens(JsonNode o, String field, String ctx) {
    JsonNode t = o.get(field);
    if (t == null || t.isNull()) {
      return -1;
    }
    if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 0) {
      throw new BadLine(ctx + "field '" + field + "' = " + t
          + " must be a whole number at least 0, or null");
    }
    return t.asLong();
  }

  /**
   * Checks an in-memory record against the candidates and returns it with every parameter value
   * in the canonical form of its spec.
   */
  static QueryRecord canonical(QueryRecord r, CandidateSet candidates) {
    String ctx = "query '" + r.id() + "': ";
    if (r.query().isBlank()) {
      throw blankQuery(ctx, r.query());
    }
    if (r.outcomes().isEmpty()) {
      throw new BadLine(ctx + "it has no outcome; a query needs at least one outcome");
    }
    List<Outcome> outs = new ArrayList<>(r.outcomes().size());
    boolean changed = false;
    for (int i = 0; i < r.outcomes().size(); i++) {
      Outcome o = r.outcomes().get(i);
      String octx = ctx + "outcomes[" + i + "] (model '" + o.model() + "'): ";
      CandidateModel cm = candidates.model(o.model()).orElseThrow(() -> new BadLine(octx
          + "unknown model '" + o.model() + "'; candidates.json declares " + candidates.ids()));
      ParameterValues.Builder b = ParameterValues.builder();
      for (Map.Entry<String, Object> e : o.params().asMap().entrySet()) {
        ParameterSpec spec = cm.parameters().spec(e.getKey()).orElseThrow(() -> new BadLine(
            octx + "parameter '" + e.getKey() + "' is not declared for model '" + cm.id()
                + "' in candidates.json; declared: "
                + CandidateModel.parameterNames(cm.parameters())));
        if (!inLogs(spec.kind())) {
          throw new BadLine(octx + "parameter '" + e.getKey() + "' is a tensor; outcome logs"
              + " hold float, int and categorical parameters only");
        }
        try {
          b.put(e.getKey(), spec.validate(e.getValue()));
        } catch (InvalidParameterException ex) {
          throw new BadLine(octx + ex.getMessage() + " (as declared in candidates.json)");
        }
      }
      ParameterValues p = b.build();
      if (!p.equals(o.params())) {
        changed = true;
        outs.add(o.withParams(p));
      } else {
        outs.add(o);
      }
    }
    return changed
        ? new QueryRecord(r.id(), r.task(), r.split(), r.query(), r.answer(), outs)
        : r;
  }

  /** One record as a JSON line in the FORMAT.md shape, newline included. */
  static byte[] writeRecord(QueryRecord r) {
    return writeRecord(r, false);
  }

  /** One record as a JSON line; a pending call is written without its (unknown) score. */
  static byte[] writeRecord(QueryRecord r, boolean pendingCall) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 + r.query().length() * 2);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeStringField("task", r.task());
      g.writeStringField("split", r.split().wireName());
      g.writeStringField("query", r.query());
      if (r.answer().isPresent()) {
        g.writeStringField("answer", r.answer().get());
      } else {
        g.writeNullField("answer");
      }
      g.writeArrayFieldStart("outcomes");
      for (Outcome o : r.outcomes()) {
        g.writeStartObject();
        g.writeStringField("model", o.model());
        g.writeObjectFieldStart("params");
        for (Map.Entry<String, Object> e : o.params().asMap().entrySet()) {
          g.writeFieldName(e.getKey());
          writeValue(g, e.getValue());
        }
        g.writeEndObject();
        if (!pendingCall) {
          g.writeNumberField("score", o.score());
        }
        if (o.cost().isPresent()) {
          g.writeNumberField("cost_usd", o.costUsd());
        } else {
          g.writeNullField("cost_usd");
        }
        writeCount(g, "input_tokens", o.inputTokens());
        writeCount(g, "output_tokens", o.outputTokens());
        if (o.logged().isPresent()) {
          FeedbackCodec.writeLogged(g, o.logged().get());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise query '" + r.id() + "'", e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Long) {
      g.writeNumber((Long) v);
    } else if (v instanceof Double) {
      g.writeNumber((Double) v);
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof float[]) {
      float[] a = (float[]) v;
      g.writeArray(a.length == 0 ? new double[0] : toDoubles(a), 0, a.length);
    } else {
      throw new IllegalArgumentException("unsupported parameter value type " + v.getClass());
    }
  }

  private static double[] toDoubles(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static void writeCount(JsonGenerator g, String field, long n) throws IOException {
    if (n < 0) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, n);
    }
  }

  // ---------------------------------------------------------------- candidates.json

  static CandidateSet parseCandidates(String source, byte[] bytes) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw OutcomeLogException.inFile(source, "is not valid JSON: " + JsonProblems.message(e)
          + " at line " + e.getLocation().getLineNr() + " column "
          + e.getLocation().getColumnNr(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return candidates(root);
    } catch (BadLine e) {
      throw OutcomeLogException.inFile(source, e.getMessage(), null);
    }
  }

  private static CandidateSet candidates(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new BadLine("expected a JSON object with benchmark and models, found "
          + (root == null ? "nothing" : kind(root)));
    }
    String fields = "benchmark and models";
    String benchmark = requireText(root, "benchmark", "", fields);
    JsonNode src = root.get("source");
    if (src != null && !src.isNull() && !src.isObject()) {
      throw new BadLine("field 'source' must be an object, found " + kind(src));
    }
    JsonNode models = root.get("models");
    if (models == null) {
      throw missing("", "models", fields);
    }
    if (!models.isArray() || models.isEmpty()) {
      throw new BadLine("field 'models' must be a non-empty array, found " + kind(models));
    }
    List<CandidateModel> list = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      CandidateModel m = model(models.get(i), "models[" + i + "]");
      if (seen.contains(m.id())) {
        throw new BadLine("models[" + i + "]: model id '" + m.id() + "' is declared twice;"
            + " ids must be unique");
      }
      seen.add(m.id());
      list.add(m);
    }
    return new CandidateSet(benchmark, list,
        src != null && src.isObject() ? (ObjectNode) src : null);
  }

  private static CandidateModel model(JsonNode m, String where) {
    if (!m.isObject()) {
      throw new BadLine(where + ": expected a JSON object, found " + kind(m));
    }
    String id = requireText(m, "id", where + ": ", "id, price_per_mtok and parameters");
    String ctx = where + " (model '" + id + "'): ";
    double in = Double.NaN;
    double out = Double.NaN;
    JsonNode price = m.get("price_per_mtok");
    if (price != null && !price.isNull()) {
      if (!price.isObject()) {
        throw new BadLine(ctx + "field 'price_per_mtok' must be an object {input, output} or"
            + " null, found " + kind(price));
      }
      in = price(price, "input", ctx);
      out = price(price, "output", ctx);
    }
    JsonNode params = m.get("parameters");
    List<ParameterSpec> specs = new ArrayList<>();
    Map<String, List<Object>> observed = new LinkedHashMap<>();
    if (params != null && !params.isNull()) {
      if (!params.isArray()) {
        throw new BadLine(ctx + "field 'parameters' must be an array, found " + kind(params));
      }
      for (int j = 0; j < params.size(); j++) {
        JsonNode p = params.get(j);
        String pwhere = ctx + "parameters[" + j + "]";
        if (!p.isObject()) {
          throw new BadLine(pwhere + ": expected a JSON object, found " + kind(p));
        }
        String name = requireText(p, "name", pwhere + ": ", "name and type");
        String pctx = ctx + "parameter '" + name + "': ";
        for (ParameterSpec s : specs) {
          if (s.name().equals(name)) {
            throw new BadLine(pctx + "declared twice; parameter names must be unique");
          }
        }
        ParameterSpec spec = spec(p, name, pctx);
        specs.add(spec);
        JsonNode obs = p.get("observed");
        if (obs != null && !obs.isNull()) {
          if (!obs.isArray()) {
            throw new BadLine(pctx + "field 'observed' must be an array, found " + kind(obs));
          }
          List<Object> values = new ArrayList<>();
          for (JsonNode v : obs) {
            try {
              values.add(spec.validate(scalar(v, pctx + "observed value ")));
            } catch (InvalidParameterException e) {
              throw new BadLine(pctx + "observed value " + v + " is outside the declared"
                  + " range: " + e.getMessage());
            }
          }
          observed.put(name, values);
        }
      }
    }
    try {
      return new CandidateModel(id, in, out, ParameterSpace.of(specs), observed);
    } catch (IllegalArgumentException e) {
      throw new BadLine(ctx + e.getMessage());
    }
  }

  /** Whether outcome logs and candidates.json hold parameters of a kind (tensors they do not). */
  static boolean inLogs(ParameterSpec.Kind kind) {
    return switch (kind) {
      case FLOAT, INT, CATEGORICAL -> true;
      case TENSOR -> false;
    };
  }

  private static BadLine unknownType(String ctx, String type) {
    return new BadLine(ctx + "unknown type '" + type + "'; expected float, int or categorical");
  }

  /** The kind a candidates.json {@code type} names (the kind's name in lower case), or null. */
  private static ParameterSpec.Kind kindNamed(String type) {
    for (ParameterSpec.Kind k : ParameterSpec.Kind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(type)) {
        return k;
      }
    }
    return null;
  }

  private static ParameterSpec spec(JsonNode p, String name, String ctx) {
    String type = requireText(p, "type", ctx, "name and type");
    ParameterSpec.Kind kind = kindNamed(type);
    if (kind == null) {
      throw unknownType(ctx, type);
    }
    try {
      return switch (kind) {
        case FLOAT -> new FloatSpec(name, number(p, "min", ctx, type),
            number(p, "max", ctx, type), number(p, "default", ctx, type));
        case INT -> new IntSpec(name, integer(p, "min", ctx), integer(p, "max", ctx),
            integer(p, "default", ctx));
        case CATEGORICAL -> {
          JsonNode ch = p.get("choices");
          if (ch == null) {
            throw missing(ctx, "choices", "choices and default for a categorical parameter");
          }
          if (!ch.isArray() || ch.isEmpty()) {
            throw new BadLine(ctx + "field 'choices' must be a non-empty array of strings,"
                + " found " + kind(ch));
          }
          List<String> choices = new ArrayList<>();
          for (JsonNode c : ch) {
            if (!c.isTextual()) {
              throw new BadLine(ctx + "choice " + c + " must be a string");
            }
            choices.add(c.asText());
          }
          String def = requireText(p, "default", ctx,
              "choices and default for a categorical parameter");
          yield new CategoricalSpec(name, choices, def);
        }
        case TENSOR -> throw unknownType(ctx, type); // candidates.json holds no tensors
      };
    } catch (IllegalArgumentException e) {
      throw new BadLine(ctx + e.getMessage());
    }
  }

  private static double number(JsonNode p, String field, String ctx, String type) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      throw missing(ctx, field, "min, max and default for a " + type + " parameter");
    }
    if (!v.isNumber()) {
      throw new BadLine(ctx + "field '" + field + "' must be a number, found " + kind(v));
    }
    return v.asDouble();
  }

  private static long integer(JsonNode p, String field, String ctx) {
    JsonNode v = p.get(field);
    if (v == null || v.isNull()) {
      throw missing(ctx, field, "min, max and default for an int parameter");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BadLine(ctx + "field '" + field + "' = " + v + " must be a whole number");
    }
    return v.asLong();
  }

  private static Object scalar(JsonNode v, String what) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    } else if (v.isNumber()) {
      return v.asDouble();
    } else if (v.isTextual()) {
      return v.asText();
    }
    throw new BadLine(what + v + " must be a number or a string");
  }

  private static double price(JsonNode price, String field, String ctx) {
    JsonNode v = price.get(field);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (!v.isNumber() || v.asDouble() < 0) {
      throw new BadLine(ctx + "price_per_mtok." + field + " = " + v
          + " must be a number at least 0, or null when unknown");
    }
    return v.asDouble();
  }

  static byte[] writeCandidates(CandidateSet set) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("benchmark", set.benchmark());
    if (set.sourceNode() != null) {
      root.set("source", set.sourceNode());
    }
    ArrayNode models = root.putArray("models");
    for (CandidateModel m : set.models()) {
      ObjectNode mn = models.addObject();
      mn.put("id", m.id());
      if (m.inputPrice().isEmpty() && m.outputPrice().isEmpty()) {
        mn.putNull("price_per_mtok");
      } else {
        ObjectNode pn = mn.putObject("price_per_mtok");
        putPrice(pn, "input", m.inputPricePerMtok());
        putPrice(pn, "output", m.outputPricePerMtok());
      }
      ArrayNode ps = mn.putArray("parameters");
      for (ParameterSpec s : m.parameters().specs()) {
        ObjectNode sn = ps.addObject();
        sn.put("name", s.name());
        // A switch expression, not a statement: a new kind does not compile until handled here.
        ObjectNode typed = switch (s.kind()) {
          case FLOAT -> {
            FloatSpec f = (FloatSpec) s;
            yield sn.put("type", "float").put("min", f.min()).put("max", f.max())
                .put("default", f.defaultValue());
          }
          case INT -> {
            IntSpec f = (IntSpec) s;
            yield sn.put("type", "int").put("min", f.min()).put("max", f.max())
                .put("default", f.defaultValue());
          }
          case CATEGORICAL -> {
            CategoricalSpec c = (CategoricalSpec) s;
            sn.put("type", "categorical");
            ArrayNode ch = sn.putArray("choices");
            c.choices().forEach(ch::add);
            yield sn.put("default", c.defaultValue());
          }
          case TENSOR -> throw new IllegalArgumentException("model '" + m.id() + "' parameter '"
              + s.name() + "' is a tensor; candidates.json holds float, int and categorical"
              + " parameters");
        };
        List<Object> obs = m.observedValues(s.name());
        if (m.observed().containsKey(s.name())) {
          ArrayNode on = typed.putArray("observed");
          for (Object v : obs) {
            if (v instanceof Long) {
              on.add((Long) v);
            } else if (v instanceof Double) {
              on.add((Double) v);
            } else {
              on.add(String.valueOf(v));
            }
          }
        }
      }
    }
    try {
      byte[] json = PRETTY.writeValueAsBytes(root);
      byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putPrice(ObjectNode pn, String field, double v) {
    if (Double.isNaN(v)) {
      pn.putNull(field);
    } else {
      pn.put(field, v);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String requireText(JsonNode node, String field, String ctx, String required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw missing(ctx, field, required);
    }
    if (!v.isTextual()) {
      throw new BadLine(ctx + "field '" + field + "' must be a string, found " + kind(v));
    }
    if (v.asText().isBlank()) {
      throw new BadLine(ctx + "field '" + field + "' is blank");
    }
    return v.asText();
  }

  private static BadLine blankQuery(String ctx, String query) {
    return new BadLine(ctx + "field 'query' is blank (" + query.length() + " characters); a"
        + " router reads the query text, so every query needs some (fill it in or remove the"
        + " line)");
  }

  private static BadLine missing(String ctx, String field, String required) {
    return new BadLine(
        ctx + "field '" + field + "' is missing or null; required: " + required);
  }

  private static String kind(JsonNode n) {
    switch (n.getNodeType()) {
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case STRING:
        return "the string " + n;
      case NUMBER:
        return "the number " + n;
      case BOOLEAN:
        return "the boolean " + n;
      case NULL:
        return "null";
      default:
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
