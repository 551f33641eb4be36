package dev.haps.serve;

import java.util.concurrent.ConcurrentHashMap;

/** Token buckets per API key: refilled continuously, one token per request. */
final class RateLimiter {

  private final ServeConfig.RateLimit defaults;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(ServeConfig.RateLimit defaults) {
    this.defaults = defaults;
  }

  /**
   * Takes a token for a key.
   *
   * @param key the key's name
   * @param own the key's own limit, or null for the server's
   * @param nowNanos {@link System#nanoTime()}
   * @return 0 when allowed, else the whole seconds to wait before a token is free (at least 1)
   */
  long acquire(String key, ServeConfig.RateLimit own, long nowNanos) {
    ServeConfig.RateLimit limit = own != null ? own : defaults;
    if (limit.unlimited()) {
      return 0;
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(limit, nowNanos));
    return b.take(nowNanos);
  }

  private static final class Bucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    Bucket(ServeConfig.RateLimit limit, long now) {
      this.perNano = limit.perSecond() / 1e9;
      this.capacity = limit.burst();
      this.tokens = capacity;
      this.last = now;
    }

    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
  }
}
