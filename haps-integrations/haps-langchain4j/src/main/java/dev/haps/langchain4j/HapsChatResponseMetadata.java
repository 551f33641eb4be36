package dev.haps.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata of a routed response: the answering model's own metadata (id, model name, tokens,
 * finish reason, and its provider-specific metadata through {@link #original()}) plus how HAPS
 * routed the request ({@link #routing()}).
 *
 * <pre>{@code
 * ChatResponse r = hapsChatModel.chat(request);
 * RoutingInfo routing = HapsChatResponseMetadata.routingOf(r).orElseThrow();
 * routing.model();          // the candidate that answered, e.g. "gpt-4"
 * routing.parameters();     // its generated parameters
 * routing.probabilities();  // per candidate
 * }</pre>
 *
 * <p>Immutable.
 *
 * @since 0.1.0
 */
public final class HapsChatResponseMetadata extends ChatResponseMetadata {

  private final RoutingInfo routing;
  private final ChatResponseMetadata original;

  private HapsChatResponseMetadata(Builder b, RoutingInfo routing, ChatResponseMetadata original) {
    super(b);
    this.routing = routing;
    this.original = original;
  }

  /**
   * The routing of a response, when HAPS routed it.
   *
   * @param response a response
   * @return the routing, or empty when the response does not come from a HAPS model
   */
  public static Optional<RoutingInfo> routingOf(ChatResponse response) {
    Objects.requireNonNull(response, "response");
    return response.metadata() instanceof HapsChatResponseMetadata h
        ? Optional.of(h.routing) : Optional.empty();
  }

  /** The answering model's metadata with the routing added. */
  static HapsChatResponseMetadata of(ChatResponseMetadata original, RoutingInfo routing) {
    Builder b = new Builder();
    if (original != null) {
      b.id(original.id()).modelName(original.modelName()).tokenUsage(original.tokenUsage())
          .finishReason(original.finishReason());
    }
    return new HapsChatResponseMetadata(b, routing, original);
  }

  /**
   * How the request was routed and served.
   *
   * @return the routing
   */
  public RoutingInfo routing() {
    return routing;
  }

  /**
   * The answering model's own metadata, with its provider-specific fields (for example
   * {@code OpenAiChatResponseMetadata}).
   *
   * @return the metadata, if the model returned any
   */
  public Optional<ChatResponseMetadata> original() {
    return Optional.ofNullable(original);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HapsChatResponseMetadata h && super.equals(o)
        && routing.equals(h.routing) && Objects.equals(original, h.original);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), routing, original);
  }

  @Override
  public String toString() {
    return "HapsChatResponseMetadata{model=" + routing.model() + ", parameters="
        + routing.parameters() + ", probabilities=" + routing.probabilities() + ", callId="
        + routing.callId() + ", " + super.toString() + "}";
  }

  private static final class Builder extends ChatResponseMetadata.Builder<Builder> {}
}
