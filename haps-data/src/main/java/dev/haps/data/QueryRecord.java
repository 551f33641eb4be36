package dev.haps.data;

import dev.haps.api.params.ParameterValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of {@code outcomes.jsonl}: a query, its fixed split, and the recorded outcome of every
 * configuration that answered it.
 *
 * @param id the query id, unique within a log
 * @param task the task (exam, data set) the query comes from
 * @param split the fixed split
 * @param query the full prompt text
 * @param answer the gold answer, if the source has one
 * @param outcomes the recorded outcomes, in file order; unmodifiable
 * @since 0.1.0
 */
public record QueryRecord(
    String id,
    String task,
    Split split,
    String query,
    Optional<String> answer,
    List<Outcome> outcomes) {

  /**
   * Checks the fields and copies the outcomes.
   *
   * @throws IllegalArgumentException if the id or task is blank
   * @throws NullPointerException if a field or an outcome is null
   */
  public QueryRecord {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("query id must not be blank");
    }
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("task of query '" + id + "' must not be blank");
    }
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(answer, "answer must not be null; use Optional.empty()");
    outcomes = List.copyOf(outcomes);
  }

  /**
   * A record without a gold answer.
   *
   * @param id the query id
   * @param task the task
   * @param split the split
   * @param query the prompt text
   * @param outcomes the outcomes
   * @return the record
   */
  public static QueryRecord of(
      String id, String task, Split split, String query, List<Outcome> outcomes) {
    return new QueryRecord(id, task, split, query, Optional.empty(), outcomes);
  }

  /**
   * The outcomes of one model, in file order.
   *
   * @param model the model id
   * @return the outcomes, possibly none
   */
  public List<Outcome> outcomesFor(String model) {
    List<Outcome> out = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.model().equals(model)) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The first outcome of exactly this configuration.
   *
   * @param model the model id
   * @param params the parameter values, in canonical form
   * @return the outcome, if recorded
   */
  public Optional<Outcome> outcome(String model, ParameterValues params) {
    for (Outcome o : outcomes) {
      if (o.is(model, params)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /**
   * The best score among this query's outcomes (the per-query oracle's score).
   *
   * @return the best score, or empty when there is no outcome
   */
  public OptionalDouble bestScore() {
    return outcomes.stream().mapToDouble(Outcome::score).max();
  }

  /**
   * A copy with one more outcome.
   *
   * @param outcome the outcome to add
   * @return the new record
   */
  public QueryRecord withOutcome(Outcome outcome) {
    List<Outcome> all = new ArrayList<>(outcomes);
    all.add(Objects.requireNonNull(outcome, "outcome"));
    return new QueryRecord(id, task, split, query, answer, all);
  }
}
