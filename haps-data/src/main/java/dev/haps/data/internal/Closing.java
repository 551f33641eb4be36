package dev.haps.data.internal;

import java.util.List;

/**
 * Closing several resources at once, each even when an earlier one fails.
 *
 * <p>Internal to the SDK (see the package). Thread-safe (stateless).
 *
 * @since 0.1.0
 */
public final class Closing {

  private Closing() {}

  /**
   * Closes each resource in order; the first failure becomes the cause of the exception thrown
   * at the end, the later ones are suppressed in it.
   *
   * @param what what is being closed, for the message, e.g. {@code "the routing client"}
   * @param resources the resources, in closing order
   * @throws IllegalStateException {@code "closing <what> failed: <first failure>"} if any failed
   */
  public static void closeAll(String what, List<? extends AutoCloseable> resources) {
    RuntimeException failure = null;
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + what + " failed: " + e, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
