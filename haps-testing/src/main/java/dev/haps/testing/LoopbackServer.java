package dev.haps.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (JDK {@code com.sun.net.httpserver}) that answers with
 * scripted replies: JSON bodies with any status and headers, server-sent-event streams (complete
 * or cut), delays before the headers, bodies that stall, and dropped connections. It records
 * every request it received, so tests can assert what went over the wire, or that nothing did.
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.start()) {
 *   server.enqueue(Reply.json(429, "{}").header("Retry-After", "1"))
 *         .enqueue(Reply.json(200, body));
 *   ...
 *   assertThat(server.requestCount()).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>Replies are served in the order enqueued; once the queue is empty, the fallback set with
 * {@link #otherwise(Function)} answers (by default a 500 saying that no reply was scripted).
 * Thread-safe.
 */
public final class LoopbackServer implements AutoCloseable {

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger open = new AtomicInteger();
  private volatile Function<Recorded, Reply> otherwise =
      r -> Reply.json(500, "{\"error\":{\"message\":\"no reply scripted for this request\"}}");

  private LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "loopback-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server on an ephemeral loopback port.
   *
   * @return the running server
   */
  public static LoopbackServer start() {
    try {
      return new LoopbackServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The server's root URL, e.g. {@code http://127.0.0.1:41234}.
   *
   * @return the URL
   */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
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

  /**
   * Adds a reply to the queue.
   *
   * @param reply the reply
   * @return this server
   */
  public LoopbackServer enqueue(Reply reply) {
    replies.add(Objects.requireNonNull(reply));
    return this;
  }

  /**
   * Sets the reply used once the queue is empty.
   *
   * @param reply chooses a reply per request
   * @return this server
   */
  public LoopbackServer otherwise(Function<Recorded, Reply> reply) {
    this.otherwise = Objects.requireNonNull(reply);
    return this;
  }

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
   * Exchanges being handled right now (a leak check: zero once every client is done).
   *
   * @return the count
   */
  public int openExchanges() {
    return open.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    open.incrementAndGet();
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      Recorded rec = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers,
          new String(body, StandardCharsets.UTF_8));
      requests.add(rec);
      Reply reply = replies.poll();
      if (reply == null) {
        reply = otherwise.apply(rec);
      }
      reply.serve(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.decrementAndGet();
    }
  }

  /**
   * One request as received.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param headers header names in lower case to values
   * @param body the body as UTF-8 text
   */
  public record Recorded(String method, String path, Map<String, List<String>> headers,
      String body) {

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
     */
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A scripted answer. Build with the static factories; add headers with {@link #header}. */
  public static final class Reply {
    private final Kind kind;
    private final int status;
    private final byte[] body;
    private final Duration stall;
    private final Duration before;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private enum Kind { FIXED, STREAM, STALL, DROP, STREAM_THEN_DROP }

    private Reply(Kind kind, int status, byte[] body, Duration stall, Duration before) {
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
     * A 200 event stream, written event by event with a flush after each blank line, then ended
     * cleanly. Leave out the protocol's final event to script a truncated stream.
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
     * Closes the connection without answering.
     *
     * @return the reply
     */
    public static Reply drop() {
      return new Reply(Kind.DROP, 0, "", Duration.ZERO);
    }

    /**
     * The same reply after a delay before the headers.
     *
     * @param delay how long to wait
     * @return a new reply
     */
    public Reply after(Duration delay) {
      Reply r = new Reply(kind, status, body, stall, delay);
      r.headers.putAll(headers);
      return r;
    }

    /**
     * Adds a response header.
     *
     * @param name the header name
     * @param value the value
     * @return this reply
     */
    public Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    void serve(HttpExchange ex) throws IOException, InterruptedException {
      if (!before.isZero()) {
        Thread.sleep(before.toMillis());
      }
      if (kind == Kind.DROP) {
        // An exception out of the handler makes the JDK server close the connection unanswered.
        throw new IOException("scripted drop");
      }
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      switch (kind) {
        case FIXED -> {
          ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
        case STALL -> {
          ex.sendResponseHeaders(status, body.length);
          OutputStream out = ex.getResponseBody();
          int half = body.length / 2;
          out.write(body, 0, half);
          out.flush();
          Thread.sleep(stall.toMillis());
          out.write(body, half, body.length - half);
          out.close();
        }
        case STREAM, STREAM_THEN_DROP -> {
          ex.sendResponseHeaders(status, 0);
          OutputStream out = ex.getResponseBody();
          String text = new String(body, StandardCharsets.UTF_8);
          for (String chunk : text.split("(?<=\n\n)")) {
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
          if (kind == Kind.STREAM_THEN_DROP) {
            throw new IOException("scripted drop mid-stream");
          }
          out.close();
        }
        default -> throw new IllegalStateException(kind.toString());
      }
    }
  }
}
