package dev.haps.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haps.api.Candidate;
import dev.haps.api.error.BundleException;
import dev.haps.api.error.ConfigurationException;
import dev.haps.api.error.InvalidRequestException;
import dev.haps.api.error.NoEligibleCandidateException;
import dev.haps.api.error.ProviderException;
import dev.haps.api.params.ParameterValues;
import dev.haps.client.CallResult;
import dev.haps.client.CandidateTarget;
import dev.haps.client.RoutingCallException;
import dev.haps.client.RoutingClient;
import dev.haps.runtime.HapsRouter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint. Runs on Jetty's threads only to check the key and the rate limit and to start
 * reading the body asynchronously (so a slow body holds no thread); parsing, routing and the
 * upstream call run on the server's worker pool.
 */
final class ServeHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(ServeHandler.class);
  private static final String JSON_TYPE = "application/json";

  /** What the handler needs of the server around it. */
  record Context(ServeConfig config, ApiKeys apiKeys, ApiKeys adminKeys, RateLimiter limiter,
      ServeMetrics metrics, AccessLog accessLog, SlowHeaderGuard guard, HapsRouter router,
      Supplier<ClientAssembly> assembly, ExecutorService workers,
      ScheduledExecutorService scheduler, BooleanSupplier ready, Reloader reloader) {}

  /** Reloads the bundle; returns the new bundle's name. */
  @FunctionalInterface
  interface Reloader {
    String reload();
  }

  private final Context cx;
  private final ChatRouting routing;

  ServeHandler(Context cx, ChatRouting routing) {
    super(InvocationType.NON_BLOCKING);
    this.cx = cx;
    this.routing = routing;
  }

  @Override
  public boolean handle(Request request, Response response, Callback jettyCallback) {
    java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
    Callback callback = new Callback() {
      @Override
      public void succeeded() {
        sent.set(true);
        jettyCallback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        jettyCallback.failed(x);
      }

      @Override
      public InvocationType getInvocationType() {
        return jettyCallback.getInvocationType();
      }
    };
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    AccessLog.Entry entry = new AccessLog.Entry(method, path, Request.getRemoteAddr(request));
    String endpoint = endpointOf(path);
    cx.guard.requestBegan(request.getConnectionMetaData().getConnection());
    cx.metrics.inFlight.incrementAndGet();
    cx.metrics.accepted.increment();
    Request.addCompletionListener(request, failure -> {
      cx.metrics.inFlight.decrementAndGet();
      // Answered: the last write of the response went out (Jetty may still report unread
      // request content, e.g. after a 408 or 413, as a failure of the exchange).
      (sent.get() ? cx.metrics.answered : cx.metrics.failed).increment();
      cx.guard.requestEnded(request.getConnectionMetaData().getConnection());
      int status = failure != null && !response.isCommitted() ? 500 : response.getStatus();
      cx.metrics.request(endpoint, status, System.nanoTime() - entry.startNanos);
      if (failure != null && entry.error == null) {
        entry.error = failure.getClass().getSimpleName();
      }
      cx.accessLog.log(entry, status, Response.getContentBytesWritten(response));
    });
    try {
      switch (endpoint) {
        case "health" -> {
          requireMethod(method, HttpMethod.GET);
          json(response, callback, 200, obj().put("status", "ok"));
        }
        case "ready" -> {
          requireMethod(method, HttpMethod.GET);
          if (cx.ready.getAsBoolean()) {
            json(response, callback, 200, obj().put("status", "ready")
                .put("bundle", cx.router.bundle().toString()));
          } else {
            json(response, callback, 503, obj().put("status", "not ready"));
          }
        }
        case "metrics" -> {
          requireMethod(method, HttpMethod.GET);
          if (!cx.config.publicMetrics) {
            authenticate(request, entry);
          }
          response.setStatus(200);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE,
              "text/plain; version=0.0.4; charset=utf-8");
          response.write(true, utf8(cx.metrics.scrape()), callback);
        }
        case "models" -> {
          requireMethod(method, HttpMethod.GET);
          authenticate(request, entry);
          json(response, callback, 200, models());
        }
        case "chat" -> {
          requireMethod(method, HttpMethod.POST);
          ServeConfig.KeyEntry key = authenticate(request, entry);
          limit(key);
          readBody(request, response, callback, entry,
              bytes -> chat(request, response, callback, entry, bytes));
        }
        case "feedback" -> {
          requireMethod(method, HttpMethod.POST);
          ServeConfig.KeyEntry key = authenticate(request, entry);
          limit(key);
          readBody(request, response, callback, entry,
              bytes -> feedback(response, callback, bytes));
        }
        case "reload" -> {
          requireMethod(method, HttpMethod.POST);
          Optional<ServeConfig.KeyEntry> admin =
              cx.adminKeys.match(request.getHeaders().get(HttpHeader.AUTHORIZATION));
          if (admin.isEmpty()) {
            cx.metrics.refused("admin_key");
            throw new ApiError(401, "authentication_error", "invalid_api_key", null,
                "reloading needs an admin key (server.adminKeys or HAPS_SERVE_ADMIN_KEYS)");
          }
          entry.key = admin.get().name();
          Content.Source.consumeAll(request, Callback.NOOP);
          dispatch(response, callback, () -> reload(response, callback));
        }
        default -> throw new ApiError(404, "invalid_request_error", "unknown_url", null,
            "Unknown request URL: " + method + " " + path + ". The endpoints are POST"
                + " /v1/chat/completions, GET /v1/models, POST /v1/feedback, GET /health,"
                + " GET /ready, GET /metrics");
      }
    } catch (ApiError e) {
      entry.error = e.code != null ? e.code : e.type;
      error(response, callback, e, e.status == 413 || e.status == 408);
    }
    return true;
  }

  private static String endpointOf(String path) {
    return switch (path) {
      case "/health", "/healthz" -> "health";
      case "/ready", "/readyz" -> "ready";
      case "/metrics" -> "metrics";
      case "/v1/models" -> "models";
      case "/v1/chat/completions", "/chat/completions" -> "chat";
      case "/v1/feedback" -> "feedback";
      case "/admin/reload" -> "reload";
      default -> "other";
    };
  }

  private static void requireMethod(String method, HttpMethod allowed) {
    if (!allowed.is(method)) {
      throw new ApiError(405, "invalid_request_error", "method_not_allowed", null,
          "method " + method + " is not allowed here; use " + allowed);
    }
  }

  private ServeConfig.KeyEntry authenticate(Request request, AccessLog.Entry entry) {
    if (!cx.config.requireApiKey) {
      entry.key = "anonymous";
      return new ServeConfig.KeyEntry("anonymous", new byte[0], null);
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    Optional<ServeConfig.KeyEntry> key = cx.apiKeys.match(auth);
    if (key.isEmpty()) {
      cx.metrics.refused("api_key");
      throw new ApiError(401, "invalid_request_error", "invalid_api_key", null,
          auth == null
              ? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."
              : "Incorrect API key provided. Ask the operator of this server for a key.");
    }
    entry.key = key.get().name();
    return key.get();
  }

  private void limit(ServeConfig.KeyEntry key) {
    long wait = cx.limiter.acquire(key.name(), key.rateLimit(), System.nanoTime());
    if (wait > 0) {
      cx.metrics.refused("rate_limit");
      throw new ApiError(429, "requests", "rate_limit_exceeded", null,
          "Rate limit reached for key '" + key.name() + "'; retry after " + wait + " s",
          wait);
    }
  }

  /** Reads the whole body without holding a thread, within the size and time limits. */
  private void readBody(Request request, Response response, Callback callback,
      AccessLog.Entry entry, Consumer<byte[]> then) {
    ServeConfig.Limits limits = cx.config.limits;
    long length = request.getLength();
    if (length > limits.maxBodyBytes()) {
      cx.metrics.refused("body_size");
      ApiError e = tooLarge(length, limits.maxBodyBytes());
      if (length > discardLimit(limits)) {
        throw e;
      }
      entry.error = e.code;
      refuseAfterDiscarding(request, response, callback, e, length);
      return;
    }
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    Content.Source.asByteArrayAsync(request, limits.maxBodyBytes(),
        Promise.Invocable.toPromise(body));
    // A small body usually came with the headers and is read by now: only a body still on its
    // way needs the timer (scheduling one wakes the timer thread, on every request).
    ScheduledFuture<?> timer = body.isDone() ? null : cx.scheduler.schedule(
        () -> body.completeExceptionally(new BodyTimeout()),
        limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    body.whenComplete((bytes, failure) -> {
      if (timer != null) {
        timer.cancel(false);
      }
      if (failure == null) {
        entry.bytesIn = bytes.length;
        dispatch(response, callback, () -> then.accept(bytes));
        return;
      }
      Throwable f = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      ApiError e;
      if (f instanceof BodyTimeout) {
        cx.metrics.refused("body_timeout");
        e = new ApiError(408, "timeout_error", "request_timeout", null, "the request body did"
            + " not arrive within " + limits.bodyTimeout().toMillis() + " ms; send it promptly");
      } else if (Request.getContentBytesRead(request) > limits.maxBodyBytes()
          || f instanceof IllegalArgumentException) {
        cx.metrics.refused("body_size");
        e = tooLarge(-1, limits.maxBodyBytes());
        entry.error = e.code;
        refuseAfterDiscarding(request, response, callback, e,
            discardLimit(limits) - Request.getContentBytesRead(request));
        return;
      } else {
        // The client went away or broke the framing: nobody is left to answer.
        entry.error = "body_read_failed";
        callback.failed(f);
        return;
      }
      entry.error = e.code;
      error(response, callback, e, true);
    });
  }

  /**
   * The most of an oversized body that is read, and dropped, before the 413 (four times the
   * limit, at most 4 MiB): enough for a client that overshot, too little to make the server
   * read without bound. A body declared larger is refused at once.
   */
  static long discardLimit(ServeConfig.Limits limits) {
    return Math.min(4L * limits.maxBodyBytes(), 4L << 20);
  }

  /**
   * Answers {@code e} (and closes) once the body's end, {@code budget} more bytes or the body
   * timeout has passed. Closing with unread bytes in the socket buffer makes the kernel reset
   * the connection, and the client can lose the answer with it.
   */
  private void refuseAfterDiscarding(Request request, Response response, Callback callback,
      ApiError e, long budget) {
    CompletableFuture<Void> discarded = new CompletableFuture<>();
    ScheduledFuture<?> timer = cx.scheduler.schedule(() -> discarded.complete(null),
        cx.config.limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    discarded.whenComplete((v, f) -> {
      timer.cancel(false);
      error(response, callback, e, true);
    });
    discard(request, budget, discarded);
  }

  private static void discard(Request request, long budget, CompletableFuture<Void> done) {
    long left = budget;
    while (!done.isDone()) {
      if (left < 0) {
        done.complete(null);
        return;
      }
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        long rest = left;
        request.demand(() -> discard(request, rest, done));
        return;
      }
      left -= chunk.remaining();
      boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
      chunk.release();
      if (end) {
        done.complete(null);
      }
    }
  }

  private static ApiError tooLarge(long length, int max) {
    return new ApiError(413, "invalid_request_error", "request_too_large", null,
        "the request body " + (length >= 0 ? "of " + length + " bytes " : "")
            + "exceeds the limit of " + max + " bytes; send a shorter conversation");
  }

  private void dispatch(Response response, Callback callback, Runnable work) {
    try {
      cx.workers.execute(() -> {
        try {
          work.run();
        } catch (ApiError e) {
          error(response, callback, e, false);
        } catch (RuntimeException e) {
          LOG.warn("request failed unexpectedly", e);
          error(response, callback, new ApiError(500, "server_error", null, null,
              "the server failed to handle the request (" + e.getClass().getSimpleName()
                  + "); see its log"), false);
        }
      });
    } catch (RejectedExecutionException e) {
      cx.metrics.refused("overloaded");
      error(response, callback, new ApiError(503, "service_unavailable", "overloaded", null,
          "the server is at capacity or shutting down; retry shortly", 1), false);
    }
  }

  // ---------------------------------------------------------------- chat completions

  private void chat(Request request, Response response, Callback callback,
      AccessLog.Entry entry, byte[] bytes) {
    JsonNode body;
    try {
      body = ChatRouting.JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ApiError(400, "invalid_request_error", "invalid_json", null, "We could not"
          + " parse the JSON body of your request: " + (e instanceof JsonProcessingException j
              ? j.getOriginalMessage() : e.getMessage()));
    }
    List<String> ids = new ArrayList<>();
    for (Candidate c : cx.router.candidates()) {
      ids.add(c.model());
    }
    ChatRouting.Parsed p = routing.parse(body, ids);
    entry.requested = p.requestedModel();
    ClientAssembly a = cx.assembly.get();
    SseSink sink = p.stream() ? new SseSink(response, a) : null;
    ServeExchange x = new ServeExchange((ObjectNode) body, p.messages(), p.pinned(),
        p.stream(), p.streamUsage(), p.costWeight(), sink);
    if (sink != null) {
      sink.exchange = x;
    }
    x.bind();
    CallResult r;
    try {
      r = p.stream()
          ? a.client.stream(p.route(), delta -> sink.delta(delta))
          : a.client.call(p.route());
    } catch (RuntimeException e) {
      ApiError err = translate(e);
      entry.error = err.code != null ? err.code : err.type;
      if (sink != null && sink.committed) {
        sink.fail(err, callback);
      } else {
        error(response, callback, err, false);
      }
      return;
    } finally {
      x.unbind();
    }
    entry.answered = r.candidate();
    entry.callId = r.callId();
    cx.metrics.routing(r.decision().timings().total().toNanos());
    cx.metrics.decision(r.candidate(), !p.pinned());
    if (r.fellBack()) {
      cx.metrics.fallback(r.decision().model(), r.candidate());
    }
    ParameterValues applied = p.pinned() && x.rawAnswer != null || p.pinned() && x.forwarding
        ? ParameterValues.empty() : r.parameters();
    ObjectNode ext = ChatRouting.extension(r.callId(), r.candidate(), r.provider(),
        r.backendModel(), applied, p.costWeight(), p.pinned(), r.decision(), r.attempts().size());
    if (sink != null) {
      sink.finish(r, ext, callback);
      return;
    }
    ObjectNode out = ChatRouting.completionResponse(r, x, ext);
    response.getHeaders().put("x-haps-call-id", r.callId());
    decisionHeaders(response, r.candidate(), applied, p.costWeight());
    json(response, callback, 200, out);
  }

  private static void decisionHeaders(Response response, String candidate,
      ParameterValues parameters, double costWeight) {
    response.getHeaders().put("x-haps-model", candidate);
    response.getHeaders().put("x-haps-parameters", ChatRouting.headerJson(parameters));
    response.getHeaders().put("x-haps-cost-weight", Double.toString(costWeight));
  }

  /** Maps what the routing client threw to the status and error a client should see. */
  static ApiError translate(RuntimeException e) {
    if (e instanceof ApiError a) {
      return a;
    }
    if (e instanceof NoEligibleCandidateException n) {
      return ApiError.invalid(null, "no_eligible_candidate", "no candidate can serve this"
          + " request: " + n.getMessage());
    }
    if (e instanceof InvalidRequestException i) {
      return ApiError.invalid(null, i.getMessage());
    }
    if (e instanceof RoutingCallException rc) {
      Throwable last = rc.getCause();
      if (last instanceof ProviderException pe) {
        return switch (pe.kind()) {
          case BAD_REQUEST -> ApiError.invalid(null, "upstream_rejected", "the model's backend"
              + " refused the request: " + pe.getMessage());
          case RATE_LIMITED -> new ApiError(429, "requests", "upstream_rate_limited", null,
              "every candidate's backend is rate limited: " + rc.getMessage(),
              pe.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(1L));
          case TIMEOUT -> new ApiError(504, "server_error", "upstream_timeout", null,
              rc.getMessage());
          case SERVER_ERROR, CONNECTION, MALFORMED_RESPONSE, AUTHENTICATION, UNSUPPORTED,
              CIRCUIT_OPEN -> new ApiError(502, "server_error", "upstream_error", null,
              rc.getMessage());
        };
      }
      if (rc.getMessage() != null && rc.getMessage().contains("deadline")) {
        return new ApiError(504, "server_error", "upstream_timeout", null, rc.getMessage());
      }
      return new ApiError(502, "server_error", "upstream_error", null, rc.getMessage());
    }
    if (e instanceof ConfigurationException c) {
      return new ApiError(500, "server_error", "configuration", null, c.getMessage());
    }
    if (e instanceof IllegalStateException s && String.valueOf(s.getMessage())
        .contains("closed")) {
      return new ApiError(503, "service_unavailable", "shutting_down", null,
          "the server is shutting down; retry on another instance", 1);
    }
    LOG.warn("chat request failed unexpectedly", e);
    return new ApiError(500, "server_error", null, null, "the server failed to handle the"
        + " request (" + e.getClass().getSimpleName() + "); see its log");
  }

  /** Writes a streamed answer as server-sent events; the first write commits the headers. */
  private final class SseSink implements ServeExchange.StreamSink {
    private final Response response;
    private final ClientAssembly assembly;
    ServeExchange exchange;
    volatile boolean committed;
    private boolean first = true;
    private String id;
    private String model;
    private final long created = System.currentTimeMillis() / 1000;

    SseSink(Response response, ClientAssembly assembly) {
      this.response = response;
      this.assembly = assembly;
    }

    @Override
    public void chunk(ObjectNode chunk) {
      commit();
      if (first) {
        chunk.set("haps", currentExtension());
        first = false;
      }
      if (id == null) {
        id = chunk.path("id").asText(null);
        model = chunk.path("model").asText(null);
      }
      write("data: " + chunk + "\n\n", false);
    }

    /** A text delta from a backend the server does not forward to: it writes the chunk. */
    void delta(String text) {
      if (exchange.forwarding) {
        return; // the forwarder already wrote the upstream's chunk
      }
      if (first) {
        id = "chatcmpl-" + java.util.UUID.randomUUID();
        model = exchange.backendModel;
        ObjectNode start = ChatRouting.chunk(id, model, created, "", "assistant", null);
        chunk(start);
      }
      if (!text.isEmpty()) {
        chunk(ChatRouting.chunk(id, model, created, text, null, null));
      }
    }

    private ObjectNode currentExtension() {
      ServeExchange x = exchange;
      String candidate = assembly.candidates.candidateOf(x.decision, x.providerId,
          x.backendModel);
      ParameterValues params = x.pinned && x.forwarding ? ParameterValues.empty()
          : x.decision == null ? ParameterValues.empty()
              : ChatRouting.parametersOf(x.decision, candidate);
      return ChatRouting.extension(null, candidate, x.providerId, x.backendModel, params,
          x.costWeight, x.pinned, x.decision, 0);
    }

    private void commit() {
      if (committed) {
        return;
      }
      ObjectNode ext = currentExtension();
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      response.getHeaders().put("x-haps-model", ext.path("model").asText());
      response.getHeaders().put("x-haps-parameters",
          ChatRouting.headerJson(exchange.pinned && exchange.forwarding
              ? ParameterValues.empty()
              : exchange.decision == null ? ParameterValues.empty()
                  : ChatRouting.parametersOf(exchange.decision, ext.path("model").asText())));
      response.getHeaders().put("x-haps-cost-weight", Double.toString(exchange.costWeight));
      committed = true;
    }

    void finish(CallResult r, ObjectNode ext, Callback callback) {
      if (first) {
        delta(""); // an empty answer still gets its opening chunk
      }
      if (!exchange.forwarding) {
        chunk(ChatRouting.chunk(id, model, created, null, null,
            r.completion().attributes().getOrDefault("finish_reason", "stop")));
        if (exchange.streamUsage) {
          ObjectNode u = ChatRouting.chunk(id, model, created, null, null, null);
          u.putArray("choices");
          u.set("usage", ChatRouting.usage(r));
          chunk(u);
        }
      }
      // The call id is known only now: one last chunk, with no choices, carries it.
      ObjectNode last = JsonNodeFactory.instance.objectNode();
      last.put("id", id);
      last.put("object", "chat.completion.chunk");
      last.put("created", created);
      last.put("model", model);
      last.putArray("choices");
      last.set("haps", ext);
      try {
        write("data: " + last + "\n\n", false);
        response.write(true, utf8("data: [DONE]\n\n"), callback);
      } catch (RuntimeException e) {
        callback.failed(e);
      }
    }

    void fail(ApiError err, Callback callback) {
      try {
        response.write(true, utf8("data: " + err.body() + "\n\ndata: [DONE]\n\n"), callback);
      } catch (RuntimeException e) {
        callback.failed(e);
      }
    }

    private void write(String event, boolean last) {
      try (Blocker.Callback cb = Blocker.callback()) {
        response.write(last, utf8(event), cb);
        cb.block();
      } catch (IOException e) {
        // The client went away: stop the upstream call too.
        throw new ProviderException("client", ProviderException.Kind.CONNECTION,
            "the client closed the stream: " + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- other endpoints

  private ObjectNode models() {
    ObjectNode out = obj().put("object", "list");
    ArrayNode data = out.putArray("data");
    long created = System.currentTimeMillis() / 1000;
    data.add(model("haps", created, "routes with the default cost weight "
        + cx.config.defaultCostWeight));
    cx.config.aliases.forEach((name, w) ->
        data.add(model(name, created, "routes with cost weight " + w)));
    ClientAssembly a = cx.assembly.get();
    for (Candidate c : cx.router.candidates()) {
      CandidateTarget t = a.candidates.target(c.model());
      if (t != null) {
        data.add(model(c.model(), created, "candidate, passed through to " + t.providerId()));
      }
    }
    return out;
  }

  private static ObjectNode model(String id, long created, String description) {
    ObjectNode m = obj().put("id", id).put("object", "model").put("created", created)
        .put("owned_by", "haps");
    m.put("description", description);
    return m;
  }

  private void feedback(Response response, Callback callback, byte[] bytes) {
    JsonNode body;
    try {
      body = ChatRouting.JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ApiError(400, "invalid_request_error", "invalid_json", null,
          "We could not parse the JSON body of your request");
    }
    if (body == null || !body.path("call_id").isTextual()) {
      throw ApiError.invalid("call_id", "feedback needs \"call_id\" (from the response's"
          + " haps.call_id or x-haps-call-id header) and \"score\" in [0, 1]");
    }
    if (!body.path("score").isNumber()) {
      throw ApiError.invalid("score", "\"score\" must be a number in [0, 1]");
    }
    String callId = body.path("call_id").asText();
    RoutingClient client = cx.assembly.get().client;
    try {
      client.feedback(callId, body.path("score").asDouble());
    } catch (ConfigurationException e) {
      throw new ApiError(501, "invalid_request_error", "feedback_disabled", null,
          "this server keeps no feedback log; its operator can set \"feedback\": {\"path\":"
              + " ...} in the configuration");
    } catch (InvalidRequestException e) {
      throw ApiError.invalid(body.path("score").asDouble() >= 0
          && body.path("score").asDouble() <= 1 ? "call_id" : "score", e.getMessage());
    }
    json(response, callback, 200, obj().put("object", "feedback").put("call_id", callId)
        .put("accepted", true));
  }

  private void reload(Response response, Callback callback) {
    try {
      String bundle = cx.reloader.reload();
      json(response, callback, 200, obj().put("status", "reloaded").put("bundle", bundle));
    } catch (BundleException | ConfigurationException e) {
      throw new ApiError(409, "invalid_request_error", "reload_failed", null,
          "the bundle was not swapped, the old one keeps serving: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- writing

  private static ObjectNode obj() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  static void json(Response response, Callback callback, int status, JsonNode body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
    response.write(true, utf8(body.toString()), callback);
  }

  static void error(Response response, Callback callback, ApiError e, boolean close) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    response.reset();
    if (e.retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
    }
    if (close) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    json(response, callback, e.status, e.body());
  }

  /** Fails the body read when its time is up. */
  private static final class BodyTimeout extends RuntimeException {
    BodyTimeout() {
      super("body timeout", null, false, false);
    }
  }
}
