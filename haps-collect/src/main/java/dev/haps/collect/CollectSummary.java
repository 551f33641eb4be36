package dev.haps.collect;

import dev.haps.data.Split;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a collection run: what the outcome log now holds (per configuration mean score
 * and cost, the best single configuration, the per-query oracle), every pair without a score
 * and why, the money spent, and how the run ended. The same figures, per split as well, are in
 * the log folder's {@code summary.json}.
 *
 * <p>Immutable.
 *
 * @since 0.1.0
 */
public final class CollectSummary {

  private final String benchmark;
  private final Path output;
  private final String judge;
  private final int queries;
  private final int queriesInLog;
  private final Map<Split, Integer> splits;
  private final int pairsPlanned;
  private final int graded;
  private final int ungraded;
  private final int failed;
  private final int notRun;
  private final double answersCostUsd;
  private final double judgeCostUsd;
  private final List<ConfigurationStats> configurations;
  private final ConfigurationStats bestSingle;
  private final double oracleMeanScore;
  private final double oracleMeanCostUsd;
  private final List<RowProblem> problems;
  private final String stopReason;
  private final int callsThisRun;
  private final int tornJournalLines;

  CollectSummary(Builder b) {
    this.benchmark = b.benchmark;
    this.output = b.output;
    this.judge = b.judge;
    this.queries = b.queries;
    this.queriesInLog = b.queriesInLog;
    this.splits = Collections.unmodifiableMap(new EnumMap<>(b.splits));
    this.pairsPlanned = b.pairsPlanned;
    this.graded = b.graded;
    this.ungraded = b.ungraded;
    this.failed = b.failed;
    this.notRun = b.notRun;
    this.answersCostUsd = b.answersCostUsd;
    this.judgeCostUsd = b.judgeCostUsd;
    this.configurations = List.copyOf(b.configurations);
    this.bestSingle = b.bestSingle;
    this.oracleMeanScore = b.oracleMeanScore;
    this.oracleMeanCostUsd = b.oracleMeanCostUsd;
    this.problems = List.copyOf(b.problems);
    this.stopReason = b.stopReason;
    this.callsThisRun = b.callsThisRun;
    this.tornJournalLines = b.tornJournalLines;
  }

  /**
   * The benchmark name in {@code candidates.json}.
   *
   * @return the name
   */
  public String benchmark() {
    return benchmark;
  }

  /**
   * The outcome-log folder.
   *
   * @return the folder holding {@code candidates.json}, {@code outcomes.jsonl},
   *     {@code summary.json} and {@code journal.jsonl}
   */
  public Path output() {
    return output;
  }

  /**
   * The judge that graded, as its type and settings.
   *
   * @return e.g. {@code exact} or {@code llm{model=grader, provider=local}}
   */
  public String judge() {
    return judge;
  }

  /**
   * The queries read from the input.
   *
   * @return the count
   */
  public int queries() {
    return queries;
  }

  /**
   * The queries with at least one graded outcome: the records of {@code outcomes.jsonl}.
   *
   * @return the count
   */
  public int queriesInLog() {
    return queriesInLog;
  }

  /**
   * The records of the log per split.
   *
   * @return an unmodifiable map with every split
   */
  public Map<Split, Integer> splits() {
    return splits;
  }

  /**
   * The (query, configuration) pairs of the plan (after sampling).
   *
   * @return the count
   */
  public int pairsPlanned() {
    return pairsPlanned;
  }

  /**
   * The pairs graded: the outcomes of the log.
   *
   * @return the count
   */
  public int graded() {
    return graded;
  }

  /**
   * The pairs answered but not graded.
   *
   * @return the count
   */
  public int ungraded() {
    return ungraded;
  }

  /**
   * The pairs whose call or judge failed; a rerun tries them again.
   *
   * @return the count
   */
  public int failed() {
    return failed;
  }

  /**
   * The pairs not run yet (the run was stopped, or the budget ran out); a rerun runs them.
   *
   * @return the count
   */
  public int notRun() {
    return notRun;
  }

  /**
   * Whether every planned pair is graded or ungraded: a rerun has nothing left to do.
   *
   * @return {@code true} when complete
   */
  public boolean complete() {
    return failed == 0 && notRun == 0;
  }

  /**
   * The money the answers cost, over every run into this folder.
   *
   * @return USD
   */
  public double answersCostUsd() {
    return answersCostUsd;
  }

  /**
   * The money judging cost (an LLM judge's own calls), over every run into this folder.
   *
   * @return USD
   */
  public double judgeCostUsd() {
    return judgeCostUsd;
  }

  /**
   * Answers and judging together.
   *
   * @return USD
   */
  public double spentUsd() {
    return answersCostUsd + judgeCostUsd;
  }

  /**
   * Per configuration, in plan order, over all splits.
   *
   * @return an unmodifiable list
   */
  public List<ConfigurationStats> configurations() {
    return configurations;
  }

  /**
   * The configuration with the best mean score (the lower mean cost on a tie), over all splits.
   *
   * @return the configuration's figures, or empty when nothing was graded
   */
  public Optional<ConfigurationStats> bestSingle() {
    return Optional.ofNullable(bestSingle);
  }

  /**
   * The per-query oracle's mean score: each query's best graded outcome.
   *
   * @return the score, NaN when nothing was graded
   */
  public double oracleMeanScore() {
    return oracleMeanScore;
  }

  /**
   * The per-query oracle's mean cost: each query's cheapest outcome among its best-scored ones.
   *
   * @return USD, NaN when nothing was graded
   */
  public double oracleMeanCostUsd() {
    return oracleMeanCostUsd;
  }

  /**
   * Every pair without a score and why, in query and plan order.
   *
   * @return an unmodifiable list
   */
  public List<RowProblem> problems() {
    return problems;
  }

  /**
   * Why this run stopped before running every pair.
   *
   * @return the reason (the budget was spent, the run was stopped), or empty when it ran all
   */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /**
   * The model calls this run made (skipped pairs and re-gradings of kept answers not counted).
   *
   * @return the count
   */
  public int callsThisRun() {
    return callsThisRun;
  }

  /**
   * The journal lines skipped as torn (left by a crash).
   *
   * @return the count
   */
  public int tornJournalLines() {
    return tornJournalLines;
  }

  @Override
  public String toString() {
    return "CollectSummary{" + benchmark + ", queries " + queriesInLog + "/" + queries
        + ", graded " + graded + ", ungraded " + ungraded + ", failed " + failed + ", not run "
        + notRun + ", spent " + spentUsd() + " USD" + (stopReason == null ? ""
            : ", stopped: " + stopReason) + "}";
  }

  /** Collects the fields; package-private, filled by the compaction. */
  static final class Builder {
    String benchmark;
    Path output;
    String judge;
    int queries;
    int queriesInLog;
    Map<Split, Integer> splits = new EnumMap<>(Split.class);
    int pairsPlanned;
    int graded;
    int ungraded;
    int failed;
    int notRun;
    double answersCostUsd;
    double judgeCostUsd;
    List<ConfigurationStats> configurations = List.of();
    ConfigurationStats bestSingle;
    double oracleMeanScore = Double.NaN;
    double oracleMeanCostUsd = Double.NaN;
    List<RowProblem> problems = List.of();
    String stopReason;
    int callsThisRun;
    int tornJournalLines;

    CollectSummary build() {
      return new CollectSummary(this);
    }
  }
}
