package dev.haps.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer for a {@link Judge} to grade: the query it answers, the reference answer where the
 * data has one, and the model's response with the facts its provider reported.
 *
 * @param queryId the query's id in the outcome log
 * @param task the task the query belongs to
 * @param query the query text, as sent to the model
 * @param reference the reference (gold) answer, if the data has one
 * @param response the model's answer text
 * @param attributes provider-specific facts about the answer (e.g. {@code finish_reason});
 *     unmodifiable
 * @since 0.1.0
 */
public record JudgeRequest(
    String queryId,
    String task,
    String query,
    Optional<String> reference,
    String response,
    Map<String, String> attributes) {

  /**
   * Checks for nulls and copies the attributes.
   *
   * @param queryId the query's id in the outcome log
   * @param task the task the query belongs to
   * @param query the query text, as sent to the model
   * @param reference the reference (gold) answer, if the data has one
   * @param response the model's answer text
   * @param attributes provider-specific facts about the answer; unmodifiable
   * @throws NullPointerException if a field is null
   */
  public JudgeRequest {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(reference, "reference must not be null; use Optional.empty()");
    Objects.requireNonNull(response, "response");
    attributes = Map.copyOf(attributes);
  }

  /**
   * A request without attributes.
   *
   * @param queryId the query's id
   * @param query the query text
   * @param reference the reference answer, or {@code null} when there is none
   * @param response the model's answer text
   * @return the request, in task {@code default}
   */
  public static JudgeRequest of(String queryId, String query, String reference,
      String response) {
    return new JudgeRequest(queryId, "default", query, Optional.ofNullable(reference), response,
        Map.of());
  }
}
