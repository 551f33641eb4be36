package dev.haps.runtime;

/**
 * Test-only window on the runtime's count of open bundle sessions, for the soak test's leak
 * check. It lives in the runtime's package inside this test module (class path only), so the
 * runtime needs no public accessor for it.
 */
public final class SessionProbe {

  private SessionProbe() {}

  /** Bundles whose native heads session is open in this JVM (all routers together). */
  public static int openSessions() {
    return LoadedBundle.openCount();
  }
}
