package dev.haps.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake LLM backend for tests: a real HTTP/1.1 server on 127.0.0.1, on raw sockets so that it
 * can misbehave the way real networks do. It answers with, in this order of precedence:
 *
 * <ol>
 *   <li><b>scripted replies</b> ({@link #enqueue}), served in order: JSON bodies with any status
 *       and headers, event streams (complete or cut), delays before the headers, bodies that
 *       stall or stop short, dropped and reset connections;
 *   <li><b>seeded faults</b> ({@link #faults(FaultPlan)}): each other request draws a
 *       {@link Fault} (429, 500/503, slow headers or body, cut stream or body, garbage JSON,
 *       drop, reset, errors quoting the API key) or {@link Fault#OK}, the healthy answer below;
 *   <li><b>routes</b> ({@link #route}): a handler per exact path;
 *   <li><b>a fake chat backend</b> ({@link #chat}): OpenAI Chat Completions on any path ending
 *       in {@code /chat/completions} and Anthropic Messages on any path ending in
 *       {@code /messages}, as JSON or server-sent events as the request's {@code "stream"}
 *       asks; {@link #models} lists models on paths ending in {@code /models};
 *   <li>the <b>fallback</b> ({@link #otherwise}), by default a 500 saying no reply was scripted.
 * </ol>
 *
 * <p>It records every request (method, path, headers, body, the fault it got) before answering,
 * so tests can assert what went over the wire, or that nothing did, and counts connections and
 * exchanges in progress (leak checks). Connections are kept alive between requests and closed
 * after {@link #idleTimeout(Duration) an idle time}, as real servers do.
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.start()) {
 *   // scripted: a 429, then a success
 *   server.enqueue(Reply.json(429, "{}").header("Retry-After", "1"))
 *         .enqueue(Reply.json(200, body));
 *   // then a fake backend that answers every chat request, with 10% rate limits and drops
 *   server.chat(request -> ChatAnswer.of("ok").usage(7, 2).reasoningTokens(1))
 *         .faults(FaultPlan.builder().seed(42).weight(Fault.OK, 90)
 *             .weight(Fault.RATE_LIMITED, 5).weight(Fault.DROP, 5).build());
 *   ... point a provider at server.url("/v1") and call it ...
 *   assertThat(server.requestCount("/v1/chat/completions")).isEqualTo(3);
 *   assertThat(server.lastRequest().tools()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of clients may call it at once; configure it from any thread.
 *
 * @since 0.1.0
 */
public final class LoopbackServer implements AutoCloseable {

  /** How long an idle keep-alive connection stays open unless set otherwise. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ServerSocket socket;
  private final ExecutorService pool;
  private final Thread acceptor;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Function<Recorded, Reply>> routes = new ConcurrentHashMap<>();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Map<Fault, AtomicInteger> faultCounts = new EnumMap<>(Fault.class);
  private final Object faultLock = new Object();
  private volatile Function<Recorded, Reply> otherwise =
      r -> Reply.json(500, "{\"error\":{\"message\":\"no reply scripted for this request\"}}");
  private volatile Function<Recorded, ChatAnswer> chat;
  private volatile List<String> models;
  private volatile Function<Recorded, Duration> latency = r -> Duration.ZERO;
  private volatile Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private volatile boolean closed;
  /** Guarded by {@link #faultLock}. */
  private FaultPlan plan;
  /** The fault draws; guarded by {@link #faultLock}. */
  private Random random;
  /** A fault's details (which Retry-After, which garbage), apart so forcing keeps the draws. */
  private Random details;

  private LoopbackServer() throws IOException {
    socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    String name = "loopback-server-" + socket.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (Fault f : Fault.values()) {
      faultCounts.put(f, new AtomicInteger());
    }
    acceptor = new Thread(this::acceptLoop, name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a server on an ephemeral loopback port.
   *
   * @return the running server
   * @throws UncheckedIOException if no port can be bound
   */
  public static LoopbackServer start() {
    try {
      return new LoopbackServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a loopback port: " + e.getMessage(), e);
    }
  }

  /**
   * The server's root URL, e.g. {@code http://127.0.0.1:41234}.
   *
   * @return the URL
   */
  public URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  /**
   * The root URL with a path appended.
   *
   * @param path e.g. {@code /v1}
   * @return the URL as text
   */
  public String url(String path) {
    return url() + path;
  }

  // ---- what it answers ----

  /**
   * Adds a reply to the queue; queued replies answer the next requests, whatever their path,
   * before faults, routes or the chat backend.
   *
   * @param reply the reply
   * @return this server
   */
  public LoopbackServer enqueue(Reply reply) {
    replies.add(Objects.requireNonNull(reply, "reply"));
    return this;
  }

  /**
   * Sets the reply for requests that nothing else answers.
   *
   * @param reply chooses a reply per request
   * @return this server
   */
  public LoopbackServer otherwise(Function<Recorded, Reply> reply) {
    this.otherwise = Objects.requireNonNull(reply, "reply");
    return this;
  }

  /**
   * Answers requests for one exact path (any method, query ignored) with a handler, replacing an
   * earlier handler of that path. Routes come before the chat backend.
   *
   * @param path e.g. {@code /v1/embeddings}
   * @param handler chooses a reply per request
   * @return this server
   */
  public LoopbackServer route(String path, Function<Recorded, Reply> handler) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a route's path starts with '/', got '" + path + "'");
    }
    routes.put(path, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /**
   * Makes the server a chat backend: requests to paths ending in {@code /chat/completions} get
   * the answer as OpenAI Chat Completions, those to paths ending in {@code /messages} as
   * Anthropic Messages; streamed (server-sent events) when the request's {@code "stream"} is
   * true. An OpenAI stream carries usage in a last chunk only when the request's
   * {@code stream_options.include_usage} is true, as OpenAI does.
   *
   * @param answer the answer to each request
   * @return this server
   */
  public LoopbackServer chat(Function<Recorded, ChatAnswer> answer) {
    this.chat = Objects.requireNonNull(answer, "answer");
    return this;
  }

  /**
   * Lists models on paths ending in {@code /models} (GET), in a shape both OpenAI's and
   * Anthropic's clients read.
   *
   * @param ids the model ids
   * @return this server
   */
  public LoopbackServer models(String... ids) {
    this.models = List.of(ids);
    return this;
  }

  /**
   * Waits this long before answering each request (on top of a reply's own
   * {@link Reply#after delay}).
   *
   * @param perRequest zero or more
   * @return this server
   */
  public LoopbackServer latency(Duration perRequest) {
    Objects.requireNonNull(perRequest, "perRequest");
    if (perRequest.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or more, got " + perRequest);
    }
    return latency(r -> perRequest);
  }

  /**
   * Waits before answering each request as long as a function says.
   *
   * @param perRequest the wait for a request, zero or more
   * @return this server
   */
  public LoopbackServer latency(Function<Recorded, Duration> perRequest) {
    this.latency = Objects.requireNonNull(perRequest, "perRequest");
    return this;
  }

  /**
   * Injects faults into every request not answered from the queue, drawn from the plan's seed
   * (restarted here).
   *
   * @param faultPlan the plan
   * @return this server
   */
  public LoopbackServer faults(FaultPlan faultPlan) {
    Objects.requireNonNull(faultPlan, "faultPlan");
    synchronized (faultLock) {
      this.plan = faultPlan;
      this.random = new Random(faultPlan.seed());
      this.details = new Random(~faultPlan.seed());
    }
    return this;
  }

  /**
   * Stops injecting faults.
   *
   * @return this server
   */
  public LoopbackServer noFaults() {
    synchronized (faultLock) {
      this.plan = null;
      this.random = null;
      this.details = null;
    }
    return this;
  }

  /**
   * Sets how long a keep-alive connection may stay idle before the server closes it (default
   * {@link #DEFAULT_IDLE_TIMEOUT}); applies from each connection's next wait.
   *
   * @param idle positive
   * @return this server
   */
  public LoopbackServer idleTimeout(Duration idle) {
    Objects.requireNonNull(idle, "idle");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive, got " + idle);
    }
    this.idleTimeout = idle;
    return this;
  }

  // ---- what it saw ----

  /**
   * The requests received so far, in arrival order.
   *
   * @return a copy
   */
  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /**
   * How many requests arrived.
   *
   * @return the count
   */
  public int requestCount() {
    return requests.size();
  }

  /**
   * How many requests arrived for one path.
   *
   * @param path the exact path, e.g. {@code /v1/chat/completions}
   * @return the count
   */
  public int requestCount(String path) {
    Objects.requireNonNull(path, "path");
    synchronized (requests) {
      return (int) requests.stream().filter(r -> r.path().equals(path)).count();
    }
  }

  /**
   * The latest request.
   *
   * @return the request
   * @throws IllegalStateException if none arrived
   */
  public Recorded lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) {
        throw new IllegalStateException("the loopback server received no request");
      }
      return requests.get(requests.size() - 1);
    }
  }

  /**
   * Forgets the recorded requests (after a warm-up, say). Fault and connection counts go on.
   *
   * @return this server
   */
  public LoopbackServer clearRequests() {
    requests.clear();
    return this;
  }

  /**
   * How many requests got each fault since the server started ({@link Fault#OK} counts the
   * requests answered without a fault, scripted ones included).
   *
   * @return a copy, in {@link Fault} order
   */
  public Map<Fault, Integer> faultCounts() {
    Map<Fault, Integer> out = new EnumMap<>(Fault.class);
    faultCounts.forEach((f, n) -> out.put(f, n.get()));
    return out;
  }

  /**
   * Exchanges being answered right now (a leak check: zero once every client is done and every
   * stall has ended).
   *
   * @return the count
   */
  public int openExchanges() {
    return exchanges.get();
  }

  /**
   * Connections the server holds open now, idle keep-alive ones included.
   *
   * @return the count
   */
  public int openConnections() {
    return connections.get();
  }

  /**
   * Connections accepted since the server started.
   *
   * @return the count
   */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Stops accepting, closes every connection and stops the server's threads. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : live) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
      acceptor.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LoopbackServer{" + url() + ", " + requestCount() + " requests}";
  }

  // ---- serving ----

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = socket.accept();
        // Headers and body go out as separate writes; without this, Nagle's algorithm holds the
        // body until the client's delayed ACK (about 40 ms on Linux) on every keep-alive reply.
        s.setTcpNoDelay(true);
        accepted.incrementAndGet();
        connections.incrementAndGet();
        live.add(s);
        try {
          pool.execute(() -> serve(s));
        } catch (RuntimeException rejected) {
          live.remove(s);
          connections.decrementAndGet();
          s.close();
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idleTimeout.toMillis())));
        WireRequest req;
        try {
          req = WireRequest.read(in, out);
        } catch (SocketTimeoutException idle) {
          return; // an idle keep-alive connection: close it, as real servers do
        }
        if (req == null) {
          return; // the client closed the connection
        }
        s.setSoTimeout(0);
        exchanges.incrementAndGet();
        try {
          if (!answer(s, out, req) || req.wantsClose()) {
            return;
          }
        } finally {
          exchanges.decrementAndGet();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away mid-exchange, or the server is closing: nothing to do
    } finally {
      live.remove(s);
      connections.decrementAndGet();
    }
  }

  /** Answers one request; returns whether the connection stays open. */
  private boolean answer(Socket s, OutputStream out, WireRequest req)
      throws IOException, InterruptedException {
    Recorded rec = new Recorded(req.method(), req.path(), req.headers(), req.body(), Fault.OK);
    Reply reply = replies.poll();
    Fault fault = Fault.OK;
    Random rnd = null;
    FaultPlan p = null;
    if (reply == null) {
      synchronized (faultLock) {
        p = plan;
        rnd = details;
        if (p != null) {
          Fault drawn = FaultReplies.draw(p, random);
          fault = p.forced(rec).orElse(drawn);
        }
      }
      rec = rec.withFault(fault);
    }
    requests.add(rec);
    faultCounts.get(fault).incrementAndGet();
    if (reply == null) {
      Recorded r = rec;
      reply = fault == Fault.OK ? healthy(rec)
          : FaultReplies.of(fault, rec, p, rnd, () -> healthy(r));
    }
    Duration wait = latency.apply(rec);
    if (wait != null && !wait.isNegative() && !wait.isZero()) {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    }
    return reply.serve(s, out);
  }

  /** The answer without faults: a route, the chat backend, the model list, or the fallback. */
  private Reply healthy(Recorded rec) {
    Function<Recorded, Reply> route = routes.get(rec.path());
    Reply r;
    if (route != null) {
      r = route.apply(rec);
    } else if (chat != null && rec.path().endsWith("/chat/completions")) {
      r = chat.apply(rec).openAi(rec);
    } else if (chat != null && rec.path().endsWith("/messages")) {
      r = chat.apply(rec).anthropic(rec);
    } else if (models != null && rec.path().endsWith("/models")) {
      r = modelList(models);
    } else {
      r = otherwise.apply(rec);
    }
    if (r == null) {
      return Reply.json(500, "{\"error\":{\"message\":\"the test's handler for " + rec.path()
          + " returned no reply\"}}");
    }
    return r;
  }

  private static Reply modelList(List<String> ids) {
    ObjectNode root = MAPPER.createObjectNode().put("object", "list");
    var data = root.putArray("data");
    for (String id : ids) {
      data.addObject().put("id", id).put("object", "model").put("type", "model")
          .put("display_name", id).put("created", 0).put("created_at", "1970-01-01T00:00:00Z")
          .put("owned_by", "haps-testing");
    }
    root.put("has_more", false);
    if (!ids.isEmpty()) {
      root.put("first_id", ids.get(0)).put("last_id", ids.get(ids.size() - 1));
    }
    return Reply.json(200, root.toString());
  }

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param path the request path, without the query
   * @param headers header names in lower case to values
   * @param body the body as UTF-8 text
   * @param fault the fault the server injected, {@link Fault#OK} when none (a scripted reply
   *     included)
   * @since 0.1.0
   */
  public record Recorded(String method, String path, Map<String, List<String>> headers,
      String body, Fault fault) {

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if a field is null
     */
    public Recorded {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(fault, "fault");
    }

    /**
     * A request that got no fault.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param headers header names in lower case to values
     * @param body the body as UTF-8 text
     */
    public Recorded(String method, String path, Map<String, List<String>> headers,
        String body) {
      this(method, path, headers, body, Fault.OK);
    }

    Recorded withFault(Fault f) {
      return new Recorded(method, path, headers, body, f);
    }

    /**
     * A header's first value.
     *
     * @param name the header name, any case
     * @return the value, or {@code ""} when absent
     */
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? "" : v.get(0);
    }

    /**
     * The body parsed as JSON.
     *
     * @return the tree
     * @throws UncheckedIOException if the body is not JSON
     */
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The JSON body's {@code "model"}.
     *
     * @return the model, or {@code ""} when the body names none or is not JSON
     */
    public String model() {
      return tree().path("model").asText("");
    }

    /**
     * Whether the JSON body asks for a stream ({@code "stream": true}).
     *
     * @return {@code true} for a streamed request
     */
    public boolean stream() {
      return tree().path("stream").asBoolean(false);
    }

    /**
     * The JSON body's {@code "tools"}, as the client sent them.
     *
     * @return the array, or a missing node when absent
     */
    public JsonNode tools() {
      return tree().path("tools");
    }

    /**
     * The JSON body's {@code "response_format"} (OpenAI) or {@code "output_format"}
     * (Anthropic), as the client sent it.
     *
     * @return the object, or a missing node when absent
     */
    public JsonNode responseFormat() {
      JsonNode t = tree();
      return t.has("response_format") ? t.path("response_format") : t.path("output_format");
    }

    private JsonNode tree() {
      try {
        JsonNode n = MAPPER.readTree(body);
        return n == null ? MissingNode.getInstance() : n;
      } catch (IOException e) {
        return MissingNode.getInstance();
      }
    }

    /** Method, path, fault and body size; never header values, which may hold credentials. */
    @Override
    public String toString() {
      return method + " " + path + " (" + body.length() + " chars)"
          + (fault == Fault.OK ? "" : " -> " + fault);
    }
  }

  /**
   * A scripted answer. Build with the static factories; add headers with {@link #header}.
   *
   * @since 0.1.0
   */
  public static final class Reply {

    enum Kind { FIXED, STREAM, STALL, STALL_THEN_DROP, DROP, RESET, STREAM_THEN_DROP, TRUNCATED }

    final Kind kind;
    final int status;
    final byte[] body;
    private final Duration stall;
    private final Duration before;
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** For a stream: how many events up to and including the first that carries text. */
    private int textEvents = 1;

    Reply(Kind kind, int status, byte[] body, Duration stall, Duration before) {
      this.kind = kind;
      this.status = status;
      this.body = body;
      this.stall = stall;
      this.before = before;
    }

    private Reply(Kind kind, int status, String body, Duration stall) {
      this(kind, status, body.getBytes(StandardCharsets.UTF_8), stall, Duration.ZERO);
    }

    /**
     * A JSON body with a status.
     *
     * @param status the HTTP status
     * @param body the body text (need not be valid JSON)
     * @return the reply
     */
    public static Reply json(int status, String body) {
      return new Reply(Kind.FIXED, status, body, Duration.ZERO)
          .header("Content-Type", "application/json");
    }

    /**
     * A 200 event stream (chunked), written event by event with a flush after each blank line,
     * then ended cleanly. Leave out the protocol's final event to script a truncated stream.
     *
     * @param stream the raw {@code text/event-stream} body
     * @return the reply
     */
    public static Reply events(String stream) {
      return new Reply(Kind.STREAM, 200, stream, Duration.ZERO)
          .header("Content-Type", "text/event-stream");
    }

    /**
     * A 200 event stream whose connection is dropped after the given text, mid-chunk.
     *
     * @param stream the raw body sent before the drop
     * @return the reply
     */
    public static Reply eventsThenDrop(String stream) {
      return new Reply(Kind.STREAM_THEN_DROP, 200, stream, Duration.ZERO)
          .header("Content-Type", "text/event-stream");
    }

    /**
     * Headers and the start of a body, then silence for a while, then the end of the body.
     *
     * @param status the HTTP status
     * @param body the whole body; its first half is sent before the stall
     * @param stall how long to stall mid-body
     * @return the reply
     */
    public static Reply stallingBody(int status, String body, Duration stall) {
      return new Reply(Kind.STALL, status, body, stall)
          .header("Content-Type", "application/json");
    }

    /**
     * A JSON body whose {@code Content-Length} claims 100 bytes more than the body; a third of
     * the body is sent, then the connection closes.
     *
     * @param status the HTTP status
     * @param body the whole body
     * @return the reply
     */
    public static Reply truncated(int status, String body) {
      return new Reply(Kind.TRUNCATED, status, body, Duration.ZERO)
          .header("Content-Type", "application/json");
    }

    /**
     * Closes the connection without answering.
     *
     * @return the reply
     */
    public static Reply drop() {
      return new Reply(Kind.DROP, 0, "", Duration.ZERO);
    }

    /**
     * Resets the connection (TCP RST) without answering.
     *
     * @return the reply
     */
    public static Reply reset() {
      return new Reply(Kind.RESET, 0, "", Duration.ZERO);
    }

    /**
     * The same reply after a delay before the headers.
     *
     * @param delay how long to wait
     * @return a new reply
     */
    public Reply after(Duration delay) {
      Reply r = new Reply(kind, status, body, stall, Objects.requireNonNull(delay, "delay"));
      r.textEvents = textEvents;
      return r.headers(this);
    }

    /**
     * Adds a response header.
     *
     * @param name the header name
     * @param value the value
     * @return this reply
     */
    public Reply header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    Reply headers(Reply from) {
      headers.putAll(from.headers);
      return this;
    }

    /** Marks how many events of a stream come up to and including the first with text. */
    Reply textAt(int events) {
      this.textEvents = events;
      return this;
    }

    /** This reply's body with a {@code Content-Length} over its length, cut at a third. */
    Reply truncated() {
      return new Reply(Kind.TRUNCATED, status == 0 ? 200 : status, body, Duration.ZERO,
          Duration.ZERO).headers(this);
    }

    /** This stream up to its first text event and half of the next event, then a drop. */
    Reply cutStream() {
      String text = new String(body, StandardCharsets.UTF_8);
      String[] events = text.split("(?<=\n\n)");
      StringBuilder sb = new StringBuilder();
      int whole = Math.min(textEvents, Math.max(0, events.length - 1));
      for (int i = 0; i < whole; i++) {
        sb.append(events[i]);
      }
      if (whole < events.length) {
        String next = events[whole];
        sb.append(next, 0, next.length() / 2);
      }
      return new Reply(Kind.STREAM_THEN_DROP, 200, sb.toString(), Duration.ZERO).headers(this);
    }

    /** Writes the reply; returns whether the connection may carry another request. */
    boolean serve(Socket s, OutputStream out) throws IOException, InterruptedException {
      if (!before.isZero()) {
        TimeUnit.NANOSECONDS.sleep(before.toNanos());
      }
      switch (kind) {
        case DROP -> {
          return false;
        }
        case RESET -> {
          s.setSoLinger(true, 0);
          return false;
        }
        case FIXED -> {
          head(out, "Content-Length: " + body.length);
          out.write(body);
          out.flush();
          return true;
        }
        case STALL, STALL_THEN_DROP -> {
          head(out, "Content-Length: " + body.length);
          int half = body.length / 2;
          out.write(body, 0, half);
          out.flush();
          TimeUnit.NANOSECONDS.sleep(stall.toNanos());
          if (kind == Kind.STALL_THEN_DROP) {
            return false;
          }
          out.write(body, half, body.length - half);
          out.flush();
          return true;
        }
        case TRUNCATED -> {
          head(out, "Content-Length: " + (body.length + 100));
          out.write(body, 0, body.length / 3);
          out.flush();
          return false;
        }
        case STREAM, STREAM_THEN_DROP -> {
          head(out, "Transfer-Encoding: chunked");
          String text = new String(body, StandardCharsets.UTF_8);
          for (String piece : text.split("(?<=\n\n)")) {
            byte[] b = piece.getBytes(StandardCharsets.UTF_8);
            if (b.length == 0) {
              continue;
            }
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write(CRLF);
            out.flush();
          }
          if (kind == Kind.STREAM_THEN_DROP) {
            return false;
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return true;
        }
        default -> throw new IllegalStateException(kind.toString());
      }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private void head(OutputStream out, String framing) throws IOException {
      StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
          .append(reason(status)).append("\r\n");
      headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
      sb.append(framing).append("\r\n\r\n");
      out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 403 -> "Forbidden";
        case 404 -> "Not Found";
        case 408 -> "Request Timeout";
        case 422 -> "Unprocessable Entity";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 529 -> "Overloaded";
        default -> "Status";
      };
    }

    @Override
    public String toString() {
      return "Reply{" + kind + (status == 0 ? "" : " " + status) + ", " + body.length
          + " bytes" + (before.isZero() ? "" : ", after " + before) + "}";
    }
  }
}
