package dev.haps.bench;

import dev.haps.api.RouteDecision;
import dev.haps.api.RouteRequest;
import dev.haps.runtime.CacheSettings;
import dev.haps.runtime.HapsRouter;
import dev.haps.runtime.RouterBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route latency of bundles side by side in one JMH run, uncached, on the {@link QuerySet}
 * queries: for issue 25, a frozen-encoder bundle against one with fine-tuned top layers ({@code
 * encoder-top.onnx}, which the router runs after the base model cut at load time). The bundles
 * are given as JMH parameters:
 *
 * <pre>
 * java -jar haps-bench/target/benchmarks.jar FineTuneBench -p bundle=FROZEN_DIR,TUNED_DIR
 * </pre>
 *
 * <p>The default {@code bundle} parameter is the shipped bundle (so the benchmark runs in the
 * whole suite without arguments).
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class FineTuneBench {

  /** A bundle directory or zip; {@code default} for the shipped bundle. */
  @Param({"default"})
  public String bundle;

  private HapsRouter router;
  private RouteRequest[] requests;
  private int next;

  /** Creates the benchmark (JMH instantiates it). */
  public FineTuneBench() {}

  /** Builds an uncached router on the bundle, with the encoder the bundle names. */
  @Setup
  public void open() {
    RouterBundle b = bundle.equals("default")
        ? RouterBundle.fromClasspath(HapsRouter.DEFAULT_BUNDLE)
        : RouterBundle.load(Path.of(bundle));
    System.err.println("[haps-bench] " + b.info() + (b.encoderTop().isPresent()
        ? ", fine-tuned " + b.encoderTop().get() : ", frozen encoder"));
    router = BenchSetup.router(b, CacheSettings.disabled());
    List<String> texts = QuerySet.load();
    requests = new RouteRequest[texts.size()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = RouteRequest.of(texts.get(i),
          RouterBench.COST_WEIGHTS[i % RouterBench.COST_WEIGHTS.length]);
    }
  }

  /** Closes the router. */
  @TearDown
  public void close() {
    router.close();
  }

  /**
   * One uncached route: encode (base, then the fine-tuned top when present), network, decode.
   *
   * @return the decision
   */
  @Benchmark
  public RouteDecision route() {
    RouteDecision d = router.route(requests[next]);
    next = (next + 1) % requests.length;
    return d;
  }
}
