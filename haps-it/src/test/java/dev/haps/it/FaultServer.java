package dev.haps.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI Chat Completions endpoint on a raw loopback socket that misbehaves on purpose. Raw
 * sockets (not an HTTP server library) so that it can drop connections, reset them, stall
 * mid-body, cut event streams and lie about lengths, and so that it can count the connections it
 * holds open. HTTP/1.1 with keep-alive; an idle connection is closed after {@link #IDLE_MS}, as
 * real servers do, so that a connection the client forgot stays visible as an open descriptor
 * on the client side only.
 */
final class FaultServer implements AutoCloseable {

  static final int IDLE_MS = 1_500;
  private static final Pattern CALL = Pattern.compile("call-(\\d+)");

  /** What the server does with one request. */
  enum Fault {
    OK, RATE_LIMITED, RATE_LIMITED_LONG, SERVER_500, SERVER_503, SLOW_HEADERS, SLOW_BODY,
    TRUNCATED_STREAM, TRUNCATED_BODY, GARBAGE_JSON, DROP, RESET, AUTH_ECHOING_KEY,
    BAD_REQUEST_ECHOING_KEY, PLAIN_KEY_BODY
  }

  /** One request as the server saw it, and what it answered. */
  record Seen(int call, String model, boolean stream, Fault fault, String authorization) {
    @Override
    public String toString() {
      return fault + (stream ? " (stream)" : ""); // never the Authorization header
    }
  }

  private final ServerSocket socket;
  private final ExecutorService pool;
  private final Random random;
  private final int[] weights;
  private final long stallMs;
  private final String key;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final Map<Fault, AtomicInteger> faults = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean closed;
  private final Thread acceptor;
  /** Calls whose every request gets one fixed fault, whatever the random draw. */
  private final Map<Integer, Fault> forced;

  /**
   * @param seed seed of the fault sequence
   * @param weights one weight per {@link Fault}, in declaration order
   * @param stallMs how long slow answers stall (longer than the client's timeout)
   * @param key the API key the backend "echoes" in the faults that echo it
   */
  FaultServer(String name, long seed, int[] weights, long stallMs, String key,
      Map<Integer, Fault> forced) throws IOException {
    this.forced = Map.copyOf(forced);
    this.socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.random = new Random(seed);
    this.weights = weights.clone();
    this.stallMs = stallMs;
    this.key = key;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-server-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (Fault f : Fault.values()) {
      faults.put(f, new AtomicInteger());
    }
    this.acceptor = new Thread(this::acceptLoop, "fault-server-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  /** Connections the server holds open now. */
  int openConnections() {
    return open.get();
  }

  int acceptedConnections() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = socket.accept();
        accepted.incrementAndGet();
        open.incrementAndGet();
        live.add(s);
        pool.execute(() -> serve(s));
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private Fault pick() {
    synchronized (random) {
      int total = 0;
      for (int w : weights) {
        total += w;
      }
      int x = random.nextInt(total);
      for (int i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) {
          return Fault.values()[i];
        }
      }
      return Fault.OK;
    }
  }

  private int nextInt(int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(IDLE_MS);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        Request req;
        try {
          req = read(in);
        } catch (SocketTimeoutException idle) {
          return; // idle keep-alive connection: close it, as real servers do
        }
        if (req == null) {
          return; // the client closed the connection
        }
        Matcher m = CALL.matcher(req.body);
        int call = m.find() ? Integer.parseInt(m.group(1)) : -1;
        Fault drawn = pick();
        Fault f = forced.getOrDefault(call, drawn);
        faults.get(f).incrementAndGet();
        boolean stream = req.body.contains("\"stream\":true");
        Matcher mm = Pattern.compile("\"model\":\"([^\"]*)\"").matcher(req.body);
        String model = mm.find() ? mm.group(1) : "";
        seen.add(new Seen(call, model, stream, f, req.headers.getOrDefault("authorization", "")));
        if (!answer(f, s, out, call, model, stream)) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away mid-answer: nothing to do
    } finally {
      live.remove(s);
      open.decrementAndGet();
    }
  }

  /** Writes the answer; returns whether the connection stays open for another request. */
  private boolean answer(Fault f, Socket s, OutputStream out, int call, String model,
      boolean stream) throws IOException, InterruptedException {
    String text = "ok call-" + call;
    switch (f) {
      case OK -> {
        if (stream) {
          streamHead(out);
          out.write(event("{\"model\":\"" + model + "\",\"choices\":[{\"delta\":{\"content\":"
              + "\"ok \"}}]}"));
          out.write(event("{\"choices\":[{\"delta\":{\"content\":\"call-" + call
              + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,"
              + "\"completion_tokens\":2}}"));
          out.write(event("[DONE]"));
          out.flush();
          return false;
        }
        json(out, 200, chat(model, text), "");
        return true;
      }
      case RATE_LIMITED -> {
        String retryAfter = nextInt(3) == 0 ? "Wed, 21 Oct 2015 07:28:00 GMT" : "0";
        json(out, 429, "{\"error\":{\"message\":\"rate limited\",\"type\":\"requests\"}}",
            "Retry-After: " + retryAfter + "\r\n");
        return true;
      }
      case RATE_LIMITED_LONG -> {
        json(out, 429, "{\"error\":{\"message\":\"quota\"}}", "Retry-After: 3600\r\n");
        return true;
      }
      case SERVER_500 -> {
        json(out, 500, "{\"error\":{\"message\":\"internal error\"}}", "");
        return true;
      }
      case SERVER_503 -> {
        json(out, 503, "<html>Service Unavailable</html>",
            nextInt(2) == 0 ? "Retry-After: 0\r\n" : "");
        return true;
      }
      case SLOW_HEADERS -> {
        Thread.sleep(stallMs);
        return false;
      }
      case SLOW_BODY -> {
        byte[] body = chat(model, text).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, body.length / 2);
        out.flush();
        Thread.sleep(stallMs);
        return false;
      }
      case TRUNCATED_STREAM -> {
        if (stream) {
          streamHead(out);
          out.write(event("{\"choices\":[{\"delta\":{\"content\":\"ok \"}}]}"));
          out.write("data: {\"choices\":[{\"del".getBytes(StandardCharsets.UTF_8));
          out.flush();
          return false;
        }
        truncatedBody(out, model, text);
        return false;
      }
      case TRUNCATED_BODY -> {
        truncatedBody(out, model, text);
        return false;
      }
      case GARBAGE_JSON -> {
        if (stream) {
          streamHead(out);
          out.write(event("{not json"));
          out.flush();
          return false;
        }
        String[] garbage = {"{\"choices\":[{\"mess", "<html>oops</html>", "[]",
            "{\"choices\":[]}", "null", "\u0000\u0001\u00ff", "{\"choices\":[{\"message\":7}]}"};
        json(out, 200, garbage[nextInt(garbage.length)], "");
        return true;
      }
      case DROP -> {
        return false; // close without a byte
      }
      case RESET -> {
        s.setSoLinger(true, 0); // close with RST
        return false;
      }
      case AUTH_ECHOING_KEY -> {
        json(out, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key
            + ". You can find your API key at https://example.invalid\"}}", "");
        return true;
      }
      case BAD_REQUEST_ECHOING_KEY -> {
        json(out, 400, "bad request from Bearer " + key + " (raw text, not JSON)", "");
        return true;
      }
      case PLAIN_KEY_BODY -> {
        if (stream) {
          streamHead(out);
          out.write(event(key));
          out.flush();
          return false;
        }
        json(out, 200, key, "");
        return true;
      }
      default -> throw new IllegalStateException(f.toString());
    }
  }

  private static String chat(String model, String text) {
    return "{\"id\":\"chatcmpl-1\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}";
  }

  private static void truncatedBody(OutputStream out, String model, String text)
      throws IOException {
    byte[] body = chat(model, text).getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + (body.length + 100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body, 0, body.length / 3);
    out.flush();
  }

  private static void streamHead(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        + "Cache-Control: no-cache\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] event(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void json(OutputStream out, int status, String body, String extraHeaders)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String reason = switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + b.length + "\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  /** A parsed request. */
  private record Request(String line, Map<String, String> headers, String body) {}

  /** Reads one request, or null at a clean end of stream before any byte. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("request cut in its head");
      }
      head.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1
          || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too large");
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("request body cut");
    }
    return new Request(lines[0], headers, new String(body, StandardCharsets.UTF_8));
  }

  /** Counts per fault, for reports. */
  Map<String, Integer> faultCounts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    faults.forEach((k, v) -> out.put(k.name(), v.get()));
    return out;
  }

  /** Requests seen per call number, in arrival order. */
  Map<Integer, List<Seen>> byCall() {
    Map<Integer, List<Seen>> out = new ConcurrentHashMap<>();
    for (Seen s : seen) {
      out.computeIfAbsent(s.call(), k -> new ArrayList<>()).add(s);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
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
}
