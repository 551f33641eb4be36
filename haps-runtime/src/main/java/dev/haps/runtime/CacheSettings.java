package dev.haps.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a router's caches: the embedding cache (normalised query text to embedding) and
 * the decision cache (normalised text, request constraints and bundle to the decoded ranking).
 * Both hold at most {@code maximumSize} entries, evict the least recently used beyond that, and
 * drop entries not read for {@code expireAfterAccess}. A {@code maximumSize} of 0 disables both.
 *
 * <p>Texts longer than {@code maxKeyChars} characters (after normalisation) bypass both caches,
 * so a flood of huge queries cannot fill the heap with keys.
 *
 * <pre>{@code
 * CacheSettings.defaults();                                  // 10,000 entries, 1 hour
 * CacheSettings.of(50_000, Duration.ofMinutes(10));
 * CacheSettings.disabled();                                  // every call encodes
 * CacheSettings.defaults().withDecisions(false);             // embeddings only
 * }</pre>
 *
 * @param maximumSize most entries per cache; 0 disables caching
 * @param expireAfterAccess how long an unread entry lives; {@link Duration#ZERO} for no expiry
 * @param cacheDecisions whether decoded decisions are cached as well as embeddings
 * @param maxKeyChars longest normalised text that is cached
 * @since 0.1.0
 */
public record CacheSettings(
    long maximumSize, Duration expireAfterAccess, boolean cacheDecisions, int maxKeyChars) {

  /** Default most entries. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;
  /** Default expiry after last access. */
  public static final Duration DEFAULT_EXPIRE_AFTER_ACCESS = Duration.ofHours(1);
  /** Default longest cached text. */
  public static final int DEFAULT_MAX_KEY_CHARS = 4_096;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException for a negative size or duration or a non-positive key
   *     length
   */
  public CacheSettings {
    Objects.requireNonNull(expireAfterAccess, "expireAfterAccess must not be null");
    if (maximumSize < 0) {
      throw new IllegalArgumentException("cache maximumSize must be >= 0 (0 disables caching),"
          + " got " + maximumSize);
    }
    if (expireAfterAccess.isNegative()) {
      throw new IllegalArgumentException("cache expireAfterAccess must not be negative, got "
          + expireAfterAccess + "; use Duration.ZERO for no expiry");
    }
    if (maxKeyChars < 1) {
      throw new IllegalArgumentException("cache maxKeyChars must be >= 1, got " + maxKeyChars);
    }
  }

  /**
   * 10,000 entries, one hour after last access, decisions cached.
   *
   * @return the defaults
   */
  public static CacheSettings defaults() {
    return new CacheSettings(DEFAULT_MAXIMUM_SIZE, DEFAULT_EXPIRE_AFTER_ACCESS, true,
        DEFAULT_MAX_KEY_CHARS);
  }

  /**
   * No caching: every route encodes its query and runs the network.
   *
   * @return settings with {@code maximumSize} 0
   */
  public static CacheSettings disabled() {
    return new CacheSettings(0, Duration.ZERO, false, DEFAULT_MAX_KEY_CHARS);
  }

  /**
   * Given size and expiry, decisions cached.
   *
   * @param maximumSize most entries per cache; 0 disables caching
   * @param expireAfterAccess how long an unread entry lives; zero for no expiry
   * @return the settings
   */
  public static CacheSettings of(long maximumSize, Duration expireAfterAccess) {
    return new CacheSettings(maximumSize, expireAfterAccess, true, DEFAULT_MAX_KEY_CHARS);
  }

  /**
   * A copy with decision caching switched on or off.
   *
   * @param enabled whether decisions are cached
   * @return the new settings
   */
  public CacheSettings withDecisions(boolean enabled) {
    return new CacheSettings(maximumSize, expireAfterAccess, enabled, maxKeyChars);
  }

  /**
   * A copy with another key length limit.
   *
   * @param chars longest normalised text that is cached
   * @return the new settings
   */
  public CacheSettings withMaxKeyChars(int chars) {
    return new CacheSettings(maximumSize, expireAfterAccess, cacheDecisions, chars);
  }

  /**
   * Whether any caching happens.
   *
   * @return {@code maximumSize > 0}
   */
  public boolean enabled() {
    return maximumSize > 0;
  }
}
