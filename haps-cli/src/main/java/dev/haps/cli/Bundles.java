package dev.haps.cli;

import dev.haps.runtime.HapsRouter;
import java.nio.file.Path;
import java.util.Optional;

/** Opens the router for a {@code --bundle} option: the given bundle, or the SDK's default one. */
final class Bundles {

  private Bundles() {}

  /** A router on {@code bundle}, or on the default bundle when it is empty. */
  static HapsRouter router(Optional<Path> bundle) {
    return bundle.isPresent()
        ? HapsRouter.builder().bundle(bundle.get()).build()
        : HapsRouter.withDefaults();
  }
}
