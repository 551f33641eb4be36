package dev.haps.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How the routing client retries a candidate after a retryable failure (429, 5xx, timeout,
 * refused or dropped connection, malformed response) before it falls back to the next one.
 *
 * <ul>
 *   <li><b>Backoff</b>: retry {@code n} (from 0) waits
 *       {@code min(maxBackoff, initialBackoff × multiplier^n)}, shortened by up to
 *       {@code jitter} × itself at random so that clients do not retry in step.
 *   <li><b>Retry-After</b>: when the backend names a delay, the client waits at least that long.
 *       A delay longer than {@code maxRetryAfter} means "not soon": the client falls back at once
 *       instead of waiting.
 *   <li><b>Budget</b>: across the client's life, retries never exceed
 *       {@code budgetReserve + budgetRatio × calls}; when the budget is spent, failures fall back
 *       at once, so an outage cannot multiply the traffic sent to a backend. Fallbacks to another
 *       candidate are bounded separately, by the client's {@code maxCandidates}.
 *   <li>A retry is never started when its wait would pass the call's deadline.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final double budgetRatio;
  private final int budgetReserve;

  private RetryPolicy(Builder b) {
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
    this.budgetRatio = b.budgetRatio;
    this.budgetReserve = b.budgetReserve;
  }

  /**
   * The defaults: 2 retries per candidate, backoff 200 ms doubling up to 5 s with 20 % jitter,
   * {@code Retry-After} honoured up to 30 s, budget of 10 retries plus 0.2 per call.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * No retries: every failure falls back to the next candidate at once.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return builder().maxRetries(0).build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Retries per candidate after its first attempt.
   *
   * @return at least 0
   */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * The wait before the first retry, before jitter.
   *
   * @return the duration
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The longest backoff wait, before jitter.
   *
   * @return the duration
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The growth factor of the backoff per retry.
   *
   * @return at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * The fraction by which a wait may be shortened at random.
   *
   * @return in [0, 1]
   */
  public double jitter() {
    return jitter;
  }

  /**
   * The longest {@code Retry-After} the client waits for; longer ones fall back at once.
   *
   * @return the duration
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * Retries earned per call.
   *
   * @return at least 0
   */
  public double budgetRatio() {
    return budgetRatio;
  }

  /**
   * Retries available before any call has earned one, and the most that can be saved up.
   *
   * @return at least 0
   */
  public int budgetReserve() {
    return budgetReserve;
  }

  /**
   * The wait before retry {@code n}, or {@code null} to fall back instead.
   *
   * @param retry the retry's index, from 0
   * @param retryAfter the backend's requested delay, or {@code null}
   * @param random a uniform sample in [0, 1)
   * @return the wait, or {@code null} when the backend asked for longer than {@link
   *     #maxRetryAfter()}
   */
  Duration backoff(int retry, Duration retryAfter, double random) {
    if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
      return null;
    }
    double base = initialBackoff.toNanos() * Math.pow(multiplier, retry);
    base = Math.min(base, maxBackoff.toNanos());
    Duration wait = Duration.ofNanos((long) (base * (1.0 - jitter * random)));
    return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxRetries=" + maxRetries + ", backoff=" + initialBackoff + "x"
        + multiplier + " up to " + maxBackoff + ", jitter=" + jitter + ", maxRetryAfter="
        + maxRetryAfter + ", budget=" + budgetReserve + "+" + budgetRatio + "/call}";
  }

  /**
   * Builds a {@link RetryPolicy}; each setter checks its argument. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private int maxRetries = 2;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private double multiplier = 2.0;
    private double jitter = 0.2;
    private Duration maxRetryAfter = Duration.ofSeconds(30);
    private double budgetRatio = 0.2;
    private int budgetReserve = 10;

    private Builder() {}

    /**
     * Sets the retries per candidate (default 2).
     *
     * @param n at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxRetries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxRetries must be at least 0, got " + n);
      }
      this.maxRetries = n;
      return this;
    }

    /**
     * Sets the backoff (defaults 200 ms, 5 s, 2.0).
     *
     * @param initial the first wait, not negative
     * @param max the longest wait, at least {@code initial}
     * @param multiplier the growth per retry, at least 1
     * @return this builder
     * @throws IllegalArgumentException if a value breaks its rule
     */
    public Builder backoff(Duration initial, Duration max, double multiplier) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got " + initial
            + " and " + max);
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("backoff multiplier must be finite and at least 1,"
            + " got " + multiplier);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Sets the jitter (default 0.2).
     *
     * @param fraction in [0, 1]: 0 waits exactly, 1 waits anywhere between 0 and the backoff
     * @return this builder
     * @throws IllegalArgumentException if outside [0, 1]
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1], got " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * Sets the longest {@code Retry-After} honoured (default 30 s).
     *
     * @param max not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxRetryAfter(Duration max) {
      Objects.requireNonNull(max, "max");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative, got " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /**
     * Sets the retry budget (defaults 10 and 0.2).
     *
     * @param reserve retries available up front and the most that can be saved, at least 0
     * @param ratio retries earned per call, finite and at least 0
     * @return this builder
     * @throws IllegalArgumentException if a value breaks its rule
     */
    public Builder budget(int reserve, double ratio) {
      if (reserve < 0 || !(ratio >= 0) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException("retry budget needs reserve >= 0 and a finite ratio"
            + " >= 0, got " + reserve + " and " + ratio);
      }
      this.budgetReserve = reserve;
      this.budgetRatio = ratio;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
