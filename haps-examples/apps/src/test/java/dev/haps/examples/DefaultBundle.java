package dev.haps.examples;

import dev.haps.runtime.HapsRouter;

/** Whether the SDK's default bundle is on the class path (it ships with haps-runtime). */
final class DefaultBundle {

  private DefaultBundle() {}

  static boolean present() {
    return DefaultBundle.class.getClassLoader()
        .getResource(HapsRouter.DEFAULT_BUNDLE + "manifest.json") != null;
  }
}
