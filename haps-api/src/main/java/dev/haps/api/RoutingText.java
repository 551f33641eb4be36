package dev.haps.api;

/**
 * Which part of a conversation the router reads to make its decision.
 *
 * @since 0.1.0
 */
public enum RoutingText {
  /**
   * The last user turn only (the default). Agent harnesses put long, constant boilerplate in
   * earlier turns and system prompts; reading it would steer every request the same way.
   */
  LAST_USER_TURN,
  /** All user turns, joined by blank lines, oldest first. */
  ALL_USER_TURNS
}
