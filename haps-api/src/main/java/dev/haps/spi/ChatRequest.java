package dev.haps.spi;

import dev.haps.api.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One call to a backend: the model name the backend knows, the conversation, and the time the
 * caller can wait. Tunable parameters travel separately as
 * {@link dev.haps.api.params.ParameterValues}.
 *
 * @param model the backend's model name, e.g. {@code gpt-4o}
 * @param messages the conversation, oldest first, non-empty
 * @param timeout the longest the whole call may take (positive)
 * @since 0.1.0
 */
public record ChatRequest(String model, List<ChatMessage> messages, Duration timeout) {

  /** The timeout used by {@link #of(String, List)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Copies the messages and checks the fields.
   *
   * @param model the backend's model name, e.g. {@code gpt-4o}
   * @param messages the conversation, oldest first, non-empty
   * @param timeout the longest the whole call may take (positive)
   * @throws IllegalArgumentException if the model is blank, there is no message, or the timeout
   *     is not positive
   */
  public ChatRequest {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("chat request model must not be blank");
    }
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("chat request for '" + model + "' has no message");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("chat request timeout must be positive, got " + timeout);
    }
  }

  /**
   * A request with the default timeout.
   *
   * @param model the backend's model name
   * @param messages the conversation
   * @return the request
   */
  public static ChatRequest of(String model, List<ChatMessage> messages) {
    return new ChatRequest(model, messages, DEFAULT_TIMEOUT);
  }

  /**
   * A copy with another model name.
   *
   * @param model the backend's model name
   * @return the new request
   */
  public ChatRequest withModel(String model) {
    return new ChatRequest(model, messages, timeout);
  }

  /**
   * A copy with another conversation.
   *
   * @param messages the conversation
   * @return the new request
   */
  public ChatRequest withMessages(List<ChatMessage> messages) {
    return new ChatRequest(model, messages, timeout);
  }

  /**
   * A copy with another timeout.
   *
   * @param timeout the timeout
   * @return the new request
   */
  public ChatRequest withTimeout(Duration timeout) {
    return new ChatRequest(model, messages, timeout);
  }
}
