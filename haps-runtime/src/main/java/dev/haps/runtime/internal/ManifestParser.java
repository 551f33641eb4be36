package dev.haps.runtime.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.Candidate;
import dev.haps.api.error.BundleException;
import dev.haps.api.params.CategoricalSpec;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.TensorSpec;
import dev.haps.data.JsonProblems;
import dev.haps.runtime.decode.CandidateHead;
import dev.haps.runtime.decode.ParameterSlot;
import dev.haps.runtime.decode.Transform;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.Truncation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks {@code manifest.json} against the bundle contract (format version 1). Every
 * failure is a {@link BundleException} naming the field path, what was found and what was
 * expected. Internal API.
 */
public final class ManifestParser {

  /** The only format name. */
  public static final String FORMAT = "haps-router-bundle";
  /** The only format version this runtime reads. */
  public static final int FORMAT_VERSION = 1;
  /** Upper bounds that keep a hostile manifest from sizing buffers. */
  public static final int MAX_DIMENSION = 65_536;
  /** Most candidates in a bundle. */
  public static final int MAX_CANDIDATES = 4_096;
  /** Most raw parameter outputs per candidate. */
  public static final int MAX_PARAMETER_WIDTH = 1 << 20;
  /** Most raw parameter outputs over all candidates. */
  public static final int MAX_TOTAL_PARAMETER_WIDTH = 1 << 22;
  /** Most choices of a categorical parameter. */
  public static final int MAX_CHOICES = 4_096;
  /** Largest token budget. */
  public static final int MAX_TOKENS = 1 << 16;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  // A bare streaming parser building the tree itself: an ObjectMapper's initialisation costs
  // about 0.2 s of CPU at start-up for nothing a manifest needs.
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final String source;

  private ManifestParser(String source) {
    this.source = source;
  }

  /**
   * Parses and checks a manifest.
   *
   * @param source where the bundle came from, for messages
   * @param bytes the manifest's bytes (UTF-8 JSON)
   * @return the checked manifest
   * @throws BundleException on the first contract violation
   */
  public static ParsedManifest parse(String source, byte[] bytes) {
    JsonNode root;
    try {
      root = readTree(bytes);
    } catch (JsonProcessingException e) {
      throw BundleErrors.file(source, BundleSources.MANIFEST, "is not valid JSON: "
          + JsonProblems.message(e) + " at " + location(e), e);
    } catch (java.io.IOException e) {
      throw BundleErrors.file(source, BundleSources.MANIFEST, "cannot be read: " + e, e);
    }
    return new ManifestParser(source).manifest(root);
  }

  /**
   * One JSON value and nothing after it (a second manifest or garbage appended is an error), as
   * a tree; null for empty input.
   *
   * @param bytes UTF-8 JSON
   * @return the tree
   * @throws java.io.IOException on bad JSON, a duplicate key or trailing content
   */
  public static JsonNode readTree(byte[] bytes) throws java.io.IOException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      JsonNode root = value(p, t);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new JsonParseException(p, "Trailing token (of type " + after + ") found after"
            + " value: one JSON value per file");
      }
      return root;
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws java.io.IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = f.objectNode();
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = f.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING:
        return f.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return f.numberNode(p.getIntValue());
          case LONG:
            return f.numberNode(p.getLongValue());
          default:
            return f.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return f.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return f.booleanNode(true);
      case VALUE_FALSE:
        return f.booleanNode(false);
      case VALUE_NULL:
        return f.nullNode();
      default:
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private ParsedManifest manifest(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw bad("(root)", describe(root), "a JSON object");
    }
    onlyFields(root, "", "format", "formatVersion", "id", "version", "createdAt", "encoder",
        "features", "io", "candidates", "costScale", "routerSha256", "training", "validation");
    String format = string(root, "", "format");
    if (!FORMAT.equals(format)) {
      throw bad("format", BundleErrors.quote(format), "'" + FORMAT + "'");
    }
    JsonNode fv = require(root, "", "formatVersion");
    if (!fv.isIntegralNumber() || !fv.canConvertToInt() || fv.intValue() != FORMAT_VERSION) {
      throw new BundleException("bundle '" + source + "': manifest.json field 'formatVersion':"
          + " found " + fv + ", expected " + FORMAT_VERSION + "; this runtime reads format"
          + " version " + FORMAT_VERSION + " only: upgrade HAPS or re-export the bundle");
    }
    String id = nonBlank(root, "", "id");
    String version = nonBlank(root, "", "version");
    String createdText = string(root, "", "createdAt");
    Instant createdAt;
    try {
      createdAt = Instant.parse(createdText);
    } catch (DateTimeParseException e) {
      throw bad("createdAt", BundleErrors.quote(createdText),
          "an ISO-8601 UTC instant such as 2026-01-31T12:00:00Z");
    }
    EncoderInfo encoder = encoder(require(root, "", "encoder"));
    java.util.Optional<EncoderTopSpec> top = encoderTop(root.get("encoder"));
    JsonNode features = root.get("features");
    if (features != null && !(features.isArray() && features.isEmpty())) {
      throw bad("features", describe(features), "[] (extra query features are reserved in"
          + " format version 1)");
    }
    BundleIo io = io(require(root, "", "io"));
    List<CandidateHead> heads = candidates(require(root, "", "candidates"), io);
    double costScale = number(root, "", "costScale");
    if (!(costScale > 0) || !Double.isFinite(costScale)) {
      throw bad("costScale", costScale, "a positive finite number (USD)");
    }
    String routerSha = "";
    if (root.has("routerSha256")) {
      routerSha = string(root, "", "routerSha256");
      if (!SHA256.matcher(routerSha).matches()) {
        throw bad("routerSha256", BundleErrors.quote(routerSha), "64 hex digits");
      }
    }
    JsonNode training = optionalObject(root, "training");
    JsonNode validation = optionalObject(root, "validation");
    return new ParsedManifest(FORMAT_VERSION, id, version, createdAt, encoder, top, io, heads,
        costScale, routerSha.toLowerCase(java.util.Locale.ROOT), training, validation);
  }

  private EncoderInfo encoder(JsonNode e) {
    String p = "encoder.";
    requireObject(e, "encoder");
    onlyFields(e, p, "id", "dimension", "pooling", "normalize", "maxTokens", "truncation",
        "sha256", "top");
    String id = nonBlank(e, p, "id");
    int dimension = intIn(e, p, "dimension", 1, MAX_DIMENSION);
    String pooling = string(e, p, "pooling");
    if (!"mean".equals(pooling)) {
      throw bad(p + "pooling", BundleErrors.quote(pooling), "'mean'");
    }
    JsonNode normalize = require(e, p, "normalize");
    if (!normalize.isBoolean()) {
      throw bad(p + "normalize", describe(normalize), "true or false");
    }
    int maxTokens = intIn(e, p, "maxTokens", 1, MAX_TOKENS);
    String truncText = string(e, p, "truncation");
    Truncation truncation;
    try {
      truncation = Truncation.fromManifest(truncText);
    } catch (IllegalArgumentException ex) {
      throw bad(p + "truncation", BundleErrors.quote(truncText), "one of head, tail, head_tail");
    }
    String sha = string(e, p, "sha256");
    if (!SHA256.matcher(sha).matches()) {
      throw bad(p + "sha256", BundleErrors.quote(sha), "64 hex digits (SHA-256 of the encoder's"
          + " .onnx file)");
    }
    return new EncoderInfo(id, dimension, pooling, normalize.booleanValue(), maxTokens,
        truncation, sha.toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code encoder.top}: optional; every field inside is required. */
  private java.util.Optional<EncoderTopSpec> encoderTop(JsonNode e) {
    JsonNode t = e.get("top");
    if (t == null || t.isNull()) {
      return java.util.Optional.empty();
    }
    String p = "encoder.top.";
    requireObject(t, "encoder.top");
    onlyFields(t, p, "file", "sha256", "base", "baseSha256", "cut", "baseLayers", "topLayers");
    String file = string(t, p, "file");
    if (!BundleSources.ENCODER_TOP.equals(file)) {
      throw bad(p + "file", BundleErrors.quote(file), "'" + BundleSources.ENCODER_TOP + "'");
    }
    String sha = sha(t, p, "sha256", "SHA-256 of " + BundleSources.ENCODER_TOP);
    String base = nonBlank(t, p, "base");
    String baseSha = sha(t, p, "baseSha256", "SHA-256 of the base encoder's .onnx file");
    String cut = nonBlank(t, p, "cut");
    int baseLayers = intIn(t, p, "baseLayers", 0, MAX_DIMENSION);
    int topLayers = intIn(t, p, "topLayers", 1, MAX_DIMENSION);
    return java.util.Optional.of(new EncoderTopSpec(file, sha, base, baseSha, cut, baseLayers,
        topLayers));
  }

  private String sha(JsonNode n, String prefix, String field, String what) {
    String s = string(n, prefix, field);
    if (!SHA256.matcher(s).matches()) {
      throw bad(prefix + field, BundleErrors.quote(s), "64 hex digits (" + what + ")");
    }
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  private BundleIo io(JsonNode io) {
    String p = "io.";
    requireObject(io, "io");
    onlyFields(io, p, "embedding", "costWeight", "features", "logits", "expectedCost");
    String embedding = nonBlank(io, p, "embedding");
    String costWeight = nonBlank(io, p, "costWeight");
    String logits = nonBlank(io, p, "logits");
    String expectedCost = "";
    JsonNode ec = io.get("expectedCost");
    if (ec != null && !ec.isNull()) {
      expectedCost = nonBlank(io, p, "expectedCost");
    }
    JsonNode f = io.get("features");
    if (f != null && !f.isNull() && !f.isTextual()) {
      throw bad(p + "features", describe(f), "a string or null");
    }
    Set<String> names = new HashSet<>();
    for (String[] n : new String[][] {{"embedding", embedding}, {"costWeight", costWeight},
        {"logits", logits}, {"expectedCost", expectedCost}}) {
      if (!n[1].isEmpty() && !names.add(n[1])) {
        throw bad(p + n[0], BundleErrors.quote(n[1]), "a name distinct from the other io names");
      }
    }
    return new BundleIo(embedding, costWeight, logits, expectedCost);
  }

  /** A candidate as parsed, before outputs shared by several candidates are sized. */
  private record Pending(String provider, String model, double meanCost, List<ParameterSlot> slots,
      int width, String output, int offset) {}

  private List<CandidateHead> candidates(JsonNode arr, BundleIo io) {
    if (!arr.isArray() || arr.isEmpty()) {
      throw bad("candidates", describe(arr), "a non-empty array");
    }
    if (arr.size() > MAX_CANDIDATES) {
      throw bad("candidates", arr.size() + " entries", "at most " + MAX_CANDIDATES);
    }
    Set<String> models = new HashSet<>();
    Set<String> ioNames = new HashSet<>(List.of(io.embedding(), io.costWeight(), io.logits()));
    if (io.hasExpectedCost()) {
      ioNames.add(io.expectedCost());
    }
    List<Pending> pending = new ArrayList<>();
    long totalWidth = 0;
    for (int k = 0; k < arr.size(); k++) {
      String p = "candidates[" + k + "].";
      JsonNode c = arr.get(k);
      requireObject(c, "candidates[" + k + "]");
      onlyFields(c, p, "provider", "model", "meanCostUsd", "output", "outputOffset",
          "parameters");
      String provider = nonBlank(c, p, "provider");
      String model = nonBlank(c, p, "model");
      if (!models.add(model)) {
        throw bad(p + "model", BundleErrors.quote(model), "a model id unique within the bundle");
      }
      // null: the training data had no cost, so the bundle states none (a cost-blind router).
      JsonNode mc = c.get("meanCostUsd");
      double meanCost = mc != null && mc.isNull() ? Double.NaN : number(c, p, "meanCostUsd");
      if (!Double.isNaN(meanCost) && (!(meanCost >= 0) || !Double.isFinite(meanCost))) {
        throw bad(p + "meanCostUsd", meanCost, "a finite number >= 0 (USD per call), or null"
            + " when the training data had no cost");
      }
      JsonNode params = c.get("parameters");
      List<ParameterSlot> slots = new ArrayList<>();
      long width = 0;
      if (params != null) {
        if (!params.isArray()) {
          throw bad(p + "parameters", describe(params), "an array");
        }
        Set<String> names = new HashSet<>();
        for (int j = 0; j < params.size(); j++) {
          ParameterSlot s = parameter(params.get(j), p + "parameters[" + j + "].");
          if (!names.add(s.spec().name())) {
            throw bad(p + "parameters[" + j + "].name", BundleErrors.quote(s.spec().name()),
                "a name unique within the candidate");
          }
          width = Math.max(width, (long) s.slot() + s.width());
          slots.add(s);
        }
      }
      if (width > MAX_PARAMETER_WIDTH) {
        throw bad(p + "parameters", "slots up to " + width, "at most " + MAX_PARAMETER_WIDTH
            + " raw outputs per candidate");
      }
      totalWidth += width;
      if (totalWidth > MAX_TOTAL_PARAMETER_WIDTH) {
        throw bad(p + "parameters", "a total of " + totalWidth + " raw outputs",
            "at most " + MAX_TOTAL_PARAMETER_WIDTH + " over all candidates");
      }
      String output = "";
      int offset = 0;
      JsonNode out = c.get("output");
      if (width > 0) {
        output = nonBlank(c, p, "output");
        if (ioNames.contains(output)) {
          throw bad(p + "output", BundleErrors.quote(output), "a name distinct from the io"
              + " inputs and outputs");
        }
        if (c.has("outputOffset")) {
          offset = intIn(c, p, "outputOffset", 0, MAX_TOTAL_PARAMETER_WIDTH);
        }
      } else {
        if (out != null && !out.isNull()) {
          throw bad(p + "output", describe(out), "absent or null for a candidate without"
              + " parameters");
        }
        if (c.has("outputOffset")) {
          throw bad(p + "outputOffset", describe(c.get("outputOffset")), "absent for a"
              + " candidate without parameters");
        }
      }
      pending.add(new Pending(provider, model, meanCost, slots, (int) width, output, offset));
    }
    // Size each output: candidates sharing it must tile its columns exactly, without overlap.
    java.util.Map<String, Integer> outputWidths = new java.util.HashMap<>();
    java.util.Map<String, List<Integer>> users = new java.util.LinkedHashMap<>();
    for (int k = 0; k < pending.size(); k++) {
      if (pending.get(k).width() > 0) {
        users.computeIfAbsent(pending.get(k).output(), x -> new ArrayList<>()).add(k);
      }
    }
    for (java.util.Map.Entry<String, List<Integer>> e : users.entrySet()) {
      List<Integer> ks = new ArrayList<>(e.getValue());
      ks.sort(java.util.Comparator.comparingInt(k -> pending.get(k).offset()));
      long next = 0;
      for (int k : ks) {
        Pending c = pending.get(k);
        if (c.offset() != next) {
          throw bad("candidates[" + k + "].outputOffset", c.offset(), next + ": candidates"
              + " sharing output '" + e.getKey() + "' must tile its columns from 0 without gaps"
              + " or overlaps (in offset order)");
        }
        next += c.width();
      }
      outputWidths.put(e.getKey(), (int) next);
    }
    List<CandidateHead> heads = new ArrayList<>();
    for (int k = 0; k < pending.size(); k++) {
      Pending c = pending.get(k);
      try {
        heads.add(new CandidateHead(k, new Candidate(c.provider(), c.model()), c.slots(),
            c.width(), c.output(), c.offset(), c.width() > 0 ? outputWidths.get(c.output()) : 0,
            c.meanCost()));
      } catch (IllegalArgumentException ex) {
        throw bad("candidates[" + k + "].parameters", "slot layout: " + ex.getMessage(),
            "slots that cover 0 .. P-1 exactly once");
      }
    }
    return heads;
  }

  private ParameterSlot parameter(JsonNode n, String p) {
    requireObject(n, p.substring(0, p.length() - 1));
    onlyFields(n, p, "name", "type", "min", "max", "default", "choices", "shape", "slot",
        "transform");
    String name = nonBlank(n, p, "name");
    String type = string(n, p, "type");
    int slot = intIn(n, p, "slot", 0, MAX_PARAMETER_WIDTH);
    ParameterSpec.Kind kind = kind(type, p);
    ParameterSpec spec;
    try {
      spec = switch (kind) {
        case FLOAT -> floatSpec(n, p, name);
        case INT -> intSpec(n, p, name);
        case CATEGORICAL -> categoricalSpec(n, p, name);
        case TENSOR -> tensorSpec(n, p, name);
      };
    } catch (IllegalArgumentException ex) {
      throw bad(p.substring(0, p.length() - 1), ex.getMessage(), "a valid parameter spec");
    }
    // Each kind's own fields; the others must be absent.
    Set<String> own = switch (kind) {
      case FLOAT, INT -> Set.of("min", "max");
      case CATEGORICAL -> Set.of("choices");
      case TENSOR -> Set.of("shape");
    };
    for (String f : new String[] {"min", "max", "choices", "shape"}) {
      if (n.has(f) && !own.contains(f)) {
        throw bad(p + f, describe(n.get(f)), "absent for a " + type + " parameter");
      }
    }
    Transform transform = ParameterSlot.defaultTransform(spec);
    if (n.has("transform")) {
      String t = string(n, p, "transform");
      try {
        transform = Transform.fromManifest(t);
        return new ParameterSlot(spec, slot, transform);
      } catch (IllegalArgumentException ex) {
        List<String> allowed = new ArrayList<>();
        for (Transform a : ParameterSlot.transforms(kind)) {
          allowed.add("'" + a.manifestName() + "'");
        }
        throw bad(p + "transform", BundleErrors.quote(t), String.join(" or ", allowed));
      }
    }
    return new ParameterSlot(spec, slot, transform);
  }

  /** The kind a manifest {@code type} names: the kind's name in lower case. */
  private ParameterSpec.Kind kind(String type, String p) {
    List<String> names = new ArrayList<>();
    for (ParameterSpec.Kind k : ParameterSpec.Kind.values()) {
      String name = k.name().toLowerCase(Locale.ROOT);
      if (name.equals(type)) {
        return k;
      }
      names.add(name);
    }
    throw bad(p + "type", BundleErrors.quote(type), "one of " + String.join(", ", names));
  }

  private FloatSpec floatSpec(JsonNode n, String p, String name) {
    double min = number(n, p, "min");
    double max = number(n, p, "max");
    if (min > max) {
      throw bad(p + "max", max, "a number >= min (" + min + ")");
    }
    double def = number(n, p, "default");
    if (!(def >= min && def <= max)) {
      throw bad(p + "default", def, "a number in [" + min + ", " + max + "]");
    }
    return new FloatSpec(name, min, max, def);
  }

  private IntSpec intSpec(JsonNode n, String p, String name) {
    long min = integer(n, p, "min");
    long max = integer(n, p, "max");
    if (min > max) {
      throw bad(p + "max", max, "a whole number >= min (" + min + ")");
    }
    long def = integer(n, p, "default");
    if (def < min || def > max) {
      throw bad(p + "default", def, "a whole number in [" + min + ", " + max + "]");
    }
    return new IntSpec(name, min, max, def);
  }

  private CategoricalSpec categoricalSpec(JsonNode n, String p, String name) {
    JsonNode choices = require(n, p, "choices");
    if (!choices.isArray() || choices.isEmpty() || choices.size() > MAX_CHOICES) {
      throw bad(p + "choices", describe(choices), "an array of 1 to " + MAX_CHOICES
          + " distinct strings");
    }
    List<String> list = new ArrayList<>();
    for (JsonNode ch : choices) {
      if (!ch.isTextual()) {
        throw bad(p + "choices", describe(ch), "strings only");
      }
      list.add(ch.textValue());
    }
    if (new HashSet<>(list).size() != list.size()) {
      throw bad(p + "choices", list, "distinct strings");
    }
    String def = string(n, p, "default");
    if (!list.contains(def)) {
      throw bad(p + "default", BundleErrors.quote(def), "one of " + list);
    }
    return new CategoricalSpec(name, list, def);
  }

  private TensorSpec tensorSpec(JsonNode n, String p, String name) {
    JsonNode shape = require(n, p, "shape");
    if (!shape.isArray() || shape.isEmpty() || shape.size() > 8) {
      throw bad(p + "shape", describe(shape), "an array of 1 to 8 positive integers");
    }
    List<Integer> dims = new ArrayList<>();
    long size = 1;
    for (JsonNode d : shape) {
      if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() <= 0) {
        throw bad(p + "shape", describe(shape), "positive integers");
      }
      dims.add(d.intValue());
      size *= d.intValue();
      if (size > MAX_PARAMETER_WIDTH) {
        throw bad(p + "shape", describe(shape), "at most " + MAX_PARAMETER_WIDTH
            + " elements");
      }
    }
    if (n.has("default")) {
      throw bad(p + "default", describe(n.get("default")), "absent (a tensor's default is"
          + " all zeros)");
    }
    return new TensorSpec(name, dims);
  }

  // ---- field helpers: each names the field path, what it found and what it expected ----

  private BundleException bad(String field, Object found, String expected) {
    return BundleErrors.field(source, BundleSources.MANIFEST, field, found, expected);
  }

  private JsonNode require(JsonNode n, String prefix, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw bad(prefix + field, "nothing (missing)", "a value");
    }
    return v;
  }

  private void requireObject(JsonNode n, String field) {
    if (!n.isObject()) {
      throw bad(field, describe(n), "a JSON object");
    }
  }

  private String string(JsonNode n, String prefix, String field) {
    JsonNode v = require(n, prefix, field);
    if (!v.isTextual()) {
      throw bad(prefix + field, describe(v), "a string");
    }
    return v.textValue();
  }

  private String nonBlank(JsonNode n, String prefix, String field) {
    String s = string(n, prefix, field);
    if (s.isBlank()) {
      throw bad(prefix + field, "a blank string", "a non-blank string");
    }
    return s;
  }

  private double number(JsonNode n, String prefix, String field) {
    JsonNode v = require(n, prefix, field);
    if (!v.isNumber()) {
      throw bad(prefix + field, describe(v), "a number");
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw bad(prefix + field, v.asText(), "a finite number");
    }
    return d;
  }

  private long integer(JsonNode n, String prefix, String field) {
    JsonNode v = require(n, prefix, field);
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
        && Math.abs(v.doubleValue()) < 0x1p53) {
      return (long) v.doubleValue();
    }
    throw bad(prefix + field, describe(v), "a whole number");
  }

  private int intIn(JsonNode n, String prefix, String field, int min, int max) {
    JsonNode v = require(n, prefix, field);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min
        || v.intValue() > max) {
      throw bad(prefix + field, describe(v), "a whole number in [" + min + ", " + max + "]");
    }
    return v.intValue();
  }

  private JsonNode optionalObject(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!v.isObject()) {
      throw bad(field, describe(v), "a JSON object");
    }
    return v;
  }

  private void onlyFields(JsonNode n, String prefix, String... allowed) {
    Set<String> ok = Set.of(allowed);
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!ok.contains(f) && !f.startsWith("x-")) {
        throw bad(prefix + f, "an unknown field", "one of " + List.of(allowed)
            + " (or an extension field named x-...)");
      }
    }
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing (missing)";
    }
    String kind = v.isObject() ? "object" : v.isArray() ? "array" : v.isTextual() ? "string"
        : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : v.isNull() ? "null" : "value";
    String text = v.toString();
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    return kind + " " + text;
  }
}
