package dev.haps.api;

import dev.haps.api.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What to route: a query (or a conversation) and the caller's constraints for this one request.
 *
 * <pre>{@code
 * RouteRequest r = RouteRequest.builder()
 *     .query("Prove that the square root of 2 is irrational.")
 *     .costWeight(0.3)                 // 0 = quality only, 1 = cost matters most
 *     .deny("gpt-4")                   // never this candidate
 *     .maxCostPerCallUsd(0.01)         // skip candidates expected to cost more
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RouteRequest {

  /** The cost weight used when the caller sets none: a balanced trade-off. */
  public static final double DEFAULT_COST_WEIGHT = 0.5;

  private final List<ChatMessage> messages;
  private final RoutingText routingText;
  private final double costWeight;
  private final Set<String> allowedModels;
  private final Set<String> deniedModels;
  private final double maxCostPerCallUsd;
  private final Exploration exploration;

  private RouteRequest(Builder b) {
    this.messages = List.copyOf(b.messages);
    this.routingText = b.routingText;
    this.costWeight = b.costWeight;
    this.allowedModels = Set.copyOf(b.allowed);
    this.deniedModels = Set.copyOf(b.denied);
    this.maxCostPerCallUsd = b.maxCost;
    this.exploration = b.exploration;
  }

  /**
   * A request for one query at the default cost weight.
   *
   * @param query the user's query
   * @return the request
   * @throws InvalidRequestException if the query is empty or blank
   */
  public static RouteRequest of(String query) {
    return builder().query(query).build();
  }

  /**
   * A request for one query at a given cost weight.
   *
   * @param query the user's query
   * @param costWeight in [0, 1]
   * @return the request
   * @throws InvalidRequestException if the query is blank or the weight is outside [0, 1]
   */
  public static RouteRequest of(String query, double costWeight) {
    return builder().query(query).costWeight(costWeight).build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The conversation, oldest turn first.
   *
   * @return an unmodifiable, non-empty list
   */
  public List<ChatMessage> messages() {
    return messages;
  }

  /**
   * Which part of the conversation routing reads.
   *
   * @return the policy
   */
  public RoutingText routingTextPolicy() {
    return routingText;
  }

  /**
   * The text the router encodes, chosen by {@link #routingTextPolicy()}.
   *
   * @return the routing text, never blank
   */
  public String routingText() {
    return selectText(messages, routingText);
  }

  /**
   * The cost/quality trade-off for this request: 0 weighs only quality, 1 weighs cost most.
   *
   * @return a value in [0, 1]
   */
  public double costWeight() {
    return costWeight;
  }

  /**
   * The candidate model ids this request may use; empty means all.
   *
   * @return an unmodifiable set
   */
  public Set<String> allowedModels() {
    return allowedModels;
  }

  /**
   * The candidate model ids this request must not use.
   *
   * @return an unmodifiable set
   */
  public Set<String> deniedModels() {
    return deniedModels;
  }

  /**
   * The largest expected cost per call, in USD, that a candidate may have to be chosen.
   *
   * @return the limit, if set
   */
  public OptionalDouble maxCostPerCallUsd() {
    return Double.isNaN(maxCostPerCallUsd)
        ? OptionalDouble.empty()
        : OptionalDouble.of(maxCostPerCallUsd);
  }

  /**
   * The exploration this request asks for, which replaces the router's own.
   *
   * @return the exploration, or empty to use the router's
   * @since 0.1.0
   */
  public Optional<Exploration> exploration() {
    return Optional.ofNullable(exploration);
  }

  /**
   * A builder pre-filled with this request's settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages.addAll(messages);
    b.routingText = routingText;
    b.costWeight = costWeight;
    b.allowed.addAll(allowedModels);
    b.denied.addAll(deniedModels);
    b.maxCost = maxCostPerCallUsd;
    b.maxCostSet = !Double.isNaN(maxCostPerCallUsd);
    b.exploration = exploration;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RouteRequest)) {
      return false;
    }
    RouteRequest r = (RouteRequest) o;
    return messages.equals(r.messages) && routingText == r.routingText
        && Double.compare(costWeight, r.costWeight) == 0 && allowedModels.equals(r.allowedModels)
        && deniedModels.equals(r.deniedModels)
        && Double.compare(maxCostPerCallUsd, r.maxCostPerCallUsd) == 0
        && Objects.equals(exploration, r.exploration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messages, routingText, costWeight, allowedModels, deniedModels,
        maxCostPerCallUsd, exploration);
  }

  @Override
  public String toString() {
    String text = routingText();
    String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
    return "RouteRequest{text='" + shown + "', turns=" + messages.size() + ", costWeight="
        + costWeight + (allowedModels.isEmpty() ? "" : ", allowed=" + allowedModels)
        + (deniedModels.isEmpty() ? "" : ", denied=" + deniedModels)
        + (Double.isNaN(maxCostPerCallUsd) ? "" : ", maxCostPerCallUsd=" + maxCostPerCallUsd)
        + (exploration == null ? "" : ", exploration=" + exploration.describe())
        + "}";
  }

  private static String selectText(List<ChatMessage> messages, RoutingText policy) {
    if (policy == RoutingText.LAST_USER_TURN) {
      for (int i = messages.size() - 1; i >= 0; i--) {
        ChatMessage m = messages.get(i);
        if (m.role() == ChatMessage.Role.USER && !m.content().isBlank()) {
          return m.content();
        }
      }
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.USER && !m.content().isBlank()) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(m.content());
      }
    }
    return sb.toString();
  }

  /**
   * Builds a {@link RouteRequest}; validation happens in {@link #build()}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<ChatMessage> messages = new ArrayList<>();
    private RoutingText routingText = RoutingText.LAST_USER_TURN;
    private double costWeight = DEFAULT_COST_WEIGHT;
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Set<String> denied = new LinkedHashSet<>();
    private double maxCost = Double.NaN;
    private boolean maxCostSet;
    private Exploration exploration;

    private Builder() {}

    /**
     * Sets the conversation to a single user turn.
     *
     * @param query the user's query
     * @return this builder
     */
    public Builder query(String query) {
      Objects.requireNonNull(query, "query must not be null");
      messages.clear();
      messages.add(ChatMessage.user(query));
      return this;
    }

    /**
     * Sets the conversation.
     *
     * @param messages the turns, oldest first
     * @return this builder
     */
    public Builder messages(List<ChatMessage> messages) {
      Objects.requireNonNull(messages, "messages must not be null");
      this.messages.clear();
      for (ChatMessage m : messages) {
        this.messages.add(Objects.requireNonNull(m, "messages must not contain null"));
      }
      return this;
    }

    /**
     * Sets which part of the conversation routing reads (default: the last user turn).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder routingText(RoutingText policy) {
      this.routingText = Objects.requireNonNull(policy, "routingText must not be null");
      return this;
    }

    /**
     * Sets the cost weight (default {@value RouteRequest#DEFAULT_COST_WEIGHT}).
     *
     * @param costWeight 0 = only quality matters, 1 = cost matters most
     * @return this builder
     */
    public Builder costWeight(double costWeight) {
      this.costWeight = costWeight;
      return this;
    }

    /**
     * Restricts routing to these candidate model ids (adds to earlier calls).
     *
     * @param models candidate model ids
     * @return this builder
     */
    public Builder allow(String... models) {
      return allow(List.of(models));
    }

    /**
     * Restricts routing to these candidate model ids (adds to earlier calls).
     *
     * @param models candidate model ids
     * @return this builder
     */
    public Builder allow(Collection<String> models) {
      for (String m : models) {
        allowed.add(Objects.requireNonNull(m, "allowed model id must not be null"));
      }
      return this;
    }

    /**
     * Excludes these candidate model ids (adds to earlier calls).
     *
     * @param models candidate model ids
     * @return this builder
     */
    public Builder deny(String... models) {
      return deny(List.of(models));
    }

    /**
     * Excludes these candidate model ids (adds to earlier calls).
     *
     * @param models candidate model ids
     * @return this builder
     */
    public Builder deny(Collection<String> models) {
      for (String m : models) {
        denied.add(Objects.requireNonNull(m, "denied model id must not be null"));
      }
      return this;
    }

    /**
     * Excludes candidates whose expected cost per call exceeds this limit.
     *
     * @param usd the limit in USD, positive and finite
     * @return this builder
     */
    public Builder maxCostPerCallUsd(double usd) {
      this.maxCost = usd;
      this.maxCostSet = true;
      return this;
    }

    /**
     * Explores with this policy for this request instead of the router's own (for example
     * {@link Exploration#none()} to force the greedy choice).
     *
     * @param exploration the exploration policy
     * @return this builder
     * @since 0.1.0
     */
    public Builder exploration(Exploration exploration) {
      this.exploration = Objects.requireNonNull(exploration, "exploration");
      return this;
    }

    /**
     * Validates and builds the request.
     *
     * @return the request
     * @throws InvalidRequestException if there is no message, the routing text is blank, the
     *     cost weight is outside [0, 1], or the cost limit is not positive and finite
     */
    public RouteRequest build() {
      if (messages.isEmpty()) {
        throw new InvalidRequestException(
            "route request has no query: call query(text) or messages(list) before build()");
      }
      if (selectText(messages, routingText).isBlank()) {
        throw new InvalidRequestException(
            "route request has an empty query: the " + routingText
                + " text is blank; give the router a non-blank user turn");
      }
      if (!(costWeight >= 0.0 && costWeight <= 1.0)) {
        throw new InvalidRequestException(
            "cost weight " + costWeight + " is outside [0, 1]: use 0 for quality only, 1 for"
                + " cost first");
      }
      if (maxCostSet && !(maxCost > 0 && Double.isFinite(maxCost))) {
        throw new InvalidRequestException(
            "maxCostPerCallUsd " + maxCost + " must be positive and finite");
      }
      return new RouteRequest(this);
    }
  }
}
