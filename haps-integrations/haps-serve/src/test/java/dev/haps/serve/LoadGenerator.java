package dev.haps.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bounded, self-stopping load and abuse generator for {@code haps serve} on loopback: one NIO
 * selector drives every connection. All connections are opened first (so they are open at the
 * same time), then each sends one request of its kind and reads until the server closes:
 * well-formed chat requests (some streamed), slowloris headers, trickled bodies, malformed JSON,
 * oversized bodies, wrong keys, invalid parameters, and a key with a tiny rate limit. Each
 * answer is checked against the status and error code its kind must get.
 *
 * <p>Runs in-process ({@link #run(Options)}) or as its own process ({@link #main}), so that ten
 * thousand client sockets do not count against the server's open-file limit.
 */
final class LoadGenerator {

  /** What a connection sends, and what it must get back. */
  enum Kind {
    GOOD(200, null), GOOD_STREAM(200, null), SLOW_HEADERS(408, "request_timeout"),
    SLOW_BODY(408, "request_timeout"), MALFORMED_JSON(400, "invalid_json"),
    OVERSIZED(413, "request_too_large"), WRONG_KEY(401, "invalid_api_key"),
    INVALID_PARAMETER(400, "\"param\":\"temperature\""), RATE_LIMITED(429, "rate_limit_exceeded");

    final int status;
    final String marker;

    Kind(int status, String marker) {
      this.status = status;
      this.marker = marker;
    }
  }

  /** The run's shape. */
  record Options(String host, int port, String key, String limitedKey, int connections,
      double slowShare, double badShare, int maxBodyBytes, long slowByteEveryMillis,
      long giveUpMillis, long seed) {}

  /** What happened. */
  record Result(int connections, int maxOpen, long millis, Map<String, Integer> ok,
      Map<String, Integer> wrong, List<String> examples, long p50Millis, long p99Millis) {
    boolean allAsExpected() {
      return wrong.isEmpty();
    }

    String json() {
      return "{\"connections\":" + connections + ",\"maxOpen\":" + maxOpen + ",\"millis\":"
          + millis + ",\"goodP50Millis\":" + p50Millis + ",\"goodP99Millis\":" + p99Millis
          + ",\"ok\":" + map(ok) + ",\"wrong\":" + map(wrong) + ",\"examples\":"
          + examples.stream().map(e -> "\"" + e.replace("\\", "\\\\").replace("\"", "'")
              .replace("\r", " ").replace("\n", " ") + "\"").toList() + "}";
    }

    private static String map(Map<String, Integer> m) {
      StringBuilder sb = new StringBuilder("{");
      m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k)
          .append("\":").append(v));
      return sb.append('}').toString();
    }
  }

  private static final String[] QUESTIONS = {
      "What is the capital of France?", "Prove that sqrt(2) is irrational.",
      "Translate 'good morning' to German.", "What is 17 * 23?", "Name three primes above 50.",
      "Summarise the plot of Hamlet in one line.", "Is 221 a prime number?",
      "What does HTTP 429 mean?", "Write a haiku about routers.", "How far is the Moon?"};

  private LoadGenerator() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> a = new TreeMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Options o = new Options(a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(a.get("port")),
        a.get("key"), a.get("limitedKey"), Integer.parseInt(a.get("connections")),
        Double.parseDouble(a.getOrDefault("slowShare", "0.1")),
        Double.parseDouble(a.getOrDefault("badShare", "0.3")),
        Integer.parseInt(a.get("maxBodyBytes")),
        Long.parseLong(a.getOrDefault("slowByteEveryMillis", "300")),
        Long.parseLong(a.getOrDefault("giveUpMillis", "120000")),
        Long.parseLong(a.getOrDefault("seed", "1")));
    System.out.println(run(o).json());
  }

  static Result run(Options o) throws IOException {
    List<Conn> conns = plan(o);
    long t0 = System.nanoTime();
    long deadline = t0 + o.giveUpMillis() * 1_000_000L;
    int maxOpen = 0;
    try (Selector selector = Selector.open()) {
      InetSocketAddress addr = new InetSocketAddress(o.host(), o.port());
      // Phase 1: open every connection (at most 512 connects pending at once).
      int next = 0;
      int pending = 0;
      int connected = 0;
      while (connected < conns.size() && System.nanoTime() < deadline) {
        while (next < conns.size() && pending < 512) {
          Conn c = conns.get(next++);
          c.ch = SocketChannel.open();
          c.ch.configureBlocking(false);
          c.ch.setOption(StandardSocketOptions.SO_LINGER, 0);
          if (c.ch.connect(addr)) {
            connected++;
          } else {
            c.ch.register(selector, SelectionKey.OP_CONNECT, c);
            pending++;
          }
        }
        selector.select(100);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey k = it.next();
          it.remove();
          Conn c = (Conn) k.attachment();
          try {
            c.ch.finishConnect();
            k.interestOps(0);
            connected++;
          } catch (IOException e) {
            c.fail("connect: " + e.getMessage());
            k.cancel();
            connected++;
          }
          pending--;
        }
      }
      maxOpen = (int) conns.stream().filter(c -> c.ch != null && c.ch.isConnected()).count();
      // Phase 2: every connection sends its request; slow ones trickle; all read to the end.
      long start = System.nanoTime();
      for (Conn c : conns) {
        if (c.done) {
          continue;
        }
        c.started = start;
        SelectionKey k = c.ch.keyFor(selector);
        if (k == null) {
          k = c.ch.register(selector, 0, c);
        }
        k.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
      }
      int open = (int) conns.stream().filter(c -> !c.done).count();
      while (open > 0 && System.nanoTime() < deadline) {
        selector.select(20);
        long now = System.nanoTime();
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey k = it.next();
          it.remove();
          Conn c = (Conn) k.attachment();
          if (c.done || !k.isValid()) {
            continue;
          }
          try {
            if (k.isReadable()) {
              c.read();
            }
            if (!c.done && k.isValid() && k.isWritable()) {
              c.write(now, o.slowByteEveryMillis());
              if (c.out.remaining() == 0 || c.slow) {
                k.interestOps(SelectionKey.OP_READ);
              }
            }
          } catch (IOException e) {
            c.fail(e.getMessage());
          }
          if (c.done) {
            k.cancel();
            c.ch.close();
            open--;
          }
        }
        // Slow connections: one more byte each period, until the server answers.
        for (Conn c : conns) {
          if (!c.done && c.slow && now - c.lastByte > o.slowByteEveryMillis() * 1_000_000L) {
            try {
              c.write(now, o.slowByteEveryMillis());
            } catch (IOException e) {
              // The server closed on us; the read below sees what it sent.
              try {
                c.read();
              } catch (IOException ignored) {
                c.fail("closed while trickling: " + e.getMessage());
              }
              if (c.done) {
                c.ch.keyFor(selector).cancel();
                c.ch.close();
                open--;
              }
            }
          }
        }
      }
      for (Conn c : conns) {
        if (!c.done) {
          c.fail("no answer within " + o.giveUpMillis() + " ms");
          c.ch.close();
        }
      }
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Integer> ok = new TreeMap<>();
    Map<String, Integer> wrong = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    List<Long> goodMillis = new ArrayList<>();
    for (Conn c : conns) {
      String verdict = c.verdict();
      if (verdict == null) {
        ok.merge(c.kind.name(), 1, Integer::sum);
        if (c.kind == Kind.GOOD) {
          goodMillis.add((c.finished - c.started) / 1_000_000);
        }
      } else {
        wrong.merge(c.kind.name(), 1, Integer::sum);
        if (examples.size() < 10) {
          examples.add(c.kind + ": " + verdict);
        }
      }
    }
    long[] g = goodMillis.stream().mapToLong(Long::longValue).sorted().toArray();
    long p50 = g.length == 0 ? -1 : g[g.length / 2];
    long p99 = g.length == 0 ? -1 : g[Math.min(g.length - 1, (int) (g.length * 0.99))];
    return new Result(conns.size(), maxOpen, millis, ok, wrong, examples, p50, p99);
  }

  private static List<Conn> plan(Options o) {
    java.util.Random rnd = new java.util.Random(o.seed());
    List<Conn> out = new ArrayList<>(o.connections());
    Kind[] bad = {Kind.MALFORMED_JSON, Kind.OVERSIZED, Kind.WRONG_KEY, Kind.INVALID_PARAMETER,
        Kind.RATE_LIMITED};
    for (int i = 0; i < o.connections(); i++) {
      double r = rnd.nextDouble();
      Kind k;
      if (r < o.slowShare()) {
        k = rnd.nextBoolean() ? Kind.SLOW_HEADERS : Kind.SLOW_BODY;
      } else if (r < o.slowShare() + o.badShare()) {
        k = bad[rnd.nextInt(bad.length)];
      } else {
        k = rnd.nextInt(5) == 0 ? Kind.GOOD_STREAM : Kind.GOOD;
      }
      out.add(new Conn(k, request(k, o, QUESTIONS[rnd.nextInt(QUESTIONS.length)])));
    }
    return out;
  }

  static byte[] request(Kind k, Options o, String question) {
    String model = "haps";
    String body = switch (k) {
      case GOOD, RATE_LIMITED, WRONG_KEY, SLOW_BODY -> chat(model, question, false);
      case GOOD_STREAM -> chat(model, question, true);
      case MALFORMED_JSON -> "{\"model\": \"haps\", \"messages\": [{\"role\": \"user\",";
      case OVERSIZED -> chat(model, "x".repeat(o.maxBodyBytes() + 1024), false);
      case INVALID_PARAMETER -> "{\"model\":\"haps\",\"temperature\":9,\"messages\":[{\"role\":"
          + "\"user\",\"content\":\"" + question + "\"}]}";
      case SLOW_HEADERS -> "";
    };
    String key = switch (k) {
      case WRONG_KEY -> "sk-wrong-" + question.length();
      case RATE_LIMITED -> o.limitedKey();
      default -> o.key();
    };
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + o.host() + "\r\n"
        + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
        + "Connection: close\r\n";
    if (k == Kind.SLOW_HEADERS) {
      // Headers that never end: a new header line, one byte at a time, forever.
      return (head + "X-Slow: " + "a".repeat(4000)).getBytes(StandardCharsets.US_ASCII);
    }
    int declared = k == Kind.SLOW_BODY ? b.length + 64 : b.length;
    byte[] h = (head + "Content-Length: " + declared + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(h, h.length + b.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  private static String chat(String model, String question, boolean stream) {
    return "{\"model\":\"" + model + "\"," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private static final class Conn {
    final Kind kind;
    final ByteBuffer out;
    final boolean slow;
    final java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
    final ByteBuffer buf = ByteBuffer.allocate(8192);
    SocketChannel ch;
    boolean done;
    String failure;
    long started;
    long finished;
    long lastByte;

    Conn(Kind kind, byte[] request) {
      this.kind = kind;
      this.out = ByteBuffer.wrap(request);
      this.slow = kind == Kind.SLOW_HEADERS || kind == Kind.SLOW_BODY;
    }

    void write(long now, long every) throws IOException {
      if (out.remaining() == 0) {
        return;
      }
      if (!slow) {
        ch.write(out);
        return;
      }
      // Slow kinds: the request line and headers at once (SLOW_BODY) or a few bytes of them
      // (SLOW_HEADERS), then one byte per period.
      if (lastByte == 0) {
        int first = kind == Kind.SLOW_BODY ? headerEnd() + 10 : 40;
        ByteBuffer part = out.duplicate();
        part.limit(Math.min(out.limit(), out.position() + first));
        ch.write(part);
        out.position(part.position());
      } else {
        ByteBuffer one = out.duplicate();
        one.limit(out.position() + 1);
        ch.write(one);
        out.position(one.position());
      }
      lastByte = now;
    }

    private int headerEnd() {
      byte[] a = out.array();
      for (int i = 0; i + 3 < a.length; i++) {
        if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
          return i + 4;
        }
      }
      return a.length;
    }

    void read() throws IOException {
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          done = true;
          finished = System.nanoTime();
          return;
        }
        if (n == 0) {
          return;
        }
        in.write(buf.array(), 0, n);
      }
    }

    void fail(String why) {
      if (!done) {
        failure = why;
        done = true;
        finished = System.nanoTime();
      }
    }

    /** Null when the answer is what this kind must get, else what was wrong. */
    String verdict() {
      String text = in.toString(StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        return "no response (" + failure + ")";
      }
      int status;
      try {
        status = Integer.parseInt(text.substring(9, 12));
      } catch (RuntimeException e) {
        return "not HTTP: " + text.substring(0, Math.min(80, text.length()));
      }
      if (kind == Kind.RATE_LIMITED) {
        if (status == 200) {
          return null; // within the key's burst
        }
        if (status != 429 || !text.toLowerCase(Locale.ROOT).contains("retry-after:")) {
          return "expected 200, or 429 with Retry-After; got " + firstLine(text);
        }
      } else if (status != kind.status) {
        return "expected " + kind.status + ", got " + firstLine(text) + " "
            + text.substring(Math.max(0, text.indexOf("\r\n\r\n")),
                Math.min(text.length(), text.indexOf("\r\n\r\n") + 200));
      }
      if (kind == Kind.GOOD_STREAM && !text.contains("data: [DONE]")) {
        return "stream ended without [DONE] (" + failure + ")";
      }
      if (kind == Kind.GOOD && !text.contains("\"haps\"")) {
        return "200 without the haps field";
      }
      if (status >= 400) {
        if (!text.contains("\"error\"") || !text.contains("\"type\"")
            || !text.contains("\"message\"")) {
          return "error not OpenAI-shaped: " + text.substring(text.indexOf("\r\n\r\n"));
        }
        if (kind.marker != null && !text.contains(kind.marker)) {
          return "expected " + kind.marker + " in " + text.substring(text.indexOf("\r\n\r\n"));
        }
      }
      return null;
    }

    private static String firstLine(String text) {
      int eol = text.indexOf('\r');
      return eol < 0 ? text : text.substring(0, eol);
    }
  }
}
