package dev.haps.collect;

import dev.haps.data.Split;
import java.util.Objects;
import java.util.Optional;

/**
 * One query to collect outcomes for, as read from a queries file.
 *
 * @param id the query id, unique within the file (given, or derived from the text)
 * @param task the task the query belongs to
 * @param query the prompt text sent as the user turn
 * @param answer the reference answer, if the file gives one
 * @param split the split the file assigns, if any (otherwise the collector assigns one from a
 *     hash of the id)
 * @since 0.1.0
 */
public record CollectQuery(
    String id, String task, String query, Optional<String> answer, Optional<Split> split) {

  /**
   * Checks the fields.
   *
   * @param id the query id
   * @param task the task
   * @param query the prompt text
   * @param answer the reference answer, if any
   * @param split the assigned split, if any
   * @throws IllegalArgumentException if the id, task or query is blank
   * @throws NullPointerException if an optional is null
   */
  public CollectQuery {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a query id must not be blank");
    }
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("the task of query '" + id + "' must not be blank");
    }
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("query '" + id + "' has no text");
    }
    Objects.requireNonNull(answer, "answer must not be null; use Optional.empty()");
    Objects.requireNonNull(split, "split must not be null; use Optional.empty()");
  }

  /**
   * A query without a reference answer or split.
   *
   * @param id the query id
   * @param query the prompt text
   * @return the query, in task {@code default}
   */
  public static CollectQuery of(String id, String query) {
    return new CollectQuery(id, QueryFile.DEFAULT_TASK, query, Optional.empty(),
        Optional.empty());
  }
}
