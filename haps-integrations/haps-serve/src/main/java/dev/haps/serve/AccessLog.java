package dev.haps.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the SLF4J logger {@code dev.haps.serve.access}: time, client
 * address, method, path, status, milliseconds, bytes, the API key's <em>name</em>, the requested
 * and the answering model, the call id. Never a key, a header value or a body.
 */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("dev.haps.serve.access");

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled && LOG.isInfoEnabled();
  }

  /** What one request's line carries; filled in while it is handled. */
  static final class Entry {
    final long startNanos = System.nanoTime();
    final String method;
    final String path;
    final String remote;
    String key;
    String requested;
    String answered;
    String callId;
    String error;
    long bytesIn;

    Entry(String method, String path, String remote) {
      this.method = method;
      this.path = path;
      this.remote = remote;
    }
  }

  void log(Entry e, int status, long bytesOut) {
    if (!enabled) {
      return;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("ts", Instant.now().toString());
    o.put("remote", e.remote);
    o.put("method", e.method);
    o.put("path", e.path);
    o.put("status", status);
    o.put("ms", Math.round((System.nanoTime() - e.startNanos) / 1e4) / 100.0);
    o.put("bytes_in", e.bytesIn);
    o.put("bytes_out", bytesOut);
    if (e.key != null) {
      o.put("key", e.key);
    }
    if (e.requested != null) {
      o.put("model", e.requested);
    }
    if (e.answered != null) {
      o.put("routed_to", e.answered);
    }
    if (e.callId != null) {
      o.put("call_id", e.callId);
    }
    if (e.error != null) {
      o.put("error", e.error);
    }
    LOG.info("{}", o);
  }
}
