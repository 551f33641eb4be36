package dev.haps.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which {@link Fault}s a {@link LoopbackServer} injects, how often, and from which seed: each
 * request not answered from the scripted queue draws one fault by weight from a
 * {@link java.util.Random} seeded here, so a single-threaded client sees the same sequence on
 * every run. Immutable.
 *
 * <pre>{@code
 * server.faults(FaultPlan.builder()
 *     .seed(42)
 *     .weight(Fault.OK, 80).weight(Fault.RATE_LIMITED, 10).weight(Fault.DROP, 10)
 *     .stall(Duration.ofSeconds(2))        // for SLOW_HEADERS and SLOW_BODY
 *     .echoedKey("sk-test-123")            // quoted by the *_KEY faults
 *     .build());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FaultPlan {

  private final long seed;
  private final Map<Fault, Integer> weights;
  private final Duration stall;
  private final String echoedKey;
  private final Function<LoopbackServer.Recorded, Optional<Fault>> forcing;

  private FaultPlan(Builder b) {
    this.seed = b.seed;
    this.weights = Collections.unmodifiableMap(new EnumMap<>(b.weights));
    this.stall = b.stall;
    this.echoedKey = b.echoedKey;
    this.forcing = b.forcing;
  }

  /**
   * A new builder: seed 0, no weights, a 2 s stall, key {@code sk-test-key}, nothing forced.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The seed of the fault draws.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The weight of each fault; faults not named weigh 0.
   *
   * @return an unmodifiable map in {@link Fault} order
   */
  public Map<Fault, Integer> weights() {
    return weights;
  }

  /**
   * How long {@link Fault#SLOW_HEADERS} and {@link Fault#SLOW_BODY} stall.
   *
   * @return the stall
   */
  public Duration stall() {
    return stall;
  }

  /**
   * The key the key-echoing faults quote.
   *
   * @return the key
   */
  public String echoedKey() {
    return echoedKey;
  }

  /** The fault forced on a request, if any (the draw is still made, to keep the sequence). */
  Optional<Fault> forced(LoopbackServer.Recorded request) {
    return forcing.apply(request);
  }

  int totalWeight() {
    return weights.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public String toString() {
    return "FaultPlan{seed=" + seed + ", weights=" + weights + ", stall=" + stall + "}";
  }

  /**
   * Builds a {@link FaultPlan}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private long seed;
    private final Map<Fault, Integer> weights = new EnumMap<>(Fault.class);
    private Duration stall = Duration.ofSeconds(2);
    private String echoedKey = "sk-test-key";
    private Function<LoopbackServer.Recorded, Optional<Fault>> forcing = r -> Optional.empty();

    private Builder() {}

    /**
     * Sets the seed of the fault draws.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets a fault's weight (replacing an earlier one).
     *
     * @param fault the fault
     * @param weight zero or more
     * @return this builder
     * @throws IllegalArgumentException if the weight is negative
     */
    public Builder weight(Fault fault, int weight) {
      Objects.requireNonNull(fault, "fault");
      if (weight < 0) {
        throw new IllegalArgumentException("the weight of " + fault + " must be 0 or more, got "
            + weight);
      }
      weights.put(fault, weight);
      return this;
    }

    /**
     * Sets how long the slow faults stall; make it longer than the client's timeout.
     *
     * @param stall positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder stall(Duration stall) {
      Objects.requireNonNull(stall, "stall");
      if (stall.isNegative() || stall.isZero()) {
        throw new IllegalArgumentException("the stall must be positive, got " + stall);
      }
      this.stall = stall;
      return this;
    }

    /**
     * Sets the key that {@link Fault#AUTH_ECHOING_KEY}, {@link Fault#BAD_REQUEST_ECHOING_KEY}
     * and {@link Fault#PLAIN_KEY_BODY} quote: the client's API key, to test its redaction.
     *
     * @param key non-blank
     * @return this builder
     */
    public Builder echoedKey(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isBlank()) {
        throw new IllegalArgumentException("the echoed key must not be blank");
      }
      this.echoedKey = key;
      return this;
    }

    /**
     * Forces a fault on the requests a function picks, whatever the draw (which is still made,
     * so the other requests see the same sequence). The function sees each request before the
     * server records it; its {@link LoopbackServer.Recorded#fault()} is still {@link Fault#OK}.
     *
     * @param forcing a request to the fault it must get, or empty for the drawn one
     * @return this builder
     */
    public Builder forcing(Function<LoopbackServer.Recorded, Optional<Fault>> forcing) {
      this.forcing = Objects.requireNonNull(forcing, "forcing");
      return this;
    }

    /**
     * Builds the plan.
     *
     * @return the plan
     * @throws IllegalStateException if no fault has a positive weight
     */
    public FaultPlan build() {
      if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
        throw new IllegalStateException("a fault plan needs at least one positive weight, got "
            + weights + "; call weight(Fault.OK, n) and the faults you want");
      }
      return new FaultPlan(this);
    }
  }
}
