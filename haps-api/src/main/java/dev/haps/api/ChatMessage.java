package dev.haps.api;

import java.util.Objects;

/**
 * One turn of a chat conversation.
 *
 * @param role who speaks
 * @param content the text of the turn (may be empty, never null)
 * @since 0.1.0
 */
public record ChatMessage(Role role, String content) {

  /**
   * Checks for nulls.
   *
   * @param role who speaks
   * @param content the text of the turn (may be empty, never null)
   * @throws NullPointerException if role or content is null
   */
  public ChatMessage {
    Objects.requireNonNull(role, "role must not be null");
    Objects.requireNonNull(content, "content must not be null; use \"\" for an empty turn");
  }

  /**
   * A system turn.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content);
  }

  /**
   * A user turn.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content);
  }

  /**
   * An assistant turn.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content);
  }

  /**
   * Who speaks in a {@link ChatMessage}.
   *
   * @since 0.1.0
   */
  public enum Role {
    /** Instructions from the application. */
    SYSTEM,
    /** The end user. */
    USER,
    /** The model. */
    ASSISTANT,
    /** A tool's result fed back to the model. */
    TOOL
  }
}
