package dev.haps.cli;

import dev.haps.runtime.HapsRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The SDK's default bundle copied from the class path into target/, so that tests can pass it
 * with {@code --bundle PATH} like a bundle written by {@code haps train}.
 */
final class TestBundle {

  private static Path bundle;

  private TestBundle() {}

  static synchronized Path get() {
    if (bundle == null) {
      bundle = copyDefault(Path.of("target", "default-bundle-copy"));
    }
    return bundle;
  }

  private static Path copyDefault(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String file : new String[] {"manifest.json", "router.onnx"}) {
        try (InputStream in = TestBundle.class.getClassLoader()
            .getResourceAsStream(HapsRouter.DEFAULT_BUNDLE + file)) {
          if (in == null) {
            throw new IllegalStateException("the default bundle is not on the test class path: "
                + HapsRouter.DEFAULT_BUNDLE + file);
          }
          Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
