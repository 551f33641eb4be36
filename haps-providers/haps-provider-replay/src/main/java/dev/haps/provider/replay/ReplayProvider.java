package dev.haps.provider.replay;

import dev.haps.api.ChatMessage;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.FloatSpec;
import dev.haps.api.params.IntSpec;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import dev.haps.api.params.ParameterValues;
import dev.haps.data.CandidateModel;
import dev.haps.data.OutcomeLog;
import dev.haps.data.Outcome;
import dev.haps.data.QueryRecord;
import dev.haps.spi.ChatRequest;
import dev.haps.spi.Completion;
import dev.haps.spi.LlmProvider;
import dev.haps.spi.ModelInfo;
import dev.haps.spi.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An in-process backend that answers from an outcome log: for a query in the log and a
 * (model, parameters) configuration it returns the recorded score, tokens and cost instead of
 * calling a model. No network, no key; the SDK's default backend for the quick start, demos and
 * offline evaluation.
 *
 * <pre>{@code
 * ReplayProvider replay = ReplayProvider.bundled("local");       // the bundled concise-cot log
 * Completion c = replay.complete(
 *     ChatRequest.of("gpt-4", List.of(ChatMessage.user(queryText))),
 *     ParameterValues.of(Map.of("prompt_style", "concise")));
 * c.attributes().get("score");                                   // "1.0"
 * }</pre>
 *
 * <p><b>Which query.</b> The last user turn of the request, matched exactly against the log's
 * query texts, then with surrounding whitespace trimmed and inner whitespace runs collapsed.
 * Where two records share a text the first in file order answers. A query the log does not hold
 * is a {@link ProviderException.Kind#BAD_REQUEST}: replay cannot answer new queries.
 *
 * <p><b>Which outcome.</b> Parameters the request leaves out take the model's declared default.
 * Float and int values are snapped to the nearest value the log holds for that model and
 * parameter (a tie goes to the smaller value); a parameter the log never sets is only clamped to
 * its range. The answer is the query's recorded outcome with the same model and the same
 * completed, snapped parameters; if the query has none (a sparse log), the closest recorded
 * configuration of that model answers, distance being the sum over parameters of |Δ| / (max −
 * min) for numbers and 1 for a different choice (first in file order on a tie). The completion's
 * {@code recorded_params} attribute always shows which configuration answered. These are the
 * rules of the offline training environment and of evaluation, so replay agrees with both.
 *
 * <p><b>What comes back.</b> Text naming the model, the replayed parameters and the recorded
 * score; usage = the recorded token counts (0 where the log has none); cost = the recorded cost
 * (NaN where the log has none); latency = the measured time of the lookup; attributes
 * {@code score}, {@code query_id}, {@code task}, {@code split}, {@code benchmark} and
 * {@code recorded_params}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReplayProvider implements LlmProvider {

  /** The benchmark bundled as the default data set. */
  public static final String BUNDLED_BENCHMARK = "concise-cot";

  private static final String RESOURCES = "/dev/haps/provider/replay/concise-cot/";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final String id;
  private final OutcomeLog log;
  private final Map<String, QueryRecord> byText;
  private final Map<String, QueryRecord> byNormalisedText;
  private final List<ModelInfo> models;

  private ReplayProvider(String id, OutcomeLog log) {
    if (id == null || id.isBlank()) {
      throw new ConfigurationException("replay provider instance id must not be blank");
    }
    this.id = id;
    this.log = Objects.requireNonNull(log, "log");
    Map<String, QueryRecord> exact = new HashMap<>();
    Map<String, QueryRecord> normalised = new HashMap<>();
    for (QueryRecord r : log.records()) {
      exact.putIfAbsent(r.query(), r);
      normalised.putIfAbsent(normalise(r.query()), r);
    }
    this.byText = exact;
    this.byNormalisedText = normalised;
    List<ModelInfo> infos = new ArrayList<>();
    for (CandidateModel m : log.candidates().models()) {
      infos.add(m.toModelInfo());
    }
    this.models = List.copyOf(infos);
  }

  /**
   * A replay provider over a loaded log.
   *
   * @param id the instance id
   * @param log the outcome log to answer from
   * @return the provider
   * @throws ConfigurationException if the id is blank
   */
  public static ReplayProvider of(String id, OutcomeLog log) {
    return new ReplayProvider(id, log);
  }

  /**
   * A replay provider over the bundled {@value #BUNDLED_BENCHMARK} log.
   *
   * @param id the instance id
   * @return the provider
   */
  public static ReplayProvider bundled(String id) {
    return new ReplayProvider(id, bundledLog());
  }

  /**
   * The bundled {@value #BUNDLED_BENCHMARK} outcome log (BSD-2-Clause, Copyright (c) 2023
   * Matthew Renze; see {@code LICENSE-NOTICE.txt} beside it in this jar). Loaded once, on first
   * use, and shared.
   *
   * @return the log
   */
  public static OutcomeLog bundledLog() {
    return Bundled.LOG;
  }

  /** Holder: the bundled log is parsed on first use only (about 2 MB of JSON). */
  private static final class Bundled {
    static final OutcomeLog LOG = load();

    private static OutcomeLog load() {
      try (InputStream c = resource("candidates.json");
          InputStream o = resource("outcomes.jsonl")) {
        return OutcomeLog.load("classpath:" + RESOURCES + "candidates.json", c,
            "classpath:" + RESOURCES + "outcomes.jsonl", o);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled replay log", e);
      }
    }

    private static InputStream resource(String name) {
      InputStream in = ReplayProvider.class.getResourceAsStream(RESOURCES + name);
      if (in == null) {
        throw new ConfigurationException("the bundled replay log resource " + RESOURCES + name
            + " is missing from the class path; the haps-provider-replay jar is damaged:"
            + " reinstall it, or set 'data' to a log directory");
      }
      return in;
    }
  }

  /**
   * The log this provider answers from.
   *
   * @return the log
   */
  public OutcomeLog log() {
    return log;
  }

  @Override
  public String id() {
    return id;
  }

  /** The log's candidate models, with their parameter spaces and prices. */
  @Override
  public List<ModelInfo> models() {
    return models;
  }

  @Override
  public ParameterSpace parameterSpace(String model) {
    return requireModel(model).parameters();
  }

  /**
   * The log's record for a query text (exact, then whitespace-normalised).
   *
   * @param query the query text
   * @return the record, if the log holds the query
   */
  public Optional<QueryRecord> record(String query) {
    Objects.requireNonNull(query, "query");
    QueryRecord r = byText.get(query);
    if (r == null) {
      r = byNormalisedText.get(normalise(query));
    }
    return Optional.ofNullable(r);
  }

  /**
   * The recorded outcome that answers a query for a configuration, by the rules in the class
   * comment; {@link #complete} answers with exactly this outcome.
   *
   * @param query the query text
   * @param model the model id
   * @param params the parameters (completed with defaults and snapped here)
   * @return the outcome, or empty when the log does not hold the query or the model has no
   *     outcome on it
   * @throws ConfigurationException if the log has no such model
   * @throws dev.haps.api.error.InvalidParameterException for an undeclared parameter or a value
   *     outside its range
   */
  public Optional<Outcome> recordedOutcome(String query, String model, ParameterValues params) {
    CandidateModel m = requireModel(model);
    m.parameters().validate(Objects.requireNonNull(params, "params"));
    return record(query).flatMap(r -> lookup(r, m, snap(m, params)));
  }

  /**
   * Completes parameters with the model's defaults and snaps numbers to the values the log
   * holds, as replay does before looking an outcome up.
   *
   * @param model the model id
   * @param params the parameters
   * @return every declared parameter of the model, in declaration order
   * @throws ConfigurationException if the log has no such model
   * @throws dev.haps.api.error.InvalidParameterException for an undeclared parameter or a value
   *     outside its range
   */
  public ParameterValues snap(String model, ParameterValues params) {
    CandidateModel m = requireModel(model);
    m.parameters().validate(Objects.requireNonNull(params, "params"));
    return snap(m, params);
  }

  /**
   * Answers from the log.
   *
   * @throws ConfigurationException if the log has no such model
   * @throws dev.haps.api.error.InvalidParameterException for an undeclared parameter or a value
   *     outside its range (checked first)
   * @throws ProviderException of kind {@link ProviderException.Kind#BAD_REQUEST} if the request
   *     has no user turn, the log does not hold its query, or the model has no outcome on it
   */
  @Override
  public Completion complete(ChatRequest request, ParameterValues parameters) {
    long start = System.nanoTime();
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(parameters, "parameters");
    CandidateModel m = requireModel(request.model());
    m.parameters().validate(parameters);
    String query = lastUserTurn(request.messages()).orElseThrow(() -> new ProviderException(id,
        ProviderException.Kind.BAD_REQUEST, "replay provider '" + id + "' got a request for '"
            + m.id() + "' without a non-blank user turn; replay answers the last user turn"));
    QueryRecord r = record(query).orElseThrow(() -> unknownQuery(query));
    ParameterValues want = snap(m, parameters);
    Outcome o = lookup(r, m, want).orElseThrow(() -> new ProviderException(id,
        ProviderException.Kind.BAD_REQUEST, "replay provider '" + id + "': the log '"
            + log.benchmark() + "' has no outcome of model '" + m.id() + "' for query '" + r.id()
            + "'; models with outcomes on it: " + modelsOn(r)));
    ParameterValues replayed = complete(m, o.params());
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("score", Double.toString(o.score()));
    attributes.put("query_id", r.id());
    attributes.put("task", r.task());
    attributes.put("split", r.split().wireName());
    attributes.put("benchmark", log.benchmark());
    attributes.put("recorded_params", describe(replayed));
    String text = "[replay] " + m.id() + " " + describe(replayed) + ": recorded score "
        + o.score() + " on query " + r.id() + " (" + log.benchmark() + ")"
        + (replayed.equals(want) ? "" : "; requested " + describe(want)
            + ", which the log does not hold for this query");
    TokenUsage usage = new TokenUsage(Math.max(0, o.inputTokens()), Math.max(0, o.outputTokens()));
    return new Completion(text, m.id(), usage, o.costUsd(),
        Duration.ofNanos(System.nanoTime() - start), attributes);
  }

  @Override
  public String toString() {
    return "ReplayProvider{id=" + id + ", log=" + log.benchmark() + ", queries="
        + log.records().size() + "}";
  }

  // ------------------------------------------------------------------ lookup

  private CandidateModel requireModel(String model) {
    Objects.requireNonNull(model, "model");
    return log.candidates().model(model).orElseThrow(() -> new ConfigurationException(
        "replay provider '" + id + "' has no model '" + model + "': its log '"
            + log.benchmark() + "' holds " + log.candidates().ids() + "; map the candidate to"
            + " one of these, or point setting 'data' at a log that holds '" + model + "'"));
  }

  private ProviderException unknownQuery(String query) {
    String shown = WHITESPACE.matcher(query.strip()).replaceAll(" ");
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return new ProviderException(id, ProviderException.Kind.BAD_REQUEST, "replay provider '" + id
        + "' has no recorded query matching '" + shown + "' (" + query.length() + " chars):"
        + " replay answers only the " + log.records().size() + " queries in its outcome log '"
        + log.benchmark() + "'; to replay other queries, set 'data' to a directory holding"
        + " candidates.json and outcomes.jsonl that contain them");
  }

  private ParameterValues snap(CandidateModel m, ParameterValues params) {
    ParameterValues.Builder b = ParameterValues.builder();
    for (ParameterSpec spec : m.parameters().specs()) {
      Object v = params.get(spec.name()).orElse(spec.defaultValue());
      b.put(spec.name(), snapValue(m.id(), spec, spec.validate(v)));
    }
    return b.build();
  }

  private Object snapValue(String model, ParameterSpec spec, Object v) {
    return switch (spec.kind()) {
      case FLOAT -> nearestObserved(model, spec, v);
      case INT -> Math.round(nearestObserved(model, spec, v));
      case CATEGORICAL, TENSOR -> v;
    };
  }

  /** The recorded value nearest to {@code v} (ties to the smaller). */
  private double nearestObserved(String model, ParameterSpec spec, Object v) {
    double x = ((Number) v).doubleValue();
    double best = x;
    double bestDist = Double.POSITIVE_INFINITY;
    for (Object observed : log.observedValues(model, spec.name())) {
      double ov = ((Number) observed).doubleValue();
      double d = Math.abs(ov - x);
      if (d < bestDist || (d == bestDist && ov < best)) {
        bestDist = d;
        best = ov;
      }
    }
    return best;
  }

  /** An outcome's parameters with the ones it leaves out at the model's defaults. */
  private static ParameterValues complete(CandidateModel m, ParameterValues recorded) {
    ParameterValues.Builder b = ParameterValues.builder();
    for (ParameterSpec spec : m.parameters().specs()) {
      b.put(spec.name(), recorded.get(spec.name()).orElse(spec.defaultValue()));
    }
    return b.build();
  }

  private static Optional<Outcome> lookup(QueryRecord r, CandidateModel m, ParameterValues want) {
    Outcome best = null;
    double bestDist = Double.POSITIVE_INFINITY;
    for (Outcome o : r.outcomes()) {
      if (!o.model().equals(m.id())) {
        continue;
      }
      ParameterValues have = complete(m, o.params());
      if (have.equals(want)) {
        return Optional.of(o);
      }
      double d = distance(m.parameters(), want, have);
      if (d < bestDist) {
        bestDist = d;
        best = o;
      }
    }
    return Optional.ofNullable(best);
  }

  private static double distance(ParameterSpace space, ParameterValues a, ParameterValues b) {
    double d = 0;
    for (ParameterSpec spec : space.specs()) {
      Object x = a.get(spec.name()).orElseThrow();
      Object y = b.get(spec.name()).orElseThrow();
      d += switch (spec.kind()) {
        case FLOAT -> numericDistance(x, y, ((FloatSpec) spec).min(), ((FloatSpec) spec).max());
        case INT -> numericDistance(x, y, ((IntSpec) spec).min(), ((IntSpec) spec).max());
        case CATEGORICAL -> x.equals(y) ? 0 : 1;
        case TENSOR -> java.util.Objects.deepEquals(x, y) ? 0 : 1;
      };
    }
    return d;
  }

  private static double numericDistance(Object x, Object y, double lo, double hi) {
    double range = hi - lo;
    double diff = Math.abs(((Number) x).doubleValue() - ((Number) y).doubleValue());
    return range > 0 ? diff / range : (diff > 0 ? 1 : 0);
  }

  private static List<String> modelsOn(QueryRecord r) {
    List<String> ids = new ArrayList<>();
    for (Outcome o : r.outcomes()) {
      if (!ids.contains(o.model())) {
        ids.add(o.model());
      }
    }
    return ids;
  }

  private static Optional<String> lastUserTurn(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage m = messages.get(i);
      if (m.role() == ChatMessage.Role.USER && !m.content().isBlank()) {
        return Optional.of(m.content());
      }
    }
    return Optional.empty();
  }

  static String normalise(String text) {
    return WHITESPACE.matcher(text.strip()).replaceAll(" ");
  }

  private static String describe(ParameterValues p) {
    if (p.isEmpty()) {
      return "(defaults)";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }
}
