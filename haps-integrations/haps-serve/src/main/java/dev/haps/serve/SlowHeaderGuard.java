package dev.haps.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.Callback;

/**
 * The header read timeout: a connection that has started sending a request but has not
 * completed its headers within the limit gets a 408 and is closed. The idle timeout alone cannot
 * do this, since a slowloris client resets it with every byte. Checked by one sweep of the open
 * connections every quarter of a second (or a quarter of the limit, when shorter).
 */
final class SlowHeaderGuard implements Connection.Listener {

  private static final byte[] TIMEOUT_RESPONSE = response();

  private final long timeoutNanos;
  private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
  final LongAdder expired = new LongAdder();

  SlowHeaderGuard(java.time.Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  long sweepMillis() {
    return Math.max(10, Math.min(250, timeoutNanos / 4_000_000));
  }

  @Override
  public void onOpened(Connection c) {
    if (c instanceof ConnectionMetaData) { // the HTTP connection, not the TLS layer under it
      open.put(c, new Watch());
    }
  }

  @Override
  public void onClosed(Connection c) {
    open.remove(c);
  }

  /** A request's headers are in: its connection is no longer waiting for them. */
  void requestBegan(Connection c) {
    Watch w = open.get(c);
    if (w != null) {
      w.active.incrementAndGet();
      w.pendingSince = 0;
    }
  }

  void requestEnded(Connection c) {
    Watch w = open.get(c);
    if (w != null) {
      w.idleBytes = c.getBytesIn();
      w.pendingSince = 0;
      w.active.decrementAndGet();
    }
  }

  int openConnections() {
    return open.size();
  }

  /**
   * Closes every connection that has no request in flight and none arriving: what a stopping
   * server does with idle keep-alive connections, so that the graceful stop, which waits for
   * every connection to close, need not wait for the clients to close theirs (until the drain
   * deadline). A request that races the close was never read, so never accepted: its client
   * sees the connection closed, as at an idle timeout.
   */
  void closeIdle() {
    for (Map.Entry<Connection, Watch> e : open.entrySet()) {
      Watch w = e.getValue();
      Connection c = e.getKey();
      if (w.active.get() == 0 && c.getBytesIn() <= w.idleBytes && open.remove(c) != null) {
        c.close();
      }
    }
  }

  void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<Connection, Watch> e : open.entrySet()) {
      Watch w = e.getValue();
      Connection c = e.getKey();
      if (w.active.get() > 0 || c.getBytesIn() <= w.idleBytes) {
        continue;
      }
      if (w.pendingSince == 0) {
        // Measured from the sweep that first saw the request's bytes: a connection opened
        // long before its first request is the idle timeout's business, not this one's.
        w.pendingSince = now;
        continue;
      }
      if (now - w.pendingSince > timeoutNanos && open.remove(c) != null) {
        expired.increment();
        c.getEndPoint().write(Callback.from(c::close, x -> c.close()),
            ByteBuffer.wrap(TIMEOUT_RESPONSE));
      }
    }
  }

  private static byte[] response() {
    String body = ApiError.body(408, "timeout_error", "request_timeout", null,
        "the request headers did not arrive in time; send the whole request promptly")
        .toString();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
        + b.length + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  private static final class Watch {
    final AtomicInteger active = new AtomicInteger();
    volatile long idleBytes;
    volatile long pendingSince;
  }
}
