package dev.haps.cli;

import dev.haps.provider.replay.ReplayProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.client.RoutingClient;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A routing client and what was opened for it, closed together in reverse order: the client
 * first, then the providers and the router it was given.
 */
final class Clients implements AutoCloseable {

  /** The provider instance id of the offline backend. */
  static final String REPLAY = "replay";

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private RoutingClient client;
  private HapsRouter router;
  private ReplayProvider replay;

  private Clients() {}

  /**
   * Every candidate of the bundle mapped, under its own name, to the replay backend answering from
   * the bundled concise-cot outcome log.
   */
  static Clients replay(Optional<Path> bundle) {
    Clients c = new Clients();
    try {
      c.router = c.open(Bundles.router(bundle));
      c.replay = c.open(ReplayProvider.bundled(REPLAY));
      c.client = c.open(RoutingClient.builder()
          .router(c.router)
          .provider(REPLAY, c.replay)
          .candidate("*", REPLAY)
          .build());
      return c;
    } catch (RuntimeException e) {
      c.closeQuietly(e);
      throw e;
    }
  }

  /** A client from a JSON configuration; with a bundle, that bundle replaces the file's. */
  static Clients fromConfig(Path config, Optional<Path> bundle) {
    Clients c = new Clients();
    try {
      if (bundle.isPresent()) {
        c.router = c.open(Bundles.router(bundle));
        c.client = c.open(RoutingClient.fromConfig(config, c.router));
      } else {
        c.client = c.open(RoutingClient.fromConfig(config));
      }
      return c;
    } catch (RuntimeException e) {
      c.closeQuietly(e);
      throw e;
    }
  }

  RoutingClient client() {
    return client;
  }

  /** The replay backend, when this client uses it. */
  Optional<ReplayProvider> replay() {
    return Optional.ofNullable(replay);
  }

  /** The router this helper opened (not set for a configuration file's own bundle). */
  Optional<HapsRouter> router() {
    return Optional.ofNullable(router);
  }

  private <T extends AutoCloseable> T open(T resource) {
    opened.push(resource);
    return resource;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException ? (RuntimeException) e
              : new IllegalStateException("closing " + e.getMessage(), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void closeQuietly(RuntimeException cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
