package dev.haps.bench;

import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.execution.ExecutionProvider;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.spi.EncoderInfo;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the benchmarks get their bundle and encoder, the same way for every benchmark and for
 * the memory probe.
 *
 * <p>The bundle is the path in system property {@code haps.bench.bundle} when set, else the SDK's
 * default bundle on the class path ({@link HapsRouter#DEFAULT_BUNDLE}); which one is printed to
 * stderr and recorded by {@link Report}.
 */
final class BenchSetup {

  /** System property naming a bundle directory or zip to benchmark instead of the default. */
  static final String BUNDLE_PROPERTY = "haps.bench.bundle";

  /** System property choosing the encoder's execution provider: cpu (default), cuda:N or auto. */
  static final String PROVIDER_PROPERTY = "haps.bench.provider";

  private BenchSetup() {}

  /** The default encoder with the bundle's token budget: what the router builds for itself. */
  static OnnxQueryEncoder encoder(RouterBundle bundle) {
    EncoderInfo want = bundle.encoder();
    return OnnxQueryEncoder.builder()
        .defaultModel()
        .maxTokens(want.maxTokens())
        .truncation(want.truncation())
        .executionProvider(provider())
        .build();
  }

  /** A router on {@link #bundle()} with the default encoder (built and owned by the router). */
  static HapsRouter router(RouterBundle bundle, CacheSettings cache) {
    return HapsRouter.builder().bundle(bundle).cache(cache).executionProvider(provider()).build();
  }

  /** As {@link #router} with the default encoder running each query on {@code threads} threads. */
  static HapsRouter router(RouterBundle bundle, CacheSettings cache, int threads) {
    return HapsRouter.builder().bundle(bundle).cache(cache).executionProvider(provider())
        .intraOpThreads(threads).build();
  }

  /** The execution provider named by {@value #PROVIDER_PROPERTY}; CPU when unset. */
  static ExecutionProvider provider() {
    String p = System.getProperty(PROVIDER_PROPERTY, "cpu").trim().toLowerCase(Locale.ROOT);
    if (p.equals("cpu")) {
      return ExecutionProvider.cpu();
    }
    if (p.equals("auto")) {
      return ExecutionProvider.auto();
    }
    if (p.startsWith("cuda")) {
      String id = p.substring(4).replace(":", "");
      return ExecutionProvider.cuda(id.isEmpty() ? 0 : Integer.parseInt(id));
    }
    throw new IllegalArgumentException("-D" + PROVIDER_PROPERTY + "=" + p
        + " is not a provider; expected cpu, auto, cuda or cuda:<device id>");
  }

  /** The bundle to benchmark; see the class comment. */
  static RouterBundle bundle() {
    String prop = System.getProperty(BUNDLE_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      RouterBundle b = RouterBundle.load(Path.of(prop));
      System.err.println("[haps-bench] bundle from -D" + BUNDLE_PROPERTY + ": " + b.info());
      return b;
    }
    RouterBundle b = RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE);
    System.err.println("[haps-bench] default bundle: " + b.info());
    return b;
  }

}
