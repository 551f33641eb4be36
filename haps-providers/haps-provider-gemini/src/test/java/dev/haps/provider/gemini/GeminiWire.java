package dev.haps.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for Gemini's wire format. {@code dev.haps.testing.LoopbackServer}
 * records a request's path but not its query, and Gemini's streaming mode is the query
 * {@code alt=sse} (and an API key in the query would be a leak), so this small server records
 * the raw request URI. Replies are served in order: a JSON body with a status, or an event
 * stream written chunk by chunk.
 */
final class GeminiWire implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received: the raw URI (path and query), lower-case headers, the body. */
  record Request(String method, String uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? "" : v.get(0);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private record Reply(int status, String contentType, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gemini-wire");
    t.setDaemon(true);
    return t;
  });
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  GeminiWire() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  GeminiWire json(int status, String body) {
    replies.add(new Reply(status, "application/json", body));
    return this;
  }

  GeminiWire events(String stream) {
    replies.add(new Reply(200, "text/event-stream", stream));
    return this;
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  Request last() {
    List<Request> all = requests();
    if (all.isEmpty()) {
      throw new IllegalStateException("the Gemini wire server received no request");
    }
    return all.get(all.size() - 1);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), headers,
          body));
      Reply r = replies.poll();
      if (r == null) {
        r = new Reply(500, "application/json", "{\"error\":{\"message\":\"no reply scripted\"}}");
      }
      ex.getResponseHeaders().add("Content-Type", r.contentType());
      byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
      if (r.contentType().equals("text/event-stream")) {
        ex.sendResponseHeaders(r.status(), 0);
        try (OutputStream out = ex.getResponseBody()) {
          for (String chunk : r.body().split("(?<=\n\n)")) {
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
      } else {
        ex.sendResponseHeaders(r.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
