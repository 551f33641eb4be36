package dev.haps.eval;

import dev.haps.eval.routing.Decision;
import dev.haps.eval.routing.EvalRouter;
import dev.haps.eval.routing.OutcomeTable;
import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import dev.haps.spi.EncoderInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A HAPS bundle as an {@link EvalRouter}: every query is routed through {@link HapsRouter}, in
 * batches with {@link HapsRouter#route(List)}, exactly as an application would route it (text
 * normalisation, the bundle's encoder settings, greedy decoding). The router's own caches are off;
 * embeddings come from the evaluation's disk cache instead.
 */
final class BundleRouter implements EvalRouter, AutoCloseable {

  private static final int BATCH = 256;

  private final String name;
  private final Path path;
  private final RouterBundle bundle;
  private final OutcomeTable table;
  private HapsRouter router;

  private BundleRouter(String name, Path path, RouterBundle bundle, OutcomeTable table) {
    this.name = name;
    this.path = path;
    this.bundle = bundle;
    this.table = table;
  }

  /** Loads the bundle (validating its manifest); the router itself starts in {@link #start}. */
  static BundleRouter open(String name, Path path, OutcomeTable table) {
    return new BundleRouter(name, path, RouterBundle.load(path), table);
  }

  /** Builds the runtime router with an encoder for this bundle's encoder settings. */
  void start(Encoders encoders) {
    StoreEncoder enc = encoders.like(bundle.encoder(), bundle.encoderTop());
    enc.alias(table.texts());
    router = HapsRouter.builder()
        .bundle(bundle)
        .encoder(enc)
        .cache(CacheSettings.disabled())
        .build();
  }

  double costScale() {
    return bundle.costScale();
  }

  /** The bundle's λ mapping when its manifest records one ({@code training.costTradeoff}). */
  java.util.Optional<double[]> lambdaRange() {
    Object ct = bundle.training().get("costTradeoff");
    if (ct instanceof java.util.Map<?, ?> m && m.get("lambdaMin") instanceof Number lo
        && m.get("lambdaMax") instanceof Number hi) {
      return java.util.Optional.of(new double[] {lo.doubleValue(), hi.doubleValue()});
    }
    return java.util.Optional.empty();
  }

  EncoderInfo encoderInfo() {
    return bundle.encoder();
  }

  /** The bundle's fine-tuned encoder layers, if any. */
  java.util.Optional<dev.haps.runtime.encoder.EncoderTop> encoderTop() {
    return bundle.encoderTop();
  }

  String describeSource() {
    EncoderInfo e = bundle.encoder();
    return path + " (id " + bundle.info().id() + ", version " + bundle.info().version()
        + ", created " + bundle.createdAt() + ", router.onnx sha256 "
        + bundle.routerSha256().substring(0, 12) + "…, encoder " + e.id() + " maxTokens "
        + e.maxTokens() + " truncation " + e.truncation().manifestName() + ")";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "bundle " + path + crossValidated().map(c -> "; " + c).orElse("");
  }

  /**
   * The training's cross-validated estimate ({@code training.crossValidation} of the manifest),
   * as {@code cross-validated gap closed 0.203 [0.160, 0.250] (5 folds of train+valid)}; empty
   * for bundles trained without it.
   */
  java.util.Optional<String> crossValidated() {
    if (bundle.training().get("crossValidation") instanceof java.util.Map<?, ?> cv
        && cv.get("gapClosed") instanceof java.util.Map<?, ?> gc
        && gc.get("pooled") instanceof Number pooled
        && gc.get("pooled95") instanceof List<?> ci && ci.size() == 2
        && ci.get(0) instanceof Number lo && ci.get(1) instanceof Number hi) {
      String folds = cv.get("folds") instanceof Number k ? k.intValue() + " folds" : "folds";
      String uniform = gc.get("taskUniform") instanceof Number u
          ? String.format(java.util.Locale.ROOT, ", task-uniform %.3f", u.doubleValue()) : "";
      return java.util.Optional.of(String.format(java.util.Locale.ROOT,
          "cross-validated gap closed %.3f [%.3f, %.3f] (%s of train+valid%s)",
          pooled.doubleValue(), lo.doubleValue(), hi.doubleValue(), folds, uniform));
    }
    return java.util.Optional.empty();
  }

  @Override
  public Decision decide(int query, double costWeight) {
    return decideAll(new int[] {query}, costWeight)[0];
  }

  @Override
  public Decision[] decideAll(int[] queries, double costWeight) {
    if (router == null) {
      throw new IllegalStateException("bundle router '" + name + "' was not started");
    }
    Decision[] out = new Decision[queries.length];
    for (int from = 0; from < queries.length; from += BATCH) {
      int to = Math.min(queries.length, from + BATCH);
      List<RouteRequest> reqs = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        reqs.add(RouteRequest.of(table.text(queries[i]), costWeight));
      }
      List<RouteDecision> ds = router.route(reqs);
      for (int i = from; i < to; i++) {
        RouteDecision d = ds.get(i - from);
        out[i] = new Decision(d.model(), d.parameters());
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (router != null) {
      router.close();
    }
  }
}
