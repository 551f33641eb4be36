package dev.haps.cli;

import ai.onnxruntime.OrtEnvironment;
import dev.haps.api.Candidate;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.runtime.RuntimeDiagnostics;
import dev.haps.runtime.encoder.OnnxQueryEncoder;
import dev.haps.spi.EncoderInfo;
import dev.haps.spi.ProviderRegistry;
import dev.haps.train.embed.EmbeddingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haps doctor}: what a bug report needs to know about this installation. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    sortSynopsis = false,
    header = "Print versions, execution providers, checksums and caches for a bug report.",
    description = {
      "Loads the router (the default bundle, or --bundle), routes one query, and prints what a"
          + " bug report needs: the haps and Java versions, the ONNX Runtime version and its"
          + " execution providers, the tokenizer's native library, the bundle's and the"
          + " encoder's checksums (and whether they match), the provider plugins found, the"
          + " caches and their sizes, and how long the load and the first route took. Paste its"
          + " output into the report; it holds no query text, key or secret.",
      ""},
    footerHeading = "%nExamples:%n",
    footer = {
      "  haps doctor",
      "  haps doctor --bundle bundles/concise-cot"})
final class DoctorCommand implements Callable<Integer> {

  private static final String PROBE = "What is 17 * 23?";

  @Spec CommandSpec spec;

  @Option(
      names = "--bundle",
      paramLabel = "BUNDLE",
      converter = Converters.ExistingBundle.class,
      description = "Router bundle to check (directory or .zip). Default: the bundle shipped with"
          + " the SDK.")
  Path bundle;

  /** Created by picocli. */
  DoctorCommand() {}

  @Override
  public Integer call() {
    DecisionFormat.Block b = new DecisionFormat.Block();
    // The router first, so that its timings are a cold start (nothing else loaded yet).
    long t0 = System.nanoTime();
    String loadFailure = null;
    HapsRouter router = null;
    try {
      router = Bundles.router(Optional.ofNullable(bundle));
    } catch (RuntimeException e) {
      loadFailure = Failures.describe(e, true);
    }
    long t1 = System.nanoTime();
    try {
      b.line("haps", VersionProvider.version());
      b.line("java", System.getProperty("java.version") + " (" + System.getProperty(
          "java.vendor") + ", " + System.getProperty("java.vm.name") + "), "
          + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
          + Runtime.getRuntime().availableProcessors() + " cores, max heap "
          + mib(Runtime.getRuntime().maxMemory()));
      b.line("onnx runtime", onnxRuntime());
      b.line("tokenizers", tokenizers());
      if (router == null) {
        b.line("router", "FAILED to load: " + loadFailure);
      } else {
        describeRouter(b, router, t0, t1);
      }
      b.line("providers", String.join(", ", ProviderRegistry.load().types().stream().sorted()
          .toList())
          + " (plugins found on the class path)");
      b.line("embedding cache", folder(EmbeddingStore.defaultCacheDir())
          + " (haps train; --cache-dir, HAPS_EMBEDDING_CACHE)");
      b.line("tokenizer cache", folder(RuntimeDiagnostics.tokenizerCache())
          + " (native library; DJL_CACHE_DIR, ENGINE_CACHE_DIR)");
      b.line("onnx runtime cache", folder(RuntimeDiagnostics.onnxRuntimeCache())
          + " (native libraries; HAPS_CACHE_DIR)");
      b.line("model cache", folder(RuntimeDiagnostics.modelCache())
          + " (the encoder model, unpacked; HAPS_CACHE_DIR)");
      b.line("logging", "SLF4J " + slf4jBinding() + ", level "
          + System.getProperty(Haps.LOG_LEVEL_PROPERTY, "warn") + " (--verbose for info)");
      b.line("uptime", ManagementFactory.getRuntimeMXBean().getUptime() + " ms in this JVM");
    } finally {
      if (router != null) {
        router.close();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(b);
    out.flush();
    return router == null ? Failures.FAILED : 0;
  }

  private static void describeRouter(DecisionFormat.Block b, HapsRouter router, long t0,
      long t1) {
    long r0 = System.nanoTime();
    RouteDecision d = router.route(RouteRequest.of(PROBE, 0.5));
    long r1 = System.nanoTime();
    RouterBundle rb = router.currentBundle();
    b.line("bundle", rb.info().id() + "@" + rb.info().version() + " from " + rb.source()
        + ", created " + rb.createdAt());
    b.line("bundle sha256", "router.onnx " + rb.routerSha256());
    Object data = rb.training().get("dataSha256");
    if (data != null) {
      b.line("training data", rb.training().getOrDefault("benchmark", "?") + ", sha256 " + data);
    }
    List<String> cands = new ArrayList<>();
    for (Candidate c : rb.candidates()) {
      cands.add(c.provider() + "/" + c.model());
    }
    b.line("candidates", cands.size() + ": " + String.join(", ", cands));
    EncoderInfo want = rb.encoder();
    EncoderInfo have = router.encoder().info();
    String provider = router.encoder() instanceof OnnxQueryEncoder e
        ? ", on " + e.executionProvider() : "";
    b.line("encoder", have.id() + ", " + have.dimension() + " dimensions, " + have.maxTokens()
        + " tokens, " + have.truncation() + provider);
    b.line("encoder sha256", have.sha256() + (want.sha256().equalsIgnoreCase(have.sha256())
        ? " (matches the bundle)" : " (the bundle expects " + want.sha256() + ")"));
    b.line("start-up", String.format(Locale.ROOT, "router loaded in %.0f ms, first route %.1f"
        + " ms (to %s)", (t1 - t0) / 1e6, (r1 - r0) / 1e6, d.model()));
  }

  private static String onnxRuntime() {
    try {
      String version = OrtEnvironment.getEnvironment().getVersion();
      RuntimeDiagnostics.ExecutionChoice auto = RuntimeDiagnostics.autoExecutionProvider();
      return version + ", execution providers " + OrtEnvironment.getAvailableProviders()
          + "; AUTO would choose " + auto.chosen() + " (" + auto.reason() + "); native"
          + " libraries " + RuntimeDiagnostics.onnxRuntimeLibraries().map(Path::toString)
              .orElse("unpacked by ONNX Runtime itself");
    } catch (RuntimeException | LinkageError e) {
      return "FAILED to load: " + e;
    }
  }

  private static String tokenizers() {
    try {
      RuntimeDiagnostics.TokenizerLibrary t = RuntimeDiagnostics.tokenizerLibrary();
      String where = t.file().isEmpty() ? "; native library loaded by DJL's own loader"
          : "; native library " + t.file().get() + " (" + mib(Files.size(t.file().get())) + ")";
      return "DJL tokenizers " + t.version() + " (" + t.classifier() + ", cpu)" + where;
    } catch (IOException | RuntimeException e) {
      return "FAILED: " + e;
    }
  }

  private static String slf4jBinding() {
    try {
      return org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  /** A folder and its size, or that it does not exist. */
  static String folder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return dir + " (absent)";
    }
    long[] files = new long[1];
    long bytes;
    try (Stream<Path> all = Files.walk(dir)) {
      bytes = all.filter(Files::isRegularFile).mapToLong(p -> {
        files[0]++;
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return dir + " (unreadable: " + e.getMessage() + ")";
    }
    return dir + ": " + files[0] + (files[0] == 1 ? " file, " : " files, ") + mib(bytes);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
