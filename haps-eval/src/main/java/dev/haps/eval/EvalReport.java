package dev.haps.eval;

import dev.haps.data.Split;
import dev.haps.data.tradeoff.Yardstick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of an {@link Evaluation}: every router's figures, the yardstick they were measured
 * against, and the run's settings. {@code haps eval} prints it as a table.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class EvalReport {

  private final String benchmark;
  private final Split split;
  private final double[] costWeights;
  private final List<RouterResult> routers;
  private final List<PairedGap> comparisons;
  private final Yardstick yardstick;
  private final Map<String, Yardstick> taskYardsticks;
  private final List<ConfigurationPoint> fixed;
  private final Map<String, Object> settings;
  private final Duration elapsed;
  private final Path outputDir;

  EvalReport(
      String benchmark,
      Split split,
      double[] costWeights,
      List<RouterResult> routers,
      List<PairedGap> comparisons,
      Yardstick yardstick,
      Map<String, Yardstick> taskYardsticks,
      List<ConfigurationPoint> fixed,
      Map<String, Object> settings,
      Duration elapsed,
      Path outputDir) {
    this.benchmark = benchmark;
    this.split = split;
    this.costWeights = costWeights.clone();
    this.routers = List.copyOf(routers);
    this.comparisons = List.copyOf(comparisons);
    this.yardstick = yardstick;
    this.taskYardsticks = Collections.unmodifiableMap(new LinkedHashMap<>(taskYardsticks));
    this.fixed = List.copyOf(fixed);
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.elapsed = elapsed;
    this.outputDir = outputDir;
  }

  /**
   * The benchmark name from {@code candidates.json}.
   *
   * @return the name
   */
  public String benchmark() {
    return benchmark;
  }

  /**
   * The evaluated split.
   *
   * @return the split
   */
  public Split split() {
    return split;
  }

  /**
   * The sweep's cost weights, ascending.
   *
   * @return a copy of the grid
   */
  public double[] costWeights() {
    return costWeights.clone();
  }

  /**
   * Every router's result, in the order they were swept (bundles first, then baselines, then the
   * oracle).
   *
   * @return an immutable list
   */
  public List<RouterResult> routers() {
    return routers;
  }

  /**
   * The main bundle (the first bundle given) against every other router on shared bootstrap
   * resamples; empty when no bundle was evaluated.
   *
   * @return an immutable list, in sweep order of the other router
   */
  public List<PairedGap> comparisons() {
    return comparisons;
  }

  /**
   * The routers sorted by AIQ, best first (ties keep sweep order).
   *
   * @return an immutable list
   */
  public List<RouterResult> ranked() {
    List<RouterResult> r = new ArrayList<>(routers);
    r.sort(Comparator.comparingDouble((RouterResult x) -> x.metrics().aiq()).reversed());
    return List.copyOf(r);
  }

  /**
   * One router's result by name.
   *
   * @param name e.g. {@code haps} or {@code knn}
   * @return the result, if that router ran
   */
  public Optional<RouterResult> router(String name) {
    return routers.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * The yardstick over all evaluated queries: cost range, fixed and oracle hulls, best single
   * configuration.
   *
   * @return the yardstick
   */
  public Yardstick yardstick() {
    return yardstick;
  }

  /**
   * The yardstick of each task's queries.
   *
   * @return task to yardstick, in task order
   */
  public Map<String, Yardstick> taskYardsticks() {
    return taskYardsticks;
  }

  /**
   * Every fixed configuration's point on the evaluated split.
   *
   * @return one point per configuration
   */
  public List<ConfigurationPoint> fixedConfigurations() {
    return fixed;
  }

  /**
   * The run's settings: data, bundles, seed, cost scale, λ range, encoder, split sizes.
   *
   * @return an ordered, immutable map of plain values
   */
  public Map<String, Object> settings() {
    return settings;
  }

  /**
   * How long the run took, from loading the data to writing the last file.
   *
   * @return the duration
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Where the report files were written.
   *
   * @return the folder, if the evaluation was asked to write one
   */
  public Optional<Path> outputDir() {
    return Optional.ofNullable(outputDir);
  }

  /**
   * How many bootstrap resamples the intervals and comparisons come from.
   *
   * @return the count, 0 when the run had none
   */
  public int bootstrapResamples() {
    return settings.get("bootstrap_resamples") instanceof Number n ? n.intValue() : 0;
  }

  @Override
  public String toString() {
    return "EvalReport{" + benchmark + "/" + split + ", routers=" + routers.size() + "}";
  }
}
